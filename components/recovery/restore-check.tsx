"use client";

import { useId, useState } from "react";
import {
  type BackupCertificateMatch,
  BackupCheckError,
  checkBackupCertificate,
  type KeysToMatch,
} from "@/lib/recovery/check-backup-certificate";
import { SealingError } from "@/lib/sealing/errors";

type RestoreCheckProps = { cluster: string; keys: KeysToMatch };

const VERDICT: Record<BackupCertificateMatch["match"], string> = {
  missing: "Matches a missing key: restoring this backup brings the affected SealedSecrets back.",
  previous:
    "A key this controller served before (the SealedSecrets recorded no key, so this is the likely one): restore it.",
  current: "This is the controller's current key, not a missing one.",
  none: "Does not match any missing key of this cluster.",
};

/**
 * Checks a key backup against the missing keys, in the browser: the pasted text is parsed here and
 * nothing is sent anywhere, so even a backup YAML (whose tls.key is never read) stays on this page.
 */
export function RestoreCheck({ cluster, keys }: RestoreCheckProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [results, setResults] = useState<BackupCertificateMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const check = async (input: string) => {
    setResults(null);
    setError(null);
    try {
      setResults(await checkBackupCertificate(input, keys));
    } catch (cause) {
      if (cause instanceof BackupCheckError || cause instanceof SealingError) setError(cause.message);
      else setError("The certificate could not be read.");
    }
  };

  return (
    <form
      className="mt-3 space-y-2"
      aria-label={`Check a key backup for ${cluster}`}
      onSubmit={(event) => {
        event.preventDefault();
        void check(text);
      }}
    >
      <label htmlFor={`${id}-pem`} className="block text-sm font-medium">
        Backup certificate (PEM, or the backup YAML: only its tls.crt is read, in this page)
      </label>
      <textarea
        id={`${id}-pem`}
        rows={5}
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
        className="w-full rounded-md border border-zinc-300 bg-white p-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        placeholder="-----BEGIN CERTIFICATE-----"
      />
      <div className="flex flex-wrap items-center gap-3">
        <label className="text-sm">
          <span className="sr-only">Upload a backup file</span>
          <input
            type="file"
            accept=".pem,.crt,.yaml,.yml,.key,text/plain"
            className="text-sm"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then((content) => check(content));
              event.target.value = "";
            }}
          />
        </label>
        <button
          type="submit"
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900"
        >
          Check backup
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      {results && (
        <ul role="status" className="space-y-1 text-sm">
          {results.map((r) => (
            <li key={r.fingerprintSha256} data-match={r.match}>
              <span className="font-mono text-xs">{r.publicKeySha256.slice(0, 16)}…</span>{" "}
              <span
                className={
                  r.match === "missing" || r.match === "previous"
                    ? "font-medium text-green-800 dark:text-green-300"
                    : ""
                }
              >
                {VERDICT[r.match]}
              </span>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
