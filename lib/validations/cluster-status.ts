// What the UI shows per cluster: where it is, whether it is a sandbox, and whether its data is live.

export type SealingKeyInfo = { name: string; createdAt: string | null; active: boolean };

export type ControllerInfo = {
  /** The namespace of its service, and of its sealing keys. */
  namespace: string;
  service: string;
  port: string;
  /** Set when Settings points at the controller directly (no service proxy); then service/port are empty. */
  url?: string | null;
  certificate: {
    fingerprintSha256: string;
    publicKeySha256: string;
    notAfter: string;
    expired: boolean;
    modulusBits: number;
  } | null;
  error: string | null;
  keys: SealingKeyInfo[];
};

export type ClusterWarning = {
  cluster: string;
  code:
    | "certificate-changed"
    | "new-key"
    | "certificate-expiring"
    | "controller-missing"
    | "forbidden"
    | "unreachable";
  message: string;
};

export type ClusterStatus = {
  name: string;
  /** From Settings → Clusters; null when none is set (show the name). */
  displayName?: string | null;
  environment?: "production" | "staging" | "development" | null;
  /** The API server URL; null when hidden from this viewer (`detailsHidden`). */
  server: string | null;
  sandbox: boolean;
  state: "connecting" | "synced" | "stale";
  /** When the data became stale (cluster unreachable), ISO time. */
  since: string | null;
  message: string | null;
  externalSecretsVersion: string | null;
  controller: ControllerInfo | null;
  /**
   * True when this viewer holds no grant on the cluster: only its name, presentation and state are
   * sent; server, message, ESO version and controller are null (lib/kube/redact-cluster-details.ts).
   */
  detailsHidden?: boolean;
};

/** How the UI and messages name a controller: its URL when reached directly, else namespace/service. */
export function controllerLabel(controller: {
  namespace: string;
  service?: string;
  port?: string;
  url?: string | null;
}): string {
  if (controller.url) return controller.url;
  return `${controller.namespace}/${controller.service ?? ""}${controller.port ? `:${controller.port}` : ""}`;
}
