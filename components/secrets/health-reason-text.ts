import type { SecretRecord } from "@/lib/validations/secret-record";

// The Secrets table's Reason column in words: External Secrets Operator reports condition reasons as
// codes (SecretSyncedError), which mean nothing to most readers. The code stays in the full text.

const sentences: Record<string, string> = {
  SecretSyncedError: "Could not sync from the secret store",
  SecretMissing: "The target Secret does not exist",
  SecretDeleted: "The target Secret was deleted",
  SecretSynced: "Synced from the secret store",
};

/** The reason as a sentence, and the full text (sentence, code and controller message) for hover/focus. */
export function healthReasonText(health: SecretRecord["health"]): { short: string; full: string } {
  const known = sentences[health.reason];
  // Another CamelCase code reads as its words: "ProviderUnavailable" → "Provider unavailable".
  const short =
    known ??
    (/^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/.test(health.reason)
      ? health.reason
          .replace(/(?!^)([A-Z])/g, " $1")
          .replace(/ ([A-Z])/g, (_m, c: string) => ` ${c.toLowerCase()}`)
      : health.reason);
  const code = short === health.reason ? "" : ` (${health.reason})`;
  const message = health.message ? `: ${health.message}` : "";
  return { short, full: `${short}${code}${message}` };
}
