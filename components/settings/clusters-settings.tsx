import { Card } from "@/components/ui/card";
import type { SealingKeysView } from "@/lib/kube/describe-sealing-keys";
import type { ClusterSetting } from "@/lib/settings/setting-keys";
import { controllerLabel, type ClusterWarning } from "@/lib/validations/cluster-status";
import { AcknowledgeKeyBackupButton } from "./acknowledge-key-backup-button";
import { ClusterSettingsForm } from "./cluster-settings-form";
import { ReadOnlyNote } from "./read-only-note";
import { ReencryptionPanel } from "./reencryption-panel";
import { mutedClass } from "./settings-classes";
import { SealingKeysTable } from "./sealing-keys-table";
import { CommandBlock } from "@/components/ui/command-block";

export type ClusterSettingsRow = {
  name: string;
  /** Null: hidden from this viewer (no grant on the cluster). */
  server: string | null;
  sandbox: boolean;
  setting: ClusterSetting;
  /** The controller in use now, as the inventory found it. */
  controller: { namespace: string; service: string; port: string; url: string | null } | null;
  /** "new-key" and "certificate-changed": what a key backup acknowledgement clears. */
  keyWarnings: ClusterWarning[];
  /** The controller's keys and renewal; absent when the controller has not been read. */
  sealingKeys?: SealingKeysView | null;
  /** "key-renewal-overdue" and "keys-piling-up": fixed at the controller, not by acknowledging. */
  keyHealthWarnings?: ClusterWarning[];
};

type ClustersSettingsProps = {
  clusters: ClusterSettingsRow[];
  canEdit: boolean;
  canAcknowledge: boolean;
  /** May re-encrypt SealedSecrets with the newest key (secret:rotate); the panel lists their namespaces. */
  canReencrypt?: boolean;
  /** The stored value is invalid (shown, never silently replaced). */
  error: string | null;
};

const warningClass =
  "rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200";

// Settings → Clusters: every kubeconfig context, how it is named and marked, and its key backups.
export function ClustersSettings({
  clusters,
  canEdit,
  canAcknowledge,
  canReencrypt = false,
  error,
}: ClustersSettingsProps) {
  return (
    <Card title="Clusters" id="clusters" className="lg:col-span-2">
      {!canEdit && <ReadOnlyNote need="the Admin role (clusters:write)" />}
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400">
          {error} Saving a cluster replaces it.
        </p>
      )}
      {clusters.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>
          No clusters configured: Sealdeck reads the contexts of <code>KUBECONFIG</code> (or{" "}
          <code>~/.kube/config</code>) or the in-cluster service account.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {clusters.map((cluster) => (
            <li key={cluster.name} className="py-3" data-testid={`cluster-settings-${cluster.name}`}>
              <h3 className="text-sm font-semibold">
                {cluster.name}
                {cluster.sandbox && <span className={`ml-2 text-xs font-normal ${mutedClass}`}>sandbox</span>}
              </h3>
              <p className={`mb-2 font-mono text-xs break-all ${mutedClass}`}>
                {cluster.server ?? "details hidden: you hold no grant on this cluster"}
                {cluster.controller && ` · controller ${controllerLabel(cluster.controller)}`}
              </p>
              {canEdit ? (
                <ClusterSettingsForm cluster={cluster.name} setting={cluster.setting} />
              ) : (
                <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
                  <dt className={mutedClass}>Display name</dt>
                  <dd>{cluster.setting.displayName || <span className={mutedClass}>not set</span>}</dd>
                  <dt className={mutedClass}>Environment</dt>
                  <dd>{cluster.setting.environment ?? <span className={mutedClass}>not set</span>}</dd>
                  <dt className={mutedClass}>Sealing controller</dt>
                  <dd>
                    {cluster.setting.controller.mode === "discover"
                      ? "discovered"
                      : controllerLabel(cluster.setting.controller)}
                  </dd>
                  <dt className={mutedClass}>Pinned certificate</dt>
                  <dd>
                    {cluster.setting.pinnedCertificatePem ? "pinned" : "none (read from the controller)"}
                  </dd>
                </dl>
              )}
              {cluster.sealingKeys && <SealingKeysTable cluster={cluster.name} view={cluster.sealingKeys} />}
              {cluster.sealingKeys && canReencrypt && <ReencryptionPanel cluster={cluster.name} />}
              {(cluster.keyHealthWarnings ?? []).length > 0 && (
                <ul className="mt-3 space-y-1" aria-label={`Sealing key warnings of ${cluster.name}`}>
                  {(cluster.keyHealthWarnings ?? []).map((warning) => (
                    <li key={warning.code}>
                      <div role="note" className={warningClass}>
                        {warning.message}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              {cluster.keyWarnings.length > 0 && (
                <div className="mt-3" aria-label={`Key backup warnings of ${cluster.name}`}>
                  <ul className="space-y-1">
                    {cluster.keyWarnings.map((warning, index) => (
                      <li key={`${warning.code}-${index}`}>
                        <div role="note" className={warningClass}>
                          {warning.message}
                          {warning.command && <CommandBlock command={warning.command} />}
                        </div>
                      </li>
                    ))}
                  </ul>
                  {canAcknowledge ? (
                    <AcknowledgeKeyBackupButton cluster={cluster.name} />
                  ) : (
                    <p className={`mt-1 text-xs ${mutedClass}`}>A security lead acknowledges key backups.</p>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
