import "server-only";
import { logger } from "@/lib/log/logger";
import { readSetting } from "./read-setting";
import {
  type ClusterSetting,
  type ClusterSettings,
  type Environment,
  type SealingControllerOverride,
  settingDefinitions,
} from "./setting-keys";

// The clusters' display names, environments and controller overrides. The inventory builds its cluster
// statuses synchronously, so the last value read is kept on globalThis (shared by Next's server bundles)
// and refreshed in the background when older than REFRESH_MS, and at once after a change is saved.

const REFRESH_MS = 15_000;

type Snapshot = { settings: ClusterSettings; readAt: number; reading: boolean };
const holder = globalThis as unknown as { sealdeckClusterSettings?: Snapshot };

function remember(settings: ClusterSettings): ClusterSettings {
  holder.sealdeckClusterSettings = { settings, readAt: Date.now(), reading: false };
  return settings;
}

/** Every cluster's settings as stored (an invalid stored value reads as none, and is logged). */
export async function readClusterSettings(): Promise<ClusterSettings> {
  const read = await readSetting(settingDefinitions.clusters);
  if (read.error) logger.warn({ key: settingDefinitions.clusters.key }, read.error);
  return remember(read.value ?? {});
}

/** Called by the save action after its transaction commits. */
export function rememberClusterSettings(settings: ClusterSettings): void {
  remember(settings);
}

/** One cluster's settings with defaults filled in. */
export function clusterSettingOf(settings: ClusterSettings, cluster: string): ClusterSetting {
  return (
    settings[cluster] ?? {
      displayName: "",
      environment: null,
      controller: { mode: "discover" },
      pinnedCertificatePem: null,
      keyRenewalDays: null,
    }
  );
}

/**
 * How the UI names a cluster, from the last settings read (never blocks; refreshes in the background).
 * Used by the inventory's cluster status.
 */
export function clusterPresentation(cluster: string): {
  displayName: string | null;
  environment: Environment | null;
} {
  const snapshot = holder.sealdeckClusterSettings;
  if (!snapshot || (Date.now() - snapshot.readAt > REFRESH_MS && !snapshot.reading)) {
    if (snapshot) snapshot.reading = true;
    else holder.sealdeckClusterSettings = { settings: {}, readAt: 0, reading: true };
    readClusterSettings().catch((error: unknown) => {
      if (holder.sealdeckClusterSettings) {
        holder.sealdeckClusterSettings.reading = false;
        holder.sealdeckClusterSettings.readAt = Date.now();
      }
      logger.debug({ err: error }, "cluster settings: could not read");
    });
  }
  const setting = holder.sealdeckClusterSettings?.settings[cluster];
  return { displayName: setting?.displayName || null, environment: setting?.environment ?? null };
}

/** The cluster's controller override; "discover" when none is set or the settings cannot be read. */
export async function readSealingControllerOverride(cluster: string): Promise<SealingControllerOverride> {
  try {
    return clusterSettingOf(await readClusterSettings(), cluster).controller;
  } catch (error) {
    logger.debug({ err: error, cluster }, "cluster settings unavailable: discovering the controller");
    return { mode: "discover" };
  }
}

/** The cluster's sealing-key renewal setting (null: the default); null too when the settings cannot be read. */
export async function readKeyRenewalDays(cluster: string): Promise<number | null> {
  try {
    return clusterSettingOf(await readClusterSettings(), cluster).keyRenewalDays;
  } catch (error) {
    logger.debug({ err: error, cluster }, "cluster settings unavailable: default key renewal period");
    return null;
  }
}

/** The certificate Settings pins for the cluster, or null (none, or the settings cannot be read). */
export async function readPinnedCertificate(cluster: string): Promise<string | null> {
  try {
    return clusterSettingOf(await readClusterSettings(), cluster).pinnedCertificatePem;
  } catch (error) {
    logger.debug(
      { err: error, cluster },
      "cluster settings unavailable: reading the controller's certificate",
    );
    return null;
  }
}
