import type { RotationStatus } from "@/lib/validations/rotation";

// The demo estate's history in the sandbox's GitOps repository: when each key of each demo SealedSecret
// was committed, and the owner labels and rotation annotations the manifests carry. The repository's
// backdated commits are made from this list (sandbox/gitops/commit-demo-estate.ts), relative to the moment
// the repository is created, so the demo has overdue, due and fresh keys on any day; tests and e2e specs
// read the intended state from here instead of guessing. Pure data: importable anywhere, no server code.

/**
 * The commit trailer that marks a cluster folder's demo estate as committed, one line per cluster:
 * `Sealdeck-Demo-Estate: <cluster> <ISO time the history is relative to>`.
 */
export const DEMO_ESTATE_TRAILER = "Sealdeck-Demo-Estate";

/** The policy the demo's states are computed with when no annotation sets one (Sealdeck's default). */
export const DEMO_DEFAULT_MAX_AGE_DAYS = 90;

const OWNER = "sealdeck.io/owner";
const ROTATE_EVERY = "sealdeck.io/rotate-every";

export type DemoSealedSecret = {
  namespace: string;
  name: string;
  /** Added to the manifest's metadata and its template (owner labels). */
  labels?: Record<string, string>;
  /** Added to the manifest's metadata (rotation policies, an owner given as an annotation). */
  annotations?: Record<string, string>;
  /**
   * Days before the repository's creation at which each key's value was committed, oldest first: the
   * first is the commit that added the key, the last its latest rotation.
   */
  keys: Record<string, readonly number[]>;
};

/** Each demo SealedSecret of sandbox/seed/10-sealed-secrets.yaml, with its key history. */
export const demoSealedSecrets: readonly DemoSealedSecret[] = [
  {
    namespace: "production",
    name: "checkout-secrets",
    labels: { [OWNER]: "payments" },
    // 245 days old (overdue); 86 days old (due within 7 days).
    keys: { PAYMENT_API_KEY: [410, 330, 245], STRIPE_WEBHOOK_SECRET: [410, 300, 176, 86] },
  },
  {
    namespace: "staging",
    name: "agent-secrets",
    // No owner on the object: Settings' namespace→team mapping (or nobody) decides.
    keys: { OPENAI_API_KEY: [380, 200, 12] },
  },
  {
    namespace: "development",
    name: "shared-registry",
    // The owner as an annotation, and a 30-day policy on the whole secret: 25 days old is due within 7.
    annotations: { [OWNER]: "platform", [ROTATE_EVERY]: "30d" },
    keys: { token: [400, 95, 55, 25] },
  },
  {
    namespace: "production",
    name: "database-credentials",
    labels: { [OWNER]: "orders" },
    // A per-key policy: DB_USER may live 180 days (120 days old: compliant, overdue under the default).
    annotations: { [`${ROTATE_EVERY}.DB_USER`]: "180d" },
    keys: { DB_USER: [410, 120], DB_PASSWORD: [410, 215] },
  },
  {
    namespace: "production",
    name: "gateway-tls",
    labels: { [OWNER]: "payments" },
    // Certificate and key renewed together, last 68 days ago: due within 30 days.
    keys: { "tls.crt": [395, 300, 158, 68], "tls.key": [395, 300, 158, 68] },
  },
  {
    namespace: "staging",
    name: "database-credentials",
    // DB_USER never rotated since it was added (overdue); DB_PASSWORD due within 30 days.
    keys: { DB_USER: [280], DB_PASSWORD: [280, 150, 63] },
  },
  {
    namespace: "development",
    name: "api-keys",
    labels: { [OWNER]: "growth" },
    // SEARCH_API_KEY never rotated (overdue); MAPS_API_KEY due within 7 days.
    keys: { MAPS_API_KEY: [350, 170, 84], SEARCH_API_KEY: [350] },
  },
  {
    namespace: "production",
    name: "legacy-payment-gateway",
    labels: { [OWNER]: "payments" },
    // Sealed for a key that no longer exists, and never rotated: overdue and failing.
    keys: { GATEWAY_API_KEY: [420] },
  },
];

export type DemoExternalSecret = {
  kind: "ExternalSecret" | "ClusterExternalSecret";
  /** Null for the cluster-scoped ClusterExternalSecret. */
  namespace: string | null;
  name: string;
  /** Days before the repository's creation at which its manifest was committed. */
  committedDaysAgo: number;
};

/**
 * The ExternalSecrets of sandbox/seed/30-external-secrets.yaml, committed once each. Their rotations are
 * the provider's and the cluster's (refresh, data-hash), not Git's: the history only dates the manifest.
 */
