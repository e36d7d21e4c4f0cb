"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { getInventory } from "@/lib/kube/inventory";
import { loadClusterRegistry } from "@/lib/kube/load-cluster-registry";
import { SealingError } from "@/lib/sealing/errors";
import { parseCertificate } from "@/lib/sealing/parse-certificate";
import { clusterSettingOf, rememberClusterSettings } from "../read-cluster-settings";
import { readSetting } from "../read-setting";
import { clusterSettingSchema, settingDefinitions } from "../setting-keys";
import { writeSetting } from "../write-setting";

const inputSchema = clusterSettingSchema.extend({ cluster: z.string().trim().min(1).max(253) });

// Server action – name a cluster, mark its environment, and say where its sealing controller is.
export const saveClusterSettings = authorizedAction({
  permission: settingDefinitions.clusters.permission,
  input: inputSchema,
  async run({ cluster, ...setting }, { principal }) {
    if (!loadClusterRegistry().some((entry) => entry.name === cluster))
      throw new AppError("not_found", `No cluster named ${cluster} in this Sealdeck's kubeconfig.`);
    // A pinned certificate must be one Sealdeck can seal with today.
    let pinnedFingerprint: string | null = null;
    if (setting.pinnedCertificatePem) {
      try {
        pinnedFingerprint = (await parseCertificate(setting.pinnedCertificatePem)).fingerprintSha256;
      } catch (error) {
        throw new AppError(
          "unprocessable",
          `The pinned certificate cannot be used: ${error instanceof SealingError ? error.message : "it could not be parsed"}`,
        );
      }
    }
    const definition = settingDefinitions.clusters;
    const saved = await getPrismaOrThrow().$transaction(async (tx) => {
      const current = await readSetting(definition, tx);
      const all = { ...(current.value ?? {}) };
      const before = clusterSettingOf(all, cluster);
      all[cluster] = setting;
      const next = await writeSetting(tx, definition, {
        value: all,
        principal,
        summarize: () => ({
          cluster,
          changed: (
            ["displayName", "environment", "controller", "pinnedCertificatePem", "keyRenewalDays"] as const
          ).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(setting[field])),
          displayName: setting.displayName,
          environment: setting.environment,
          controller: setting.controller.mode,
          pinnedCertificateFingerprint: pinnedFingerprint,
          keyRenewalDays: setting.keyRenewalDays,
        }),
      });
      return {
        next: next ?? {},
        controllerChanged: JSON.stringify(before.controller) !== JSON.stringify(setting.controller),
      };
    });
    rememberClusterSettings(saved.next);
    if (saved.controllerChanged) getInventory().cluster(cluster)?.forgetController();
    revalidatePath("/settings");
    return { cluster };
  },
});
