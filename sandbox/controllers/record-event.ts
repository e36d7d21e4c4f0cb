import "server-only";
import type { KubeObject } from "../server/kube-object";
import { nowIso } from "../server/kube-object";
import type { ObjectStore } from "../server/object-store";
import { preferredKind } from "../server/resource-kinds";

/** How many distinct events a recorder remembers for aggregation (client-go's cache holds 4096). */
const REMEMBERED = 4096;

export type EventRecorder = (
  about: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
) => void;

/**
 * Writes core/v1 Events about objects, as a controller's client-go recorder does, so `kubectl get
 * events` tells the story. Like client-go's event correlator, an event identical to one this recorder
 * already wrote (same object, type, reason, message and component) bumps that Event's `count` and
 * `lastTimestamp` instead of adding another: after a second unseal, `kubectl describe` shows
 * "Unsealed (x2 over …)", and a reader sorting by lastTimestamp sees it as the newest.
 */
export function createEventRecorder(store: ObjectStore, component: string): EventRecorder {
  const events = preferredKind("", "Event");
  // Per recorder, as in client-go: a restarted controller starts a new Event for the same story.
  const written = new Map<string, string>();
  return (about, type, reason, message) => {
    const namespace = about.metadata.namespace ?? "default";
    const key = [about.kind, namespace, about.metadata.name, about.metadata.uid, type, reason, message].join(
      "\0",
    );
    const now = nowIso();
    try {
      const earlier = written.get(key);
      const existing = earlier ? store.get(events, namespace, earlier) : undefined;
      if (existing) {
        store.update(events, {
          ...existing,
          metadata: { ...existing.metadata, resourceVersion: undefined },
          involvedObject: {
            ...(existing.involvedObject as Record<string, unknown>),
            resourceVersion: about.metadata.resourceVersion,
          },
          count: (typeof existing.count === "number" ? existing.count : 1) + 1,
          lastTimestamp: now,
        });
        // Most recently used last, so the oldest is the first to be forgotten.
        written.delete(key);
        written.set(key, earlier!);
        return;
      }
      const name = `${about.metadata.name ?? "object"}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 6)}`;
      store.create(events, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
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
      written.delete(key);
      written.set(key, name);
      if (written.size > REMEMBERED) written.delete(written.keys().next().value!);
    } catch {
      // An event is best effort: its namespace may be going away.
    }
  };
}
