import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SecretDetailView } from "@/components/secrets/secret-detail-view";
import { recordSecretView } from "@/lib/audit/record-secret-view";
import { authorize } from "@/lib/auth/authorize";
import { guardPage } from "@/lib/auth/guard-page";
import { getVisibleSecretDetail } from "@/lib/kube/get-visible-secret-detail";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";
import { readSecretSections } from "./read-secret-sections";

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
  // Once the record is known to be visible, the sections' reads start too and stream in after the
  // record, in this one response (not four more requests competing with it, nor after hydration).
  const viewRecorded = recordSecretView(access.principal, parsed.data);
  const read = getVisibleSecretDetail(access.principal, parsed.data).then((initial) => ({
    initial,
    sections: initial ? readSecretSections(access.principal, parsed.data, viewRecorded) : undefined,
  }));
  const [, { initial, sections }] = await Promise.all([viewRecorded, read]);
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
      sections={sections}
    />
  );
}
