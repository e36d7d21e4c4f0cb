import "server-only";

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "ServiceUnavailable"
  | "InternalError";

const codes: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
  ServiceUnavailable: 503,
};

export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message: string; field?: string }[];
};

/** A failure the API server reports as a `Status` body; clients branch on `code` and `reason`. */
export class ApiError extends Error {
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.code = codes[reason];
  }

  toStatus() {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `secrets "x" not found`, worded like the API server so kubectl output reads the same. */
export function notFound(resource: string, name: string, group = ""): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError("NotFound", `${qualified} "${name}" not found`, { name, group, kind: resource });
}

export function alreadyExists(resource: string, name: string, group = ""): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError("AlreadyExists", `${qualified} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

export function invalid(
  kindName: string,
  name: string,
  field: string,
  message: string,
  group = "",
): ApiError {
  return new ApiError("Invalid", `${kindName} "${name}" is invalid: ${field}: ${message}`, {
    name,
    group,
    kind: kindName,
    causes: [{ reason: "FieldValueInvalid", message, field }],
  });
}
