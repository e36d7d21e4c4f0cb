import "server-only";
import { readSecretHistory } from "@/app/api/secrets/[cluster]/[namespace]/[kind]/[name]/history/read-secret-history";
import type { SecretSections } from "@/components/secrets/seed-secret-sections";
import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { listValueFixes } from "@/lib/fix-value/list-value-fixes";
import { listProposals } from "@/lib/gitops/list-proposals";
import type { SecretAddress } from "@/lib/kube/get-secret-detail";
import { getSecretEvents } from "@/lib/kube/get-secret-events";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import { proposalListQuerySchema } from "@/lib/validations/proposal-list";
import { secretHistoryQuerySchema } from "@/lib/validations/audit-query";

/** The body as the API route's `Response.json` would send it (dates as strings), so a cached section looks the same either way. */
const asJson = async <T>(body: Promise<T>): Promise<T> => JSON.parse(JSON.stringify(await body)) as T;

/**
 * The secret page's sections (Kubernetes Events, timeline, fixes, pull requests), read in the page's own
 * render for a principal who may see the record (Sealdeck's grant and the cluster's RBAC, both already
 * checked by the caller), each as its API route reads it. Nothing is sent before the page itself, which
 * waits for the view's audit event; `viewRecorded` orders the timeline after it, so the page shows its
 * own view. A failed read rejects its promise only (the client then asks the route).
 */
export function readSecretSections(
  principal: Principal,
  address: SecretAddress,
  viewRecorded: Promise<unknown>,
): SecretSections {
  const { cluster, namespace, kind, name } = address;
  const sections: SecretSections = {
    events: asJson(getSecretEvents(address)),
    history: asJson(
      viewRecorded.then(() => readSecretHistory(principal, address, secretHistoryQuerySchema.parse({}))),
    ),
    fixes: asJson(listValueFixes(getPrismaOrThrow(), address).then((fixes) => ({ fixes }))),
    proposals:
      kind === "SealedSecret"
        ? asJson(
            readGitopsRepositories()
              .catch(() => [])
              .then((repositories) =>
                listProposals(
                  getPrismaOrThrow(),
                  principal,
                  proposalListQuerySchema.parse({ cluster, namespace, name }),
                  repositories,
                ),
              ),
          )
        : null,
  };
  // A page that fails after starting these (its audit write refused) never awaits them.
  for (const section of Object.values(sections)) (section as Promise<unknown> | null)?.catch(() => undefined);
  return sections;
}
