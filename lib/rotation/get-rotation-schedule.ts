import "server-only";
import { authorize } from "@/lib/auth/authorize";
import { permissionScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { filterByKubeRbac } from "@/lib/kube/filter-by-kube-rbac";
import { getInventory } from "@/lib/kube/inventory";
import { kubeIdentityFor } from "@/lib/kube/kube-identity";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";
import { buildRotationSchedule } from "./build-rotation-schedule";
import type { RotationSchedule } from "./compute-rotation-schedule";
import { readEvidenceVersion } from "./load-rotation-evidence";
import type { RowVisibility } from "./query-rotation-schedule";
import { readGitKeyChanges } from "./read-git-key-changes";

// The schedule the routes serve, computed once and reused until something it depends on changes: the
// inventory (its revision), the database's evidence, policies, waivers and settings (a fingerprint
// polled at most once a second), or the clock (rebuilt at least every minute, and the git history read
// again then). Kept on globalThis deliberately: Next bundles this module more than once (routes,
// actions), and they must share one schedule and see each other's invalidations.

const VERSION_POLL_MS = 1_000;
const MAX_AGE_MS = 60_000;

type Slot = {
  revision: number;
  version: string;
  builtAt: number;
  versionCheckedAt: number;
  schedule: RotationSchedule;
};
type Holder = { slot?: Slot; building?: { key: string; promise: Promise<RotationSchedule> } };
const holder = globalThis as unknown as { sealdeckRotationSchedule?: Holder };
const state = (): Holder => (holder.sealdeckRotationSchedule ??= {});

/** Forget the cached schedule (a policy, waiver or mapping was saved): the next request rebuilds. */
export function invalidateRotationSchedule(): void {
  const current = state();
  delete current.slot;
  delete current.building;
}

export async function getRotationSchedule(): Promise<RotationSchedule> {
  const inventory = getInventory();
  await inventory.ready();
  const current = state();
  const now = Date.now();
  const revision = inventory.revision;
  const slot = current.slot;
  const fresh = (s: Slot) => s.revision === revision && now - s.builtAt < MAX_AGE_MS;
  if (slot && fresh(slot) && now - slot.versionCheckedAt < VERSION_POLL_MS) return slot.schedule;
  const db = getPrismaOrThrow();
  const version = await readEvidenceVersion(db);
  if (slot && fresh(slot) && slot.version === version) {
    slot.versionCheckedAt = now;
    return slot.schedule;
  }
  const key = `${revision}|${version}`;
  // Requests arriving while it is being built wait for the same build.
  if (current.building?.key === key) return current.building.promise;
  const promise = buildRotationSchedule({
    db,
    records: inventory.list(),
    readGitChanges: () => readGitKeyChanges(),
  }).then((schedule) => {
    const builtAt = Date.now();
    current.slot = { revision, version, builtAt, versionCheckedAt: builtAt, schedule };
    return schedule;
  });
  current.building = { key, promise };
  try {
    return await promise;
  } finally {
    if (current.building?.promise === promise) delete current.building;
  }
}

/**
 * The rows `principal` may see: every row with "rotation:read" on "all"; a developer's granted
 * namespaces only; and, when Sealdeck impersonates, only what the cluster's RBAC lets them list.
 */
export async function rotationVisibility(principal: Principal): Promise<RowVisibility> {
  const everything =
    permissionScope(principal.role, "rotation:read") === "all" &&
    authorize(principal, "rotation:read").allowed;
  // One decision per cluster and namespace, not per row.
  const decisions = new Map<string, boolean>();
  const granted = (place: { cluster: string; namespace: string | null }) => {
    if (everything) return true;
    const namespace = place.namespace ?? CLUSTER_SCOPED_NAMESPACE;
    const id = `${place.cluster}\u0000${namespace}`;
    let allowed = decisions.get(id);
    if (allowed === undefined) {
      allowed = authorize(principal, "rotation:read", { cluster: place.cluster, namespace }).allowed;
      decisions.set(id, allowed);
    }
    return allowed;
  };
  if (!kubeIdentityFor(principal)) return everything ? null : granted;
  const records = getInventory().list().filter(granted);
  const allowed = new Set((await filterByKubeRbac(records, principal)).map((r) => r.id));
  return (row) => allowed.has(row.recordId);
}
