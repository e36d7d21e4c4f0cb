import { formatTimestamp } from "@/components/ui/format-timestamp";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { Facts } from "./detail-section";

/** Where the secret's values come from: the sealing controller, or the external store. */
export function SecretSourceFacts({ record }: { record: SecretRecord }) {
  const source = record.source;
  if (source.kind === "sealed-secrets") {
    return (
      <Facts
        rows={[
          [
            "Controller",
            source.controller ? `${source.controller.namespace}/${source.controller.name}` : "not found",
          ],
          ["Scope", record.scope],
          [
            "Sealed with key",
            source.sealedWith ? (
              <code title={source.sealedWith}>{source.sealedWith.slice(0, 24)}…</code>
            ) : (
              "not recorded (sealed outside Sealdeck)"
            ),
          ],
          [
            "Sealed for",
            source.templateName || source.templateNamespace
              ? `${source.templateNamespace ?? record.namespace}/${source.templateName ?? record.name}`
              : `${record.namespace}/${record.name}`,
          ],
          ["Secret type", record.type],
        ]}
      />
    );
  }
  return (
    <Facts
      rows={[
        ["Store", source.store ? `${source.store.kind} ${source.store.name}` : "none"],
        ["Provider", source.provider ?? "unknown"],
        ["Store ready", source.storeReady === null ? "unknown" : source.storeReady ? "yes" : "no"],
        ["Remote keys", source.remoteKeys.length ? source.remoteKeys.join(", ") : "none"],
        ["Refresh", `${source.refreshPolicy ?? "Periodic"}, every ${source.refreshInterval ?? "1h"}`],
        ["Last refresh", formatTimestamp(source.refreshTime, "never")],
        ...(source.provisionedNamespaces
          ? ([["Provisioned in", source.provisionedNamespaces.join(", ") || "none"]] as [string, string][])
          : []),
        ...(source.failedNamespaces?.length
          ? ([["Failed in", source.failedNamespaces.join(", ")]] as [string, string][])
          : []),
        ["Secret type", record.type],
      ]}
    />
  );
}
