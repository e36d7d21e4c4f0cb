import "server-only";

/** Go `time.ParseDuration` for the forms ESO manifests use (`1h`, `30m`, `1h30m`, `15s`, `0`); ms. */
export function parseDuration(text: string | undefined, fallbackMs: number): number {
  if (text === undefined || text === "") return fallbackMs;
  if (/^0+$/.test(text)) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = "";
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]!]!;
    matched += match[0];
  }
  return matched === text ? total : fallbackMs;
}
