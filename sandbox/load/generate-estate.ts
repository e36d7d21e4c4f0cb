import "server-only";
import { randomBytes } from "node:crypto";
import type { ObjectStore } from "../server/object-store";
import { preferredKind } from "../server/resource-kinds";

/** Generated SealedSecrets carry random ciphertext: the controller leaves them alone (see README). */
export const skipUnsealAnnotation = "sandbox.sealdeck.io/skip-unseal";

const kinds = {
  namespace: preferredKind("", "Namespace"),
  secret: preferredKind("", "Secret"),
  sealedSecret: preferredKind("bitnami.com", "SealedSecret"),
  externalSecret: preferredKind("external-secrets.io", "ExternalSecret"),
  secretStore: preferredKind("external-secrets.io", "SecretStore"),
};

const teams = ["payments", "checkout", "search", "identity", "platform", "data", "mobile", "growth"];

/**
 * A large estate for benchmarks: `count` SealedSecrets (with their unsealed Secrets) and count/2
 * ExternalSecrets over count/20 namespaces (20,000 → 1,000 namespaces), written straight into the
 * store. About 2% of SealedSecrets report a failed unseal and 2% of ExternalSecrets a missing key.
 */
export function generateEstate(store: ObjectStore, count: number): void {
  const namespaceCount = Math.max(1, Math.round(count / 20));
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  // One random blob reused with per-object slices keeps generation fast while values still differ.
  const noise = randomBytes(4096).toString("base64");
  for (let n = 0; n < namespaceCount; n++) {
    const namespace = `estate-${String(n).padStart(4, "0")}`;
    const team = teams[n % teams.length]!;
    store.create(kinds.namespace, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { "sealdeck.io/team": team, "sealdeck.io/generated": "true" } },
      status: { phase: "Active" },
    });
    store.create(kinds.secretStore, {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: "fake", namespace },
      spec: {
        provider: {
          fake: {
            data: [
              { key: "/app/db", value: JSON.stringify({ user: "app", password: `pw-${n}` }) },
              { key: "/app/api-key", value: `key-${n}` },
            ],
          },
        },
      },
    });
  }
  for (let i = 0; i < count; i++) {
    const namespace = `estate-${String(i % namespaceCount).padStart(4, "0")}`;
    const name = `app-${String(Math.floor(i / namespaceCount)).padStart(3, "0")}-secrets`;
    const failing = i % 50 === 49;
    const offset = (i * 7) % 3000;
    const created = store.create(kinds.sealedSecret, {
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: {
        name,
        namespace,
        annotations: { [skipUnsealAnnotation]: "true" },
        labels: { "sealdeck.io/team": teams[i % teams.length]! },
      },
      spec: {
        encryptedData: {
          DATABASE_URL: `AgB${noise.slice(offset, offset + 700)}`,
          API_TOKEN: `AgC${noise.slice(offset + 100, offset + 800)}`,
        },
        template: { metadata: { name, namespace } },
      },
    });
    store.update(
      kinds.sealedSecret,
      {
        ...created,
        status: {
          observedGeneration: 1,
          conditions: [
            {
              type: "Synced",
              status: failing ? "False" : "True",
              lastUpdateTime: now,
              lastTransitionTime: now,
              ...(failing ? { message: "no key could decrypt secret (API_TOKEN, DATABASE_URL)" } : {}),
            },
          ],
        },
      },
      { status: true },
    );
    if (!failing) {
      store.create(kinds.secret, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name,
          namespace,
          ownerReferences: [
            {
              apiVersion: "bitnami.com/v1alpha1",
              kind: "SealedSecret",
              name,
              uid: created.metadata.uid ?? "",
              controller: true,
            },
          ],
        },
        type: "Opaque",
        data: {
          DATABASE_URL: Buffer.from(`postgres://app@db/${i}`).toString("base64"),
          API_TOKEN: Buffer.from(`token-${i}`).toString("base64"),
        },
      });
    }
  }
  for (let i = 0; i < Math.floor(count / 2); i++) {
    const namespace = `estate-${String(i % namespaceCount).padStart(4, "0")}`;
    const name = `app-${String(Math.floor(i / namespaceCount)).padStart(3, "0")}-external`;
    store.create(kinds.externalSecret, {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { name: "fake", kind: "SecretStore" },
        target: { name },
        data: [
          { secretKey: "password", remoteRef: { key: "/app/db", property: "password" } },
          { secretKey: "api-key", remoteRef: { key: i % 50 === 49 ? "/app/missing" : "/app/api-key" } },
        ],
      },
    });
  }
}
