"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { buildSealedSecret, secretIssues, type SealingScope, type SecretInput } from "@/lib/sealing";
import { useSealingCertificates } from "@/lib/queries/use-sealing-certificates";
import {
  requiredKeysByType,
  sealFormErrors,
  sealFormSecretTypes,
  type RotateRequest,
  type SealFormSecretType,
} from "@/lib/validations/seal-form";
import { inputClassName, TextField } from "@/components/ui/text-field";
import { ClusterCertificates } from "./cluster-certificates";
import { ClusterPicker, type SealCluster } from "./cluster-picker";
import { rememberFingerprint } from "./last-fingerprints";
import { MetadataPairsField, type MetadataPair } from "./metadata-pairs-field";
import { MissingManifestChoice, type MissingManifestHandling } from "./missing-manifest-choice";
import { allowedNamespaces, type NamespaceRef } from "./allowed-namespaces";
import { NamespaceField } from "./namespace-field";
import { secretHref } from "@/components/secrets/secret-href";
import { ProposeProgress } from "./propose-progress";
import { ScopeField } from "./scope-field";
import { SealOrSyncAdvisor } from "./seal-or-sync-advisor";
import { emptyValue, entrySize, SecretEntriesField, type SecretEntryRow } from "./secret-entries-field";
import { useProposeFlow, type SealedFile } from "./use-propose-flow";
import { useRotationTargets } from "./use-rotation-targets";
import { useDebouncedValue } from "./use-debounced-value";
import { useManifestLocation, type ManifestLocation } from "./use-manifest-location";
import { useUnsavedValuesGuard } from "./use-unsaved-values-guard";

export type SealSecretFormProps = {
  clusters: SealCluster[];
  /** Where the user may seal: `*` stands for every cluster or namespace. */
  grants: NamespaceRef[];
  /** Namespaces seen in the inventory, suggested when any namespace is allowed. */
  knownNamespaces: NamespaceRef[];
  rotate: RotateRequest | null;
  initialClusters: string[];
  initialNamespace: string;
};

const typeLabels: Record<SealFormSecretType, string> = {
  Opaque: "Opaque (any keys)",
  "kubernetes.io/tls": "TLS certificate and key (kubernetes.io/tls)",
  "kubernetes.io/dockerconfigjson": "Registry credentials (kubernetes.io/dockerconfigjson)",
  "kubernetes.io/basic-auth": "Username and password (kubernetes.io/basic-auth)",
};

/** Rows for a type: its required keys first (keeping anything already entered), then the user's others. */
function rowsForType(
  type: SealFormSecretType,
  rows: SecretEntryRow[],
  newId: () => string,
): SecretEntryRow[] {
  const required = requiredKeysByType[type];
  const kept = rows.filter((r) => r.key !== "" || entrySize(r.value) > 0);
  const head = required.map(
    (key) => kept.find((r) => r.key === key) ?? { id: newId(), key, value: emptyValue },
  );
  const rest = kept.filter((r) => !required.includes(r.key));
  const result = [...head, ...rest];
  return result.length > 0 ? result : [{ id: newId(), key: "", value: emptyValue }];
}

const toRecord = (pairs: readonly MetadataPair[]) =>
  pairs.length > 0 ? Object.fromEntries(pairs.map((p) => [p.key, p.value])) : undefined;

/**
 * The seal-for-a-cluster form: a Secret's keys and values are sealed in this page with each chosen
 * cluster's certificate, then validated, placed and proposed as one pull request. Plaintext values exist
 * only in this component's state, are never sent, and are dropped as soon as they are sealed.
 */
