"use client";

import { useEffect, useId, useState, type ChangeEvent, type FormEvent } from "react";
import {
  buildSealedSecret,
  formatManifest,
  isSealingError,
  namespaceSchema,
  sealValue,
  secretKeySchema,
  secretNameSchema,
  type SealingScope,
} from "@/lib/sealing";
import { CertificateField } from "./certificate-field";
import { inputClassName, TextField } from "@/components/ui/text-field";
import { ScopeField } from "./scope-field";
import { useSealingKey } from "./use-sealing-key";

type Sealed = { ciphertext: string; manifest?: string; fingerprint: string };

function fieldError(
  schema: { safeParse(value: string): { success: boolean; error?: { issues: { message: string }[] } } },
  value: string,
) {
  if (value === "") return undefined;
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error?.issues[0]?.message;
}

/**
 * Seals one value in this page with the controller's certificate, like `kubeseal --raw`, and optionally
 * wraps it in a SealedSecret manifest. There is no server round trip: nothing typed here is sent anywhere.
 */
export function SealValueForm() {
  const id = useId();
  const [pem, setPem] = useState("");
  const [allowExpired, setAllowExpired] = useState(false);
  const keyState = useSealingKey(pem, allowExpired);
  const [scope, setScope] = useState<SealingScope>("strict");
  const [namespace, setNamespace] = useState("");
  const [name, setName] = useState("");
  const [keyName, setKeyName] = useState("");
  const [value, setValue] = useState<{ text: string; file?: { name: string; bytes: Uint8Array } }>({
    text: "",
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [sealed, setSealed] = useState<Sealed>();

  const hasUnsealedValue = value.text !== "" || value.file !== undefined;
  useEffect(() => {
    if (!hasUnsealedValue) return;
    // Leaving with a typed value would lose it silently; the browser asks first.
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [hasUnsealedValue]);

  const needsNamespace = scope !== "cluster-wide";
  const needsName = scope === "strict" || keyName !== "";
  const errors = {
    namespace: needsNamespace && namespace === "" ? undefined : fieldError(namespaceSchema, namespace),
    name: fieldError(secretNameSchema, name),
    keyName: fieldError(secretKeySchema, keyName),
  };
  const missing = [
    keyState.status !== "ready" && "a valid certificate",
    needsNamespace && namespace === "" && "a namespace",
    needsName && name === "" && "a name",
    !hasUnsealedValue && "a value",
  ].filter(Boolean) as string[];
  const canSeal = missing.length === 0 && !Object.values(errors).some(Boolean) && !busy;

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file)
      setValue({ text: "", file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSeal || keyState.status !== "ready") return;
    setBusy(true);
    setError(undefined);
    setSealed(undefined);
    try {
      const plaintext = value.file?.bytes ?? value.text;
      const target = { scope, namespace: needsNamespace ? namespace : "", name };
      const ciphertext = await sealValue(keyState.key.publicKey, plaintext, target);
      let manifest: string | undefined;
      if (keyName !== "") {
        const secret = {
          name,
          namespace: target.namespace || undefined,
          entries: [{ key: keyName, value: plaintext }],
        };
        manifest = formatManifest(await buildSealedSecret(secret, keyState.key, { scope }), "yaml");
      }
      setSealed({ ciphertext, manifest, fingerprint: keyState.key.certificate.fingerprintSha256 });
      // The plaintext is not kept once it is sealed.
      setValue({ text: "" });
    } catch (caught) {
      setError(isSealingError(caught) ? caught.message : "Sealing failed in this browser.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid items-start gap-6 xl:grid-cols-2">
      <form
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        className="space-y-5 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <CertificateField
          pem={pem}
          onPemChange={setPem}
          state={keyState}
          allowExpired={allowExpired}
          onAllowExpiredChange={setAllowExpired}
        />
        <ScopeField value={scope} onChange={setScope} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label={`Namespace${needsNamespace ? "" : " (not used in this scope)"}`}
            value={namespace}
            onChange={setNamespace}
            disabled={!needsNamespace}
            error={errors.namespace}
          />
          <TextField
            label={`Secret name${needsName ? "" : " (optional in this scope)"}`}
            value={name}
            onChange={setName}
            error={errors.name}
          />
        </div>
        <TextField
          label={
            <>
              Key{" "}
              <span className="font-normal text-zinc-600 dark:text-zinc-400">
                (optional: also build a SealedSecret manifest)
              </span>
            </>
          }
          value={keyName}
          onChange={setKeyName}
          placeholder="e.g. DATABASE_PASSWORD"
          error={errors.keyName}
        />
        <div>
          <label htmlFor={`${id}-value`} className="block text-sm font-medium">
            Value
          </label>
          <p id={`${id}-value-help`} className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
            Encrypted in this browser; it is never sent to Sealdeck or anywhere else, and is cleared once
            sealed.
          </p>
          {value.file ? (
            <div className="mt-1 flex items-center justify-between rounded-md border border-zinc-300 px-3 py-2 text-sm dark:border-zinc-700">
              <span>
                File {value.file.name} ({value.file.bytes.length} bytes)
              </span>
              <button
                type="button"
                onClick={() => setValue({ text: "" })}
                className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400"
              >
                Remove
              </button>
            </div>
          ) : (
            <textarea
              id={`${id}-value`}
              value={value.text}
              onChange={(e) => setValue({ text: e.target.value })}
              rows={3}
              aria-describedby={`${id}-value-help`}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClassName} font-mono`}
            />
          )}
          <label className="mt-1 block text-xs text-zinc-600 dark:text-zinc-400">
            Or seal a file: <input type="file" onChange={(event) => void onFile(event)} className="text-xs" />
          </label>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            disabled={!canSeal}
            aria-describedby={`${id}-missing`}
            className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {busy ? "Sealing…" : "Seal"}
          </button>
          <p id={`${id}-missing`} className="text-xs text-zinc-600 dark:text-zinc-400">
            {missing.length > 0 ? `Needs ${missing.join(", ")}.` : ""}
          </p>
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </form>
      <SealedOutput sealed={sealed} />
    </div>
  );
}

function SealedOutput({ sealed }: { sealed?: Sealed }) {
  const [copied, setCopied] = useState<string>();
  if (!sealed) {
    return (
      <section
        aria-label="Sealed output"
        className="rounded-lg border border-dashed border-zinc-300 p-5 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
      >
        The sealed value appears here. Only this ciphertext is safe to share or commit.
      </section>
    );
  }
  const copy = async (label: string, text: string) => {
    await navigator.clipboard.writeText(text);
    setCopied(label);
  };
  return (
    <section
      aria-label="Sealed output"
      className="space-y-4 rounded-lg border border-emerald-300 bg-white p-5 dark:border-emerald-900 dark:bg-zinc-900"
    >
      <p role="status" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
        Sealed with the certificate SHA-256 {sealed.fingerprint.slice(0, 16)}…
      </p>
      <OutputBlock label="Sealed value" text={sealed.ciphertext} onCopy={copy} copied={copied} />
      {sealed.manifest && (
        <OutputBlock label="SealedSecret manifest" text={sealed.manifest} onCopy={copy} copied={copied} />
      )}
    </section>
  );
}

type OutputBlockProps = {
  label: string;
  text: string;
  copied?: string;
  onCopy: (label: string, text: string) => Promise<void>;
};

function OutputBlock({ label, text, copied, onCopy }: OutputBlockProps) {
  const id = useId();
  return (
    <div>
      <div className="flex items-center justify-between">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <button
          type="button"
          onClick={() => void onCopy(label, text)}
          className="text-xs font-medium text-sky-700 hover:underline dark:text-sky-400"
        >
          {copied === label ? "Copied" : "Copy"}
        </button>
      </div>
      <textarea
        id={id}
        readOnly
        value={text}
        rows={label === "Sealed value" ? 5 : 14}
        spellCheck={false}
        className="mt-1 w-full rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs break-all dark:border-zinc-700 dark:bg-zinc-950"
      />
    </div>
  );
}
