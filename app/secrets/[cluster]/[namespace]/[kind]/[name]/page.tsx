import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SecretDetailView } from "@/components/secrets/secret-detail-view";
import { recordSecretView } from "@/lib/audit/record-secret-view";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
import { getVisibleSecretDetail } from "@/lib/kube/get-visible-secret-detail";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";

type Params = { cluster: string; namespace: string; kind: string; name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function SecretPage({ params }: { params: Promise<Params> }) {
  const access = await guardPage("/secrets/[cluster]/[namespace]/[kind]/[name]", await params);
  if (!access.allowed) return access.page;
  const parsed = secretRouteParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const { cluster, namespace, kind, name } = parsed.data;
  // Access history, recorded before the page renders (fail closed), at most once per user and secret per
  // 5 min. The record is read meanwhile and sent with the page: no second round trip before it shows.
  const [, initial] = await Promise.all([
    recordSecretView(access.principal, parsed.data),
    getVisibleSecretDetail(access.principal, parsed.data),
  ]);
  // Buttons a role may not use are not shown; the server actions check again anyway.
  const can = (permission: Parameters<typeof authorize>[1]) =>
    authorize(access.principal, permission, { cluster, namespace }).allowed;
  const allowed = {
    forceSync: can("secret:force-sync"),
    restart: can("consumer:restart"),
    validate: can("inventory:read"),
    rotate: can("secret:rotate"),
    fixValue: can("secret:fix-value"),
  };
  return (
    <SecretDetailView
      cluster={cluster}
      namespace={namespace}
      kind={kind}
      name={name}
      allowed={allowed}
      initial={initial}
    />
  );
}
