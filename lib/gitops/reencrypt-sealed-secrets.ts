import "server-only";

import { createHash } from "node:crypto";

import { parseAllDocuments } from "yaml";
import { z } from "zod";

import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import type { KubeAccess } from "@/lib/kube/kube-identity";
import { requestController } from "@/lib/kube/request-controller";
import { logger } from "@/lib/log/logger";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  REENCRYPTION_ANNOTATION,
  SEALED_WITH_ANNOTATION,
  findMergeTarget,
  formatReencryptionMarker,
  type SealedSecretManifest,
} from "@/lib/sealing";
import type { SealingControllerRef } from "@/lib/kube/discover-sealing-controller";
import type { GitopsRepository } from "@/lib/validations/gitops";
import type {
  ReencryptionCandidate,
  ReencryptionProposal,
  ReencryptionSkip,
  ReencryptSealedSecretsResult,
  reencryptSealedSecretsInputSchema,
} from "@/lib/validations/reencryption";
import { controllerLabel } from "@/lib/validations/cluster-status";

import { createProvider } from "./create-provider";
import { listReencryptionCandidates } from "./list-reencryption-candidates";
import { locateProposalFile } from "./locate-proposal-file";
import type { ProposeContext } from "./propose-sealed-secret";
import { requester } from "./propose-sealed-secret";
import { proposeReencryption } from "./propose-reencryption";
import type { GitProvider } from "./provider";
import { describeClusterFailure, resolveSealingController } from "./resolve-sealing-controller";

type Input = z.output<typeof reencryptSealedSecretsInputSchema>;
type Located = { candidate: ReencryptionCandidate; path: string };

// What /v1/rotate answers: upstream marshals a SealedSecret without apiVersion/kind; only the
// ciphertexts are used.
const rotateAnswerSchema = z.object({
  spec: z.object({ encryptedData: z.record(z.string(), z.string()) }),
});

const AUDIT_LIST_LIMIT = 100;
const FINGERPRINT = /^[0-9a-f]{64}$/;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const nameOf = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/**
 * Re-encrypts SealedSecrets sealed with an older key of a cluster's controller, one pull request per
 * repository. Sealdeck never sees a value: each manifest's ciphertext, read from Git, goes to the
 * controller's `/v1/rotate` as the signed-in user, and only the answer's ciphertext is written back.
 *
 * 1. The request is checked against the listing again (older keys; unknown only when asked for).
 * 2. `secret.reencrypt.requested` is written first; if it cannot be, nothing is located or sent.
 * 3. Each SealedSecret is located in Git (its Argo CD Application's repository first, then the others).
 * 4. Per repository, every ciphertext is re-encrypted before anything is written: if one fails, that
 *    repository gets no branch and no pull request (`pull_request.failed`), the others go ahead.
 * 5. The new ciphertexts are merged into their files and one pull request is opened
 *    (`pull_request.opened`); a failure after the branch was created deletes it again.
 *
 * Authorization (`secret:rotate` in every namespace) is the caller's.
 */
