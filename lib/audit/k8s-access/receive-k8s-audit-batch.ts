import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { logger } from "@/lib/log/logger";
import { CLUSTER_NAME_PATTERN } from "@/lib/validations/k8s-cluster-name";
import { eventListSchema, selectWatchedEvents } from "./audit-event-list";
import { insertK8sAccessEvents, type RawSql } from "./insert-k8s-access-events";

// The Kubernetes API server's audit webhook (POST /api/k8s-audit?cluster=NAME). Authenticated by a
// bearer token, not a session: a cluster's own token (SEALDECK_K8S_AUDIT_TOKENS), valid only with its
// own `?cluster=`, or the shared SEALDECK_K8S_AUDIT_TOKEN, valid for any cluster name. Order of checks:
// credentials (for the named cluster), then the cluster, then the size (before reading), then the body.
// Responses are small JSON documents; a 5xx makes the API server retry the batch, which is safe
// (inserts are idempotent per auditID).

export type K8sAuditWebhookOptions = {
  /** The shared token, accepted for any cluster name; undefined = none. */
  token: string | undefined;
  /** Per-cluster tokens (cluster name → token), each accepted only for its own cluster. */
  clusterTokens?: Readonly<Record<string, string>> | undefined;
  maxBytes: number;
  db: () => RawSql;
};

export { CLUSTER_NAME_PATTERN };

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
  const clusterTokens = options.clusterTokens ?? {};
  const perCluster = Object.values(clusterTokens);
  if (!options.token && perCluster.length === 0) {
    return reply(503, {
      error:
        "the Kubernetes audit webhook is not enabled on this server: set SEALDECK_K8S_AUDIT_TOKENS (or SEALDECK_K8S_AUDIT_TOKEN)",
    });
  }
  const presented = match[1]!;
  const cluster = new URL(request.url).searchParams.get("cluster") ?? "";
  const clusterValid = CLUSTER_NAME_PATTERN.test(cluster);
  const badCluster = () =>
    reply(400, {
      error:
        "add ?cluster=<name> to the webhook URL (letters, digits and . _ : @ / -, up to 253 characters), e.g. /api/k8s-audit?cluster=prod",
    });
  // Own properties only: `?cluster=constructor` must not find Object's.
  const own = clusterValid && Object.hasOwn(clusterTokens, cluster) ? clusterTokens[cluster] : undefined;
  const authenticated =
    (own !== undefined && tokenMatches(presented, own)) ||
    (options.token !== undefined && tokenMatches(presented, options.token));
  if (!authenticated) {
    // A cluster's own token sent without a usable ?cluster= is a configuration slip worth naming.
    if (!clusterValid && perCluster.some((token) => tokenMatches(presented, token))) return badCluster();
    return reply(
      401,
      { error: "invalid bearer token" },
      { "WWW-Authenticate": 'Bearer error="invalid_token"' },
    );
  }
  if (!clusterValid) return badCluster();

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
