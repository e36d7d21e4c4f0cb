/**
 * Why a sealing operation was refused. Each code maps to one user-facing message; callers branch on the
 * code (e.g. to highlight the certificate field) and show the message as it is.
 */
export type SealingErrorCode =
  | "certificate-invalid"
  | "certificate-is-private-key"
  | "certificate-key-not-rsa"
  | "certificate-key-too-small"
  | "certificate-expired"
  | "certificate-not-yet-valid"
  | "secret-invalid"
  | "secret-empty"
  | "manifest-invalid"
  | "merge-target-not-found"
  | "merge-mismatch"
  | "encryption-failed";

/** One problem found in a Secret, located by a path such as `data["tls.key"]` or `metadata.name`. */
export type SealingIssue = { path: string; message: string };

/**
 * The single error type thrown by `lib/sealing`.
 *
 * Messages are written for the person sealing the secret and name fields, keys, files and dates — never
 * a secret value, which is why parse errors from `JSON.parse` or base64 decoding are not chained as
 * `cause` (V8 quotes the offending input in them).
 */
export class SealingError extends Error {
  override name = "SealingError";
  readonly code: SealingErrorCode;
  /** Field-level details for `secret-invalid`; empty for the other codes. */
  readonly issues: readonly SealingIssue[];

  constructor(code: SealingErrorCode, message: string, issues: readonly SealingIssue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

/** Narrows an unknown thrown value, optionally to one code. */
export function isSealingError(error: unknown, code?: SealingErrorCode): error is SealingError {
  return error instanceof SealingError && (code === undefined || error.code === code);
}
