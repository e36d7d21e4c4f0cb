import "server-only";
import { version } from "@/package.json";

/**
 * Sent on every Kubernetes request, so API server audit logs (and the sandbox's request log) tell
 * Sealdeck's traffic apart from kubectl's and controllers'. The API server also names Sealdeck's
 * field manager after the part before the slash.
 */
export const KUBE_USER_AGENT = `sealdeck/${version}`;
