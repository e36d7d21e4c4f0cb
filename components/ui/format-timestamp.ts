// The one way Sealdeck writes a moment: "2026-12-05 19:31:02 UTC". UTC, because the audit log, its
// exports and the Git history all record UTC, because a server-rendered page and the browser then print
// the same text, and because two people in different time zones then quote the same time. Isomorphic.

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-12-05 19:31:02 UTC`; `fallback` for a missing or unreadable time. */
export function formatTimestamp(value: string | Date | null | undefined, fallback = "—"): string {
  if (value === null || value === undefined) return fallback;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return fallback;
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}
