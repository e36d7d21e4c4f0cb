import "server-only";
import type { KubeObject } from "../server/kube-object";
import { nowIso } from "../server/kube-object";
import type { ObjectStore } from "../server/object-store";
import { preferredKind } from "../server/resource-kinds";

/** Writes a core/v1 Event about an object, as controllers do, so `kubectl get events` tells the story. */
export function recordEvent(
  store: ObjectStore,
  about: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  component: string,
) {
  const namespace = about.metadata.namespace ?? "default";
  const now = nowIso();
  try {
    store.create(preferredKind("", "Event"), {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        name: `${about.metadata.name ?? "object"}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 6)}`,
        namespace,
      },
      involvedObject: {
        apiVersion: about.apiVersion,
        kind: about.kind,
        name: about.metadata.name,
        namespace,
        uid: about.metadata.uid,
        resourceVersion: about.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  } catch {
    // An event is best effort: its namespace may be going away.
  }
}
