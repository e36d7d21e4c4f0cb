"use client";

import { useId, type ChangeEvent } from "react";
import type { SealingKeyState } from "./use-sealing-key";

type CertificateFieldProps = {
  pem: string;
  onPemChange: (pem: string) => void;
  state: SealingKeyState;
  allowExpired: boolean;
  onAllowExpiredChange: (allow: boolean) => void;
};

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function CertificateField({
  pem,
  onPemChange,
  state,
  allowExpired,
  onAllowExpiredChange,
}: CertificateFieldProps) {
  const id = useId();
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) onPemChange(await file.text());
  };
  return (
    <div>
      <label htmlFor={`${id}-pem`} className="block text-sm font-medium">
        Controller certificate
      </label>
      <p id={`${id}-help`} className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        The sealed-secrets controller&apos;s public certificate (PEM), e.g. from{" "}
        <code>kubeseal --fetch-cert</code>.
      </p>
      <textarea
        id={`${id}-pem`}
        value={pem}
        onChange={(event) => onPemChange(event.target.value)}
        aria-describedby={`${id}-help ${id}-status`}
        aria-invalid={state.status === "error"}
        rows={4}
        spellCheck={false}
        placeholder="-----BEGIN CERTIFICATE-----"
        className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      <div className="mt-1 flex items-center gap-3">
        <label className="text-xs font-medium text-sky-700 dark:text-sky-400">
          <span className="sr-only">Certificate file</span>
          <input
            type="file"
            accept=".pem,.crt,.cert,text/plain"
            onChange={(event) => void onFile(event)}
            className="text-xs"
          />
        </label>
      </div>
      <div id={`${id}-status`} aria-live="polite" className="mt-2 text-sm">
        {state.status === "loading" && (
          <p className="text-zinc-600 dark:text-zinc-400">Reading the certificate…</p>
        )}
        {state.status === "error" && (
          <div className="rounded-md border border-red-300 bg-red-50 p-2 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
            <p role="alert">{state.message}</p>
          </div>
        )}
        {(state.status === "error" && state.expired) || allowExpired ? (
          <label className="mt-2 flex items-center gap-2 text-xs">
            <input
              type="checkbox"
              checked={allowExpired}
              onChange={(event) => onAllowExpiredChange(event.target.checked)}
            />
            Seal with it anyway (the controller keeps old keys; only do this if you know this key is still
            active)
          </label>
        ) : null}
        {state.status === "ready" && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-xs dark:border-emerald-900 dark:bg-emerald-950/30">
            <dt className="text-zinc-600 dark:text-zinc-400">Subject</dt>
            <dd>{state.key.certificate.subject}</dd>
            <dt className="text-zinc-600 dark:text-zinc-400">Valid</dt>
            <dd>
              {dateFormat.format(state.key.certificate.notBefore)} –{" "}
              {dateFormat.format(state.key.certificate.notAfter)} (UTC)
            </dd>
            <dt className="text-zinc-600 dark:text-zinc-400">Key</dt>
            <dd>RSA {state.key.certificate.modulusBits} bits</dd>
            <dt className="text-zinc-600 dark:text-zinc-400">Fingerprint</dt>
            <dd className="font-mono break-all" data-testid="certificate-fingerprint">
              SHA-256 {state.key.certificate.fingerprintSha256}
            </dd>
          </dl>
        )}
      </div>
    </div>
  );
}
