import "server-only";
import { headers } from "next/headers";
import type { Principal } from "@/lib/auth/principal";
import type { AppendedAuditEvent } from "./append-audit-event";
import { createAuditAppender, type AuditAppender } from "./create-audit-appender";
import { getAuditPoolOrThrow } from "./get-audit-pool";
import { requestClient, type RequestClient } from "./request-client";

// Access history: a `secret.viewed` event when someone opens a secret's page, written before the page
// renders (fail closed: no record, no page). A refresh storm must not flood the chain, so one user's
// views of one secret are recorded at most once per THROTTLE_MS (per process, in memory).

const THROTTLE_MS = 5 * 60_000;
const MAX_REMEMBERED = 10_000;

type SecretAddress = { cluster: string; namespace: string; kind: string; name: string };

const globalForViews = globalThis as unknown as {
  sealdeckSecretViews?: Map<string, number>;
  sealdeckViewAppender?: AuditAppender;
};
const recent = () => (globalForViews.sealdeckSecretViews ??= new Map());

export type RecordSecretViewOptions = {
  /** The request's client; read from the current request's headers when absent. */
  client?: RequestClient;
  appender?: AuditAppender;
  now?: number;
};

/** Records the view unless this user viewed this secret recently; throws (AppError) when it cannot. */
export async function recordSecretView(
  principal: Principal,
  secret: SecretAddress,
  options: RecordSecretViewOptions = {},
): Promise<AppendedAuditEvent | null> {
  const now = options.now ?? Date.now();
  const key = `${principal.userId}\u0000${secret.cluster}\u0000${secret.namespace}\u0000${secret.kind}\u0000${secret.name}`;
  const views = recent();
  const last = views.get(key);
  if (last !== undefined && now - last < THROTTLE_MS) return null;
  if (views.size >= MAX_REMEMBERED) {
    for (const [k, at] of views) if (now - at >= THROTTLE_MS) views.delete(k);
    // Still full of recent views: forget the oldest rather than grow without bound.
    while (views.size >= MAX_REMEMBERED) views.delete(views.keys().next().value!);
  }
  const client = options.client ?? requestClient(await headers());
  const appender =
    options.appender ?? (globalForViews.sealdeckViewAppender ??= createAuditAppender(getAuditPoolOrThrow()));
  // Taken before the write so concurrent renders of the same view record it once; given back on failure.
  views.set(key, now);
  try {
    return await appender.append({
      actor: {
        userId: principal.userId,
        name: principal.username,
        role: principal.role,
        ip: client.ip,
        userAgent: client.userAgent,
      },
      action: "secret.viewed",
      target: {
        cluster: secret.cluster,
        namespace: secret.namespace === "-" ? null : secret.namespace,
        kind: secret.kind,
        name: secret.name,
      },
      outcome: "success",
    });
  } catch (error) {
    if (views.get(key) === now) views.delete(key);
    throw error;
  }
}

/** Forgets the throttle (tests). */
export function resetSecretViewThrottle(): void {
  recent().clear();
}