export async function reencryptSealedSecrets(
  input: Input,
  context: ProposeContext,
): Promise<ReencryptSealedSecretsResult> {
  const { principal } = context;
  const prisma = getPrismaOrThrow();
  const listing = await listReencryptionCandidates(principal, input.cluster);
  const newestKey = listing.newestKey;
  if (!newestKey) throw new AppError("unavailable", listing.error ?? "The newest sealing key is unknown.");

  const skipped: ReencryptionSkip[] = [];
  const selected: ReencryptionCandidate[] = [];
  const seen = new Set<string>();
  for (const wanted of input.secrets) {
    if (seen.has(nameOf(wanted))) continue;
    seen.add(nameOf(wanted));
    const candidate = listing.candidates.find(
      (c) => c.namespace === wanted.namespace && c.name === wanted.name,
    );
    if (!candidate)
      skipped.push({
        ...wanted,
        reason: "It is sealed with the newest key already, or not a SealedSecret you may re-encrypt here.",
      });
    else if (candidate.status === "unknown" && !input.includeUnknown)
      skipped.push({
        ...wanted,
        reason: "The key that sealed it is unknown; include unknown ones to re-encrypt it.",
      });
    else selected.push(candidate);
  }
  if (selected.length === 0)
    throw new AppError(
      "conflict",
      "Nothing to re-encrypt: none of these SealedSecrets is sealed with an older key.",
    );

  const actor = { userId: principal.userId, name: principal.username, role: principal.role };
  const namespaces = [...new Set(selected.map((s) => s.namespace))];
  const target = {
    cluster: input.cluster,
    namespace: namespaces.length === 1 ? namespaces[0] : null,
    kind: "SealedSecret",
  };
  try {
    await appendAuditEvent(prisma, {
      actor,
      action: "secret.reencrypt.requested",
      target,
      outcome: "pending",
      details: {
        newestKey,
        includeUnknown: input.includeUnknown,
        count: selected.length,
        sealedSecrets: selected.slice(0, AUDIT_LIST_LIMIT).map(nameOf),
      },
    });
  } catch (error) {
    logger.error({ err: error, action: "secret.reencrypt.requested" }, "audit write failed; refused");
    throw new AppError(
      "unavailable",
      "The audit log cannot be written right now, so nothing was re-encrypted and neither the controller nor the Git host was contacted. Try again later.",
    );
  }

  const { cluster, ref } = await resolveSealingController(input.cluster);
  const access = cluster.accessFor(principal);
  const repositories = await readGitopsRepositories();
  const providers = new Map<string, GitProvider>();
  const providerOf = (repository: GitopsRepository) => {
    let provider = providers.get(repository.id);
    if (!provider) {
      provider = createProvider(repository, process.env, context.providerOptions ?? {});
      providers.set(repository.id, provider);
    }
    return provider;
  };

  // 3. Locate: the repository its Application syncs from first, then every other one in order.
  const byRepository = new Map<string, Located[]>();
  for (const candidate of selected) {
    const order = [
      ...repositories.filter((r) => r.id === candidate.repository),
      ...repositories.filter((r) => r.id !== candidate.repository),
    ];
    const problems: string[] = [];
    let found: { repository: string; path: string } | null = null;
    for (const repository of order) {
      try {
        const located = await locateProposalFile(providerOf(repository), repository, {
          cluster: input.cluster,
          namespace: candidate.namespace,
          name: candidate.name,
        });
        if (located.via !== "new" && located.target) {
          found = { repository: repository.id, path: located.path };
          break;
        }
      } catch (error) {
        problems.push(`${repository.id}: ${describeClusterFailure(error)}`);
      }
    }
    if (!found) {
      skipped.push({
        namespace: candidate.namespace,
        name: candidate.name,
        reason: `Not found in any configured repository${problems.length ? ` (${problems.join("; ")})` : ""}.`,
      });
      continue;
    }
    byRepository.set(found.repository, [
      ...(byRepository.get(found.repository) ?? []),
      { candidate, path: found.path },
    ]);
  }

  const requestedBy = await requester(principal);
  const proposals: ReencryptionProposal[] = [];
  for (const [repositoryId, located] of byRepository) {
    const repository = repositories.find((r) => r.id === repositoryId)!;
    const provider = providerOf(repository);
    const secrets = located.map((l) => ({ ...nameOfParts(l.candidate), path: l.path }));
    const auditFiles = secrets.slice(0, AUDIT_LIST_LIMIT);
    try {
      const baseHead = await provider.getBranchHead(repository.baseBranch);
      if (!baseHead)
        throw new AppError(
          "not_found",
          `The base branch ${repository.baseBranch} does not exist in ${provider.repositoryLabel}.`,
        );
      // 4. Every ciphertext is re-encrypted before anything is written to this repository.
      const files = [];
      const failures: string[] = [];
      for (const { candidate, path } of located) {
        try {
          const manifest = await rotateFromGit(
            provider,
            access,
            ref,
            input.cluster,
            baseHead,
            path,
            candidate,
            newestKey,
          );
          files.push({ cluster: input.cluster, path, manifest, previousKey: candidate.sealedWith });
        } catch (error) {
          failures.push(`${nameOf(candidate)}: ${describeClusterFailure(error)}`);
        }
      }
      if (failures.length > 0)
        throw new AppError(
          "bad_gateway",
          `No pull request was opened in ${repositoryId}: ${failures.length} of ${located.length} could not be re-encrypted (${failures.join("; ").slice(0, 1500)}).`,
        );
      const result = await proposeReencryption({
        provider,
        repository,
        cluster: input.cluster,
        baseHead,
        newestKey,
        files,
        requestedBy,
      });
      const url = /^https?:\/\//.test(result.pullRequest.url) ? result.pullRequest.url : null;
      await appendAuditEvent(prisma, {
        actor,
        action: "pull_request.opened",
        target,
        outcome: "success",
        pullRequestUrl: url,
        details: {
          reencryption: true,
          repository: repositoryId,
          provider: repository.provider,
          newestKey,
          number: result.pullRequest.number,
          branch: result.branch,
          commit: result.commit,
          count: secrets.length,
          files: auditFiles,
          ...(url ? {} : { location: result.pullRequest.url.slice(0, 500) }),
        },
      }).catch((error: unknown) => logger.error({ err: error }, "audit outcome not recorded"));
      proposals.push({
        repository: repositoryId,
        pullRequest: { number: result.pullRequest.number, url: result.pullRequest.url },
        branch: result.branch,
        secrets,
        error: null,
      });
    } catch (error) {
      const message =
        error instanceof AppError
          ? error.message
          : `The proposal could not be made in ${provider.repositoryLabel}.`;
      if (!(error instanceof AppError)) logger.error({ err: error }, "re-encryption proposal failed");
      await appendAuditEvent(prisma, {
        actor,
        action: "pull_request.failed",
        target,
        outcome: "failure",
        details: {
          reencryption: true,
          repository: repositoryId,
          provider: repository.provider,
          newestKey,
          error: message.slice(0, 500),
          count: secrets.length,
          files: auditFiles,
        },
      }).catch((auditError: unknown) => logger.error({ err: auditError }, "audit outcome not recorded"));
      proposals.push({ repository: repositoryId, pullRequest: null, branch: null, secrets, error: message });
    }
  }
  return { cluster: input.cluster, newestKey, proposals, skipped };
}

