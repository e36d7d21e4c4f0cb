// Where to go after signing in: only a path on this site, and never back to the auth pages themselves.
// The value is resolved with the URL parser against a placeholder origin, as a browser would resolve it
// (which strips tab, CR and LF, and reads `\` as `/`): anything that lands on another origin is refused.
// The result is the parsed path, so what we redirect to is exactly what was checked.
const base = "http://sealdeck.invalid";

export function safeCallbackUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/")) return undefined;
  // Control characters and backslashes have no place in our own links; browsers rewrite them.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value, base);
  } catch {
    return undefined;
  }
  if (parsed.origin !== base) return undefined;
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // A path that starts with `//` after parsing (e.g. `/%2F/evil` decoded by a later hop) is refused too.
  if (!path.startsWith("/") || path.startsWith("//")) return undefined;
  if (/^\/(sign-in|change-password|api\/auth)(\/|\?|#|$)/i.test(path)) return undefined;
  return path;
}
