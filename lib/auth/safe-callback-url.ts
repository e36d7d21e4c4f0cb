// Where to go after signing in: only a path on this site (never `//host` or `/\host`, which browsers
// treat as another origin), and never back to the auth pages themselves.
export function safeCallbackUrl(value: unknown): string | undefined {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\")
  )
    return undefined;
  if (/^\/(sign-in|change-password|api\/auth)(\/|\?|$)/.test(value)) return undefined;
  return value;
}
