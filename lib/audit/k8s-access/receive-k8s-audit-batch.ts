import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { logger } from "@/lib/log/logger";
import { eventListSchema, selectWatchedEvents } from "./audit-event-list";
import { insertK8sAccessEvents, type RawSql } from "./insert-k8s-access-events";

// The Kubernetes API server's audit webhook (POST /api/k8s-audit?cluster=NAME). Authenticated by a
// bearer token (SEALDECK_K8S_AUDIT_TOKEN), not a session. Order of checks: credentials, then the
// cluster, then the size (before reading), then the body. Responses are small JSON documents; a 5xx
// makes the API server retry the batch, which is safe (inserts are idempotent per auditID).

export type K8sAuditWebhookOptions = {
  /** The configured token; undefined = the webhook is not enabled. */
  token: string | undefined;
  maxBytes: number;
  db: () => RawSql;
};

/** Cluster names as kubeconfig contexts spell them (EKS ARNs, user@cluster...), nothing that could inject. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}$/;

function reply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison (both sides hashed first, so lengths never leak either). */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

class TooLarge extends Error {}

/** Reads the body, refusing it as soon as it passes `maxBytes` (chunked bodies have no length up front). */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const declared = Number(request.headers.get("content-length"));
  // Next.js' proxy passes on at most its own limit (10 MiB) of a larger body: a short body is too large.
  if (Number.isFinite(declared) && declared > total) throw new TooLarge();
  return Buffer.concat(chunks).toString("utf8");
}

export async function receiveK8sAuditBatch(
  request: Request,
  options: K8sAuditWebhookOptions,
): Promise<Response> {
  const authorization = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    return reply(
      401,
      { error: "a bearer token is required (the API server's webhook kubeconfig sets it)" },
      { "WWW-Authenticate": 'Bearer realm="sealdeck-k8s-audit"' },
    );
  }
  if (!options.token) {
    return reply(503, {
      error: "the Kubernetes audit webhook is not enabled on this server: set SEALDECK_K8S_AUDIT_TOKEN",
    });
  }
  if (!tokenMatches(match[1]!, options.token)) {
    return reply(
      401,
      { error: "invalid bearer token" },
      { "WWW-Authenticate": 'Bearer error="invalid_token"' },
    );
  }

  const cluster = new URL(request.url).searchParams.get("cluster") ?? "";
  if (!CLUSTER_NAME_PATTERN.test(cluster)) {
    return reply(400, {
      error:
        "add ?cluster=<name> to the webhook URL (letters, digits and . _ : @ / -, up to 253 characters), e.g. /api/k8s-audit?cluster=prod",
    });
  }

  const tooLarge = () =>
    reply(413, {
      error: `the batch is larger than ${options.maxBytes} bytes; lower --audit-webhook-batch-max-size (or raise SEALDECK_K8S_AUDIT_MAX_BYTES)`,
    });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) return tooLarge();
  let text: string;
  try {
    text = await readLimited(request, options.maxBytes);
  } catch (error) {
    if (error instanceof TooLarge) return tooLarge();
    throw error;
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // JSON.parse names the position of the problem, never quotes the document.
    const reason = error instanceof Error ? error.message.slice(0, 200) : "invalid";
    return reply(400, { error: `the body is not JSON (${reason}); expected an audit.k8s.io/v1 EventList` });
  }
  const list = eventListSchema.safeParse(body);
  if (!list.success) {
    const issue = list.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "body";
    return reply(400, {
      error: `not an audit.k8s.io/v1 EventList: ${where}: ${issue?.message ?? "invalid"}`,
    });
  }

  const selected = selectWatchedEvents(list.data.items);
  let stored: number;
  try {
    stored = await insertK8sAccessEvents(options.db(), cluster, selected.rows);
  } catch (error) {
    logger.error({ err: error, cluster, events: selected.rows.length }, "k8s audit batch not stored");
    return reply(503, { error: "the batch could not be stored; the API server will retry it" });
  }
  if (selected.invalid > 0) {
    logger.warn(
      { cluster, invalid: selected.invalid, first: selected.firstProblem },
      "k8s audit events skipped",
    );
  }
  return reply(200, {
    received: selected.received,
    kept: selected.rows.length,
    stored,
    duplicates: selected.rows.length - stored,
    invalid: selected.invalid,
    ...(selected.firstProblem ? { firstProblem: selected.firstProblem } : {}),
  });
}
