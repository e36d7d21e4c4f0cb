"use client";

import { formatTimestamp } from "@/components/ui/format-timestamp";
import type { ReactNode } from "react";
import { useAuditChain } from "@/lib/queries/use-audit-chain";

const base = "inline-flex flex-wrap items-center gap-x-2 gap-y-0.5 rounded-lg border px-3 py-1.5 text-sm";

type ChainResultProps = { ok: boolean; headline: string; children: ReactNode };

/** The verdict once checked: green "status" when the chain holds, red "alert" when it does not. */
function ChainResult({ ok, headline, children }: ChainResultProps) {
  return (
    <div
      role={ok ? "status" : "alert"}
      data-testid="chain-badge"
      className={`${base} ${
        ok
          ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200"
          : "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
      }`}
    >
      <span aria-hidden className={`size-2 rounded-full ${ok ? "bg-emerald-500" : "bg-red-500"}`} />
      <span className="font-medium">{headline}</span>
      {children}
    </div>
  );
}

/** "Chain verified up to #N at T", or the first broken event in red. */
export function ChainBadge() {
  const query = useAuditChain();
  if (query.isPending) {
    return (
      <p
        role="status"
        aria-live="polite"
        className={`${base} border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400`}
      >
        Verifying the hash chain…
      </p>
    );
  }
  if (query.isError) {
    return (
      <p
        role="alert"
        className={`${base} border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200`}
      >
        Chain not verified: {query.error instanceof Error ? query.error.message : "unexpected error"}
      </p>
    );
  }
  const status = query.data;
  const checked = formatTimestamp(status.checkedAt);
  const checkpoint = status.checkpoint;
  const untrusted = status.untrustedCheckpoints;
  const checkpointLine = (
    <>
      {checkpoint && (
        <span className="text-xs opacity-80">
          {checkpoint.signatureOk
            ? `signed checkpoint #${checkpoint.seq} at ${formatTimestamp(checkpoint.createdAt)} · key ${checkpoint.keyId.slice(0, 12)}…`
            : `checkpoint #${checkpoint.seq}: ${checkpoint.reason ?? "signature does not verify"}`}
        </span>
      )}
      {untrusted > 0 && (
        <span className="text-xs opacity-80">
          {`ignored ${untrusted} newer checkpoint ${untrusted === 1 ? "row" : "rows"} not signed by this server's key`}
        </span>
      )}
    </>
  );
  if (!status.ok) {
    return (
      <ChainResult
        ok={false}
        headline={
          status.broken
            ? `Chain broken${status.broken.seq ? ` at #${status.broken.seq}` : ""}: ${status.broken.message}`
            : "Chain not verified: the latest checkpoint's signature does not verify"
        }
      >
        <span className="text-xs opacity-80">checked {checked}</span>
        {checkpointLine}
      </ChainResult>
    );
  }
  return (
    <ChainResult
      ok
      headline={
        status.verified
          ? `Chain verified up to #${status.verified.seq} at ${checked}`
          : `No events yet (checked ${checked})`
      }
    >
      {checkpointLine}
    </ChainResult>
  );
}