export const demoExternalSecrets: readonly DemoExternalSecret[] = [
  { kind: "ExternalSecret", namespace: "production", name: "stripe-credentials", committedDaysAgo: 390 },
  { kind: "ExternalSecret", namespace: "production", name: "orders-database", committedDaysAgo: 360 },
  { kind: "ExternalSecret", namespace: "production", name: "analytics-warehouse", committedDaysAgo: 240 },
  { kind: "ExternalSecret", namespace: "production", name: "legacy-aws-credentials", committedDaysAgo: 415 },
  { kind: "ExternalSecret", namespace: "staging", name: "stripe-credentials", committedDaysAgo: 390 },
  { kind: "ExternalSecret", namespace: "staging", name: "reporting-database", committedDaysAgo: 330 },
  { kind: "ExternalSecret", namespace: "development", name: "feature-flags", committedDaysAgo: 190 },
  { kind: "ExternalSecret", namespace: "development", name: "stripe-credentials", committedDaysAgo: 120 },
  { kind: "ClusterExternalSecret", namespace: null, name: "registry-pull-secret", committedDaysAgo: 270 },
];

/** The repository path of a demo manifest, where Sealdeck's default path template looks for it. */
export function demoManifestPath(
  cluster: string,
  kind: "SealedSecret" | DemoExternalSecret["kind"],
  namespace: string | null,
  name: string,
): string {
  // `{cluster}/{namespace}/{name}.sealedsecret.yaml` is the default template (lib/gitops/create-provider.ts).
  return `${cluster}/${namespace ?? "_cluster"}/${name}.${kind.toLowerCase()}.yaml`;
}

export type DemoKeyState = {
  cluster: string;
  namespace: string;
  name: string;
  kind: "SealedSecret";
  key: string;
  /** Days between the key's last commit and the repository's creation (plus `elapsedDays`). */
  daysAgo: number;
  /** Days between the key's first commit and the repository's creation. */
  createdDaysAgo: number;
  /** Number of commits that changed the key after the one that added it. */
  rotations: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The max age from the manifest's annotations (per-key form first), else the 90-day default. */
  maxAgeDays: number;
  policyFrom: "key annotation" | "annotation" | "default";
  /** Days left until due when the repository was created; negative when overdue. */
  dueInDays: number;
  /** The state with no stored policy or waiver, when the repository was created. */
  status: Extract<RotationStatus, "overdue" | "due-7" | "due-30" | "compliant">;
};

function days(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+)d$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** The clusters and creation times in the output of `git log main --format=%B` (see DEMO_ESTATE_TRAILER). */
export function parseDemoEstateTrailers(log: string): Map<string, Date> {
  const found = new Map<string, Date>();
  for (const match of log.matchAll(new RegExp(`^${DEMO_ESTATE_TRAILER}: (\\S+) (\\S+)$`, "gm")))
    found.set(match[1]!, new Date(match[2]!));
  return found;
}

/**
 * Every demo SealedSecret key on every cluster, with its intended rotation state. The same history is
 * committed to each cluster's folder (the default launcher runs `sandbox` and `sandbox-2`).
 * `elapsedDays`: whole days since the repository was created (its trailer's time), as the demo ages.
 */
export function demoKeyStates(
  clusters: readonly string[] = ["sandbox", "sandbox-2"],
  elapsedDays = 0,
): DemoKeyState[] {
  return clusters.flatMap((cluster) =>
    demoSealedSecrets.flatMap((secret) =>
      Object.entries(secret.keys).map(([key, history]): DemoKeyState => {
        const annotations = secret.annotations ?? {};
        const perKey = days(annotations[`${ROTATE_EVERY}.${key}`]);
        const perSecret = days(annotations[ROTATE_EVERY]);
        const maxAgeDays = perKey ?? perSecret ?? DEMO_DEFAULT_MAX_AGE_DAYS;
        const daysAgo = history[history.length - 1]! + elapsedDays;
        const dueInDays = maxAgeDays - daysAgo;
        return {
          cluster,
          namespace: secret.namespace,
          name: secret.name,
          kind: "SealedSecret",
          key,
          daysAgo,
          createdDaysAgo: history[0]! + elapsedDays,
          rotations: history.length - 1,
          labels: secret.labels ?? {},
          annotations,
          maxAgeDays,
          policyFrom: perKey ? "key annotation" : perSecret ? "annotation" : "default",
          dueInDays,
          status:
            dueInDays < 0 ? "overdue" : dueInDays <= 7 ? "due-7" : dueInDays <= 30 ? "due-30" : "compliant",
        };
      }),
    ),
  );
}
