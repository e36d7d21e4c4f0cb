import "server-only";

import type { Principal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors/app-error";
import { requestController } from "@/lib/kube/request-controller";
import { runAuditedClusterAction } from "@/lib/kube/run-audited-cluster-action";
import type { SealedSecretManifest } from "@/lib/sealing";
import { controllerLabel } from "@/lib/validations/cluster-status";
import type { VerifySealedManifestsResult } from "@/lib/validations/proposal";

import { describeClusterFailure, resolveSealingController } from "./resolve-sealing-controller";

type Outcome = VerifySealedManifestsResult[number];

/**
 * Asks each cluster's controller whether it can decrypt the manifest sealed for it (`POST /v1/verify`
 * through the API server's service proxy or at the controller's configured URL, what `kubeseal --validate` does). Each cluster's check is
 * audited as `secret.validate` (request first, fail closed). A cluster that cannot be asked (no
 * controller, unreachable, rate-limited) is "unreachable" with the reason, not an error for the rest.
 */
export async function verifySealedManifests(
  principal: Principal,
  files: readonly { cluster: string; manifest: SealedSecretManifest }[],
): Promise<VerifySealedManifestsResult> {
  const results: VerifySealedManifestsResult = [];
  for (const { cluster, manifest } of files) {
    const namespace = manifest.metadata.namespace;
    if (!namespace)
      throw new AppError(
        "bad_request",
        `The manifest for ${cluster} has no namespace; it cannot be verified.`,
      );
    const target = { cluster, namespace, kind: "SealedSecret", name: manifest.metadata.name };
    results.push(
      await runAuditedClusterAction(
        principal,
        "secret.validate",
        target,
        () => verifyOne(principal, cluster, manifest),
        (r) => ({ outcome: r.outcome, keys: Object.keys(manifest.spec.encryptedData).sort() }),
      ),
    );
  }
  return results;
}

async function verifyOne(
  principal: Principal,
  cluster: string,
  manifest: SealedSecretManifest,
): Promise<Outcome> {
  let resolved: Awaited<ReturnType<typeof resolveSealingController>>;
  try {
    resolved = await resolveSealingController(cluster);
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "unavailable"))
      return { cluster, outcome: "unreachable", message: error.message };
    throw error;
  }
  const { ref } = resolved;
  try {
    const response = await requestController(resolved.cluster.accessFor(principal), ref, "/v1/verify", {
      cluster,
      method: "POST",
      body: JSON.stringify(manifest),
      contentType: "application/json",
    });
    const text = response.text.trim().slice(0, 500);
    if (response.status === 200)
      return { cluster, outcome: "valid", message: "The controller can decrypt every value." };
    if (response.status === 409)
      return {
        cluster,
        outcome: "invalid",
        message:
          text || "The controller cannot decrypt these values: they were sealed for another key or scope.",
      };
    if (response.status === 429)
      return {
        cluster,
        outcome: "unreachable",
        message: "The controller allows two verifications a second; try again shortly.",
      };
    return {
      cluster,
      outcome: "unreachable",
      message: `The controller ${controllerLabel(ref)} answered HTTP ${response.status}${text ? ` (${text.slice(0, 200)})` : ""}.`,
    };
  } catch (error) {
    return {
      cluster,
      outcome: "unreachable",
      message: `The controller on ${cluster} could not be asked: ${describeClusterFailure(error)}.`,
    };
  }
}