export function SealSecretForm({
  clusters,
  grants,
  knownNamespaces,
  rotate,
  initialClusters,
  initialNamespace,
}: SealSecretFormProps) {
  const id = useId();
  const counter = useRef(0);
  const newId = () => `row-${++counter.current}`;
  const [chosen, setChosen] = useState<string[]>(rotate?.clusters ?? initialClusters);
  const [namespace, setNamespace] = useState(rotate?.namespace ?? initialNamespace);
  const [name, setName] = useState(rotate?.name ?? "");
  const [type, setType] = useState<SealFormSecretType>("Opaque");
  const [chosenScope, setScope] = useState<SealingScope>("strict");
  const [rows, setRows] = useState<SecretEntryRow[]>(() =>
    (rotate?.keys ?? [""]).map((key, index) => ({ id: `initial-${index}`, key, value: emptyValue })),
  );
  const [labels, setLabels] = useState<MetadataPair[]>([]);
  const [annotations, setAnnotations] = useState<MetadataPair[]>([]);
  const [reason, setReason] = useState("");
  const [ticket, setTicket] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [handling, setHandling] = useState<MissingManifestHandling | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // Counts refused submits. The summary first renders with the submit that failed, after its handler
  // has run, so focus moves to it once it is on the page rather than in the handler (where the first
  // refused submit found no summary yet and left focus on the button).
  const [refusedSubmits, setRefusedSubmits] = useState(0);
  useEffect(() => {
    if (refusedSubmits > 0) summaryRef.current?.focus();
  }, [refusedSubmits]);

  const certificates = useSealingCertificates(chosen);
  const targets = useRotationTargets(rotate);
  const location = useManifestLocation(rotate);
  const flow = useProposeFlow(rotate?.campaign);
  // A rotation of a secret Git does not hold: the user picks adopt or reseal before typing values.
  const missing = rotate && location.status === "ready" ? location.files.filter((f) => !f.found) : [];
  const resealAll = missing.length > 0 && handling === "reseal";
  const adopt = missing.length > 0 && handling === "adopt";
  const allKeys = rotate
    ? [
        ...new Set([
          ...(targets.status === "ready" ? targets.records.flatMap((r) => r.keys) : []),
          ...rotate.keys,
        ]),
      ].sort()
    : [];
  const valuesWaiting =
    Boolean(rotate) && (location.status === "loading" || (missing.length > 0 && !handling));

  const chooseHandling = (next: MissingManifestHandling) => {
    setHandling(next);
    const keys = next === "reseal" ? allKeys : (rotate?.keys ?? []);
    setRows((current) =>
      keys.map(
        (key, index) =>
          current.find((r) => r.key === key) ?? { id: `${next}-${index}`, key, value: emptyValue },
      ),
    );
  };

  // A rotation seals in the existing SealedSecret's scope, or the merge would be refused.
  const rotationScope = targets.status === "ready" ? targets.scope : undefined;
  const scope = rotationScope ?? chosenScope;

  const hasUnsealedValues = rows.some((r) => entrySize(r.value) > 0);
  useUnsavedValuesGuard(hasUnsealedValues);

  const locked = flow.state.step !== "idle" && !(flow.state.failure?.step === "sealing");
  const allowed = allowedNamespaces(chosen, grants, knownNamespaces);

  const values = {
    clusters: chosen,
    namespace,
    name,
    type,
    scope,
    entries: rows.map((r) => ({ key: r.key, size: entrySize(r.value) })),
    labels: labels.map(({ key, value }) => ({ key, value })),
    annotations: annotations.map(({ key, value }) => ({ key, value })),
    reason,
    ticket,
  };
  const allErrors = sealFormErrors(values);
  // A new secret: once its clusters, namespace and name are valid, Git is asked whether it already holds it.
  const newSecretKey =
    !rotate &&
    chosen.length > 0 &&
    name &&
    namespace &&
    !allErrors.name &&
    !allErrors.namespace &&
    !allErrors.clusters
      ? JSON.stringify({ clusters: chosen, namespace, name })
      : null;
  const settledKey = useDebouncedValue(newSecretKey, 600);
  const newSecretLocation = useManifestLocation(
    settledKey && settledKey === newSecretKey
      ? (JSON.parse(settledKey) as { clusters: string[]; namespace: string; name: string })
      : null,
  );
  if (namespace !== "" && !allErrors.namespace && !allowed.any && !allowed.names.includes(namespace))
    allErrors.namespace = `You hold no grant to seal into ${namespace} on ${chosen.join(", ")}.`;
  const secret: SecretInput = {
    name,
    namespace,
    // A rotation sends only some keys; the type's rules apply to the whole Secret, which the merge keeps.
    // Resealing every key writes the whole Secret again, in the type it has now.
    type: rotate ? (resealAll && targets.status === "ready" ? targets.type : undefined) : type,
    labels: rotate ? undefined : toRecord(labels),
    annotations: rotate ? undefined : toRecord(annotations),
    entries: rows.map((r) => ({ key: r.key, value: r.value.kind === "file" ? r.value.bytes : r.value.text })),
  };
  // lib/sealing's own checks of the data: the type's required keys, JSON where needed, the 1 MiB limit.
  const dataIssues = secretIssues(secret).filter(
    (issue) =>
      issue.path === "data" || issue.message.startsWith("a ") || issue.message.endsWith("is not valid JSON"),
  );
  if (dataIssues.length > 0) allErrors.entries ??= dataIssues.map((i) => i.message).join("; ");

  // Live: a field's message shows once it has content; everything shows after a submit attempt.
  const show = (path: string, hasContent: boolean) => (submitted || hasContent ? allErrors[path] : undefined);
  const visibleErrors: Record<string, string> = {};
  for (const [path, message] of Object.entries(allErrors)) {
    const [field, index, part] = path.split(".");
    let content = submitted;
    if (field === "entries" && index !== undefined) {
      const row = rows[Number(index)];
      content ||= part === "key" ? row?.key !== "" : false;
    } else if ((field === "labels" || field === "annotations") && index !== undefined) content = true;
    else if (field === "entries") content ||= rows.some((r) => entrySize(r.value) > 0);
    if (submitted || content) visibleErrors[path] = message;
  }

  const waiting = certificates.filter((c) => c.status !== "ready").map((c) => c.cluster);
  const problems = [
    ...Object.entries(allErrors).map(([path, message]) => `${describePath(path, rows)}: ${message}`),
    ...(waiting.length > 0 ? [`The certificate of ${waiting.join(", ")} is not available yet.`] : []),
    ...(rotate && targets.status === "error" ? [targets.message] : []),
    ...(rotate && targets.status === "loading" ? ["The secret being rotated is still loading."] : []),
    ...(rotate && location.status === "loading"
      ? ["Git is still being checked for the secret's manifest."]
      : []),
    ...(missing.length > 0 && !handling
      ? ["Git has no manifest of this secret: choose to adopt it or to reseal all keys."]
      : []),
  ];

  const seal = async () => {
    const sealed: SealedFile[] = [];
    for (const cluster of chosen) {
      const state = certificates.find((c) => c.cluster === cluster);
      if (state?.status !== "ready") throw new Error(`The certificate of ${cluster} is not available.`);
      const { key } = state.certificate;
      const manifest = await buildSealedSecret(secret, key, { scope });
      sealed.push({ cluster, certificateFingerprint: key.certificate.fingerprintSha256, manifest });
    }
    // Sealed for every cluster: the plaintexts are no longer needed in this page. The form then shows no
    // "needs a value" errors for the values it cleared on purpose.
    setRows((current) => current.map((r) => ({ ...r, value: emptyValue })));
    setSubmitted(false);
    for (const file of sealed) rememberFingerprint(file.cluster, file.certificateFingerprint);
    return {
      sealed,
      request: {
        action: rotate && !resealAll ? ("rotate" as const) : ("create" as const),
        ...(adopt ? { adopt: true } : {}),
        namespace,
        name,
        scope,
        keys: rows.map((r) => r.key),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(ticket.trim() ? { ticket: ticket.trim() } : {}),
      },
    };
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.length > 0) {
      setRefusedSubmits((n) => n + 1);
      return;
    }
    void flow.start(seal);
  };

  const startOver = () => {
    const proposed = flow.state.step === "done";
    flow.reset();
    setSubmitted(false);
    // After a proposal, "Seal another secret" starts from an empty secret (same clusters and namespace).
    if (proposed && !rotate) {
      setName("");
      setRows(rowsForType(type, [], newId));
      setLabels([]);
      setAnnotations([]);
      setReason("");
      setTicket("");
    }
  };

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form
        onSubmit={onSubmit}
        noValidate
        aria-label={rotate ? "Rotate keys" : "Seal a secret"}
        className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <fieldset disabled={locked} className="space-y-5">
          {rotate && <RotationNote rotate={rotate} targets={targets} location={location} />}
          {rotate && missing.length > 0 && (
            <MissingManifestChoice
              name={`${rotate.namespace}/${rotate.name}`}
              missing={missing}
              allKeys={allKeys}
              rotatedKeys={rotate.keys}
              value={handling}
              onChange={chooseHandling}
            />
          )}
          <ClusterPicker
            clusters={clusters}
            value={chosen}
            onChange={setChosen}
            disabled={Boolean(rotate) || locked}
            error={show("clusters", chosen.length > 0)}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            {rotate ? (
              <TextField label="Namespace" value={namespace} onChange={() => undefined} disabled />
            ) : (
              <NamespaceField
                value={namespace}
                onChange={setNamespace}
                allowed={allowed}
                error={show("namespace", namespace !== "")}
              />
            )}
            <TextField
              label="Secret name"
              value={name}
              onChange={setName}
              disabled={Boolean(rotate)}
              error={show("name", name !== "")}
            />
          </div>
          {!rotate && <NewSecretLocation name={`${namespace}/${name}`} location={newSecretLocation} />}
          {!rotate && (
            <div>
              <label htmlFor={`${id}-type`} className="block text-sm font-medium">
                Type
              </label>
              <select
                id={`${id}-type`}
                value={type}
                onChange={(event) => {
                  const next = event.target.value as SealFormSecretType;
                  setType(next);
                  setRows((current) => rowsForType(next, current, newId));
                }}
                className={inputClassName}
              >
                {sealFormSecretTypes.map((t) => (
                  <option key={t} value={t}>
                    {typeLabels[t]}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ScopeField value={scope} onChange={setScope} disabled={Boolean(rotate)} />
          <SecretEntriesField
            rows={rows}
            onChange={setRows}
            fixedKeys={rotate ? rows.map((r) => r.key) : requiredKeysByType[type]}
            keysLocked={Boolean(rotate)}
            errors={visibleErrors}
            disabled={valuesWaiting}
            newId={newId}
          />
          {!rotate && (
            <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
              <summary className="cursor-pointer text-sm font-medium">Labels and annotations</summary>
              <div className="mt-3 space-y-4">
                <MetadataPairsField
                  legend="Labels"
                  help="Set on the Secret the controller creates (spec.template.metadata.labels)."
                  field="labels"
                  pairs={labels}
                  onChange={setLabels}
                  errors={visibleErrors}
                  newId={newId}
                />
                <MetadataPairsField
                  legend="Annotations"
                  help="Set on the Secret the controller creates. Not encrypted: never put a secret here."
                  field="annotations"
                  pairs={annotations}
                  onChange={setAnnotations}
                  errors={visibleErrors}
                  newId={newId}
                />
              </div>
            </details>
          )}
          <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
            <div>
              <label htmlFor={`${id}-reason`} className="block text-sm font-medium">
                Reason <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
              </label>
              <textarea
                id={`${id}-reason`}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                rows={2}
                aria-invalid={Boolean(show("reason", reason !== ""))}
                aria-describedby={`${id}-reason-help`}
                className={inputClassName}
              />
              <p id={`${id}-reason-help`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                {show("reason", reason !== "") ??
                  "Goes into the pull request and the audit log: no secrets here."}
              </p>
            </div>
            <TextField
              label={
                <>
                  Ticket <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
                </>
              }
              value={ticket}
              onChange={setTicket}
              placeholder="e.g. OPS-1234"
              error={show("ticket", ticket !== "")}
            />
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:cursor-not-allowed disabled:opacity-50"
            >
              {rotate ? "Seal and propose the rotation" : "Seal and propose"}
            </button>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Sealed here first; only the sealed manifests are sent.
            </p>
          </div>
          {submitted && problems.length > 0 && (
            <div
              ref={summaryRef}
              tabIndex={-1}
              role="alert"
              aria-label="Problems to fix"
              className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
            >
              <p className="font-medium">Fix these first:</p>
              <ul className="mt-1 list-disc pl-5">
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          )}
        </fieldset>
      </form>
      <div className="space-y-6">
        {!rotate && <SealOrSyncAdvisor />}
        <section
          aria-labelledby={`${id}-certificates`}
          className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <h2 id={`${id}-certificates`} className="mb-3 text-sm font-semibold">
            Sealing certificates
          </h2>
          <ClusterCertificates states={certificates} />
        </section>
        <ProposeProgress
          state={flow.state}
          onPathChange={flow.setPath}
          onPropose={() => void flow.propose()}
          onRetry={() => void flow.retry()}
          canRetrySealing={hasUnsealedValues}
          onRetrySealing={() => void flow.start(seal)}
          onStartOver={startOver}
          onJoinCampaign={flow.setJoinCampaign}
          rotatedSecret={
            rotate
              ? {
                  href: secretHref({
                    cluster: rotate.clusters[0]!,
                    namespace: rotate.namespace,
                    kind: "SealedSecret",
                    name: rotate.name,
                  }),
                  name: `${rotate.namespace}/${rotate.name}`,
                }
              : undefined
          }
        />
      </div>
    </div>
  );
}

function describePath(path: string, rows: readonly SecretEntryRow[]): string {
  const [field, index, part] = path.split(".");
  if (field === "entries" && index !== undefined) {
    const key = rows[Number(index)]?.key;
    return part === "key" ? `Key ${Number(index) + 1}` : `Value of ${key || `key ${Number(index) + 1}`}`;
  }
  if ((field === "labels" || field === "annotations") && index !== undefined)
    return `${field === "labels" ? "Label" : "Annotation"} ${Number(index) + 1}`;
  const names: Record<string, string> = {
    clusters: "Clusters",
    namespace: "Namespace",
    name: "Secret name",
    entries: "Keys",
    reason: "Reason",
    ticket: "Ticket",
  };
  return names[field ?? ""] ?? path;
}

function RotationNote({
  rotate,
  targets,
  location,
}: {
  rotate: RotateRequest;
  targets: ReturnType<typeof useRotationTargets>;
  location: ManifestLocation;
}) {
  return (
    <div
      role="note"
      aria-label="Rotation"
      className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
    >
      <p>
        Rotating <span className="font-medium">{rotate.keys.join(", ")}</span> of{" "}
        <span className="font-medium">
          {rotate.namespace}/{rotate.name}
        </span>{" "}
        on {rotate.clusters.join(", ")}. Only these values change; every other key of the SealedSecret stays
        as it is in Git.
      </p>
      {targets.status === "loading" && <p className="mt-1 text-xs">Loading the secret…</p>}
      {targets.status === "error" && (
        <p role="alert" className="mt-1 text-red-800 dark:text-red-300">
          {targets.message}
        </p>
      )}
      {targets.status === "ready" && (
        <p className="mt-1 text-xs">
          Scope {targets.scope} and type {targets.type}, as the existing SealedSecret.
          {targets.unknownKeys.length > 0 &&
            ` ${targets.unknownKeys.join(", ")} ${targets.unknownKeys.length === 1 ? "is" : "are"} not a key of it on every cluster yet, and will be added.`}
        </p>
      )}
      {location.status === "loading" && <p className="mt-1 text-xs">Looking for its manifest in Git…</p>}
      {location.status === "error" && (
        <p role="alert" className="mt-1 text-red-800 dark:text-red-300">
          Git could not be checked for its manifest: {location.message}{" "}
          <button type="button" onClick={location.retry} className="font-medium underline">
            Check again
          </button>
        </p>
      )}
      {location.status === "ready" && location.files.some((f) => f.found) && (
        <ul aria-label="Manifests in Git" className="mt-1 text-xs">
          {location.files
            .filter((f) => f.found)
            .map((f) => (
              <li key={f.cluster}>
                In Git for {f.cluster}: <code className="break-all">{f.path}</code>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

/** Where a new secret would go in Git, and whether Git holds one of that name already (values then merge into it). */
function NewSecretLocation({ name, location }: { name: string; location: ManifestLocation }) {
  if (location.status !== "ready") return null;
  const found = location.files.filter((f) => f.found);
  const fresh = location.files.filter((f) => !f.found);
  return (
    <div role="status" aria-label="Manifest in Git" className="text-xs text-zinc-700 dark:text-zinc-300">
      {found.length > 0 && (
        <p>
          Git already holds {name} for {found.map((f) => f.cluster).join(", ")} (
          {found.map((f) => f.path).join(", ")}): the keys entered here are merged into it, replacing the
          values of keys it has; its other keys stay.
        </p>
      )}
      {fresh.length > 0 && (
        <p>
          New in Git for {fresh.map((f) => f.cluster).join(", ")}: written to{" "}
          {fresh.map((f) => f.path).join(", ")}.
        </p>
      )}
    </div>
  );
}