const nameOfParts = (c: ReencryptionCandidate) => ({ namespace: c.namespace, name: c.name });

/**
 * The SealedSecret's document as it is at `baseHead`, re-encrypted by the controller: the update that
 * replaces each `encryptedData` value and records the newest key in `sealdeck.io/sealed-with`.
 */
async function rotateFromGit(
  provider: GitProvider,
  access: KubeAccess,
  ref: SealingControllerRef,
  cluster: string,
  baseHead: string,
  path: string,
  candidate: ReencryptionCandidate,
  newestKey: string,
): Promise<SealedSecretManifest> {
  const file = await provider.readFile(path, baseHead);
  if (!file) throw new AppError("not_found", `${path} is gone from the base branch.`);
  const target = findMergeTarget(file.content, { name: candidate.name, namespace: candidate.namespace });
  const document = parseAllDocuments(file.content)[target.documentIndex]?.toJS() as
    Record<string, unknown> | undefined;
  const spec = document?.spec as { encryptedData?: Record<string, unknown> } | undefined;
  const keys = Object.keys(spec?.encryptedData ?? {});
  if (!document || keys.length === 0)
    throw new AppError("unprocessable", `${path} holds no encryptedData to re-encrypt.`);

  const response = await requestController(access, ref, "/v1/rotate", {
    cluster,
    method: "POST",
    body: JSON.stringify(document),
    contentType: "application/json",
  });
  if (response.status !== 200)
    throw new AppError(
      "bad_gateway",
      `the controller ${controllerLabel(ref)} answered HTTP ${response.status} to /v1/rotate${
        response.status === 500 ? " (it cannot decrypt it with any of its keys, or cannot read it)" : ""
      }`,
    );
  let answer: z.infer<typeof rotateAnswerSchema>;
  try {
    answer = rotateAnswerSchema.parse(JSON.parse(response.text));
  } catch {
    throw new AppError(
      "bad_gateway",
      `the controller ${controllerLabel(ref)} answered /v1/rotate with no SealedSecret`,
    );
  }
  // Only the file's own keys: upstream also seals rendered `template.data` entries into its answer,
  // which would turn template fields into sealed ones if written back.
  const missing = keys.filter((k) => answer.spec.encryptedData[k] === undefined);
  if (missing.length > 0)
    throw new AppError("bad_gateway", `the controller's answer lacks ${missing.join(", ")}`);
  const annotations = ((document.metadata as { annotations?: Record<string, unknown> } | undefined)
    ?.annotations ?? {}) as Record<string, unknown>;
  const scope = Object.fromEntries(
    [NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION].flatMap((key) =>
      annotations[key] === undefined ? [] : [[key, String(annotations[key])]],
    ),
  );
  const encryptedData = Object.fromEntries(keys.sort().map((k) => [k, answer.spec.encryptedData[k]!]));
  // The marker lets the rotation watcher and the Git history backfill tell these new ciphertexts
  // (same values) from rotations: it lists the SHA-256 of each one, so a later rotation of a key no
  // longer matches it.
  const marker = formatReencryptionMarker({
    from: candidate.sealedWith && FINGERPRINT.test(candidate.sealedWith) ? candidate.sealedWith : null,
    to: newestKey,
    sha256: Object.fromEntries(Object.entries(encryptedData).map(([k, v]) => [k, sha256(v)])),
  });
  return {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: {
      name: candidate.name,
      namespace: candidate.namespace,
      annotations: { ...scope, [SEALED_WITH_ANNOTATION]: newestKey, [REENCRYPTION_ANNOTATION]: marker },
    },
    spec: {
      encryptedData,
      template: { metadata: { name: candidate.name, namespace: candidate.namespace }, type: target.type },
    },
  };
}
