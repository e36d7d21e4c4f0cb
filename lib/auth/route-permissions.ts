import type { Permission } from "./permissions";

// The application's own list of what it serves and who may use it. Pages call `guardPage(<path>)`,
// which reads its permission here; the authorization matrix test (authorization-matrix.test.ts) walks
// app/**/page.tsx, app/**/route.ts and every "use server" file and fails when one is missing here.

export type Access = Permission | "public";

export type PageAccess = {
  permission: Access;
  /** Read `?cluster=&namespace=` and check the grant for that namespace too. */
  namespaced?: boolean;
};

export const pagePermissions = {
  "/": { permission: "overview:read" },
  "/secrets": { permission: "inventory:read", namespaced: true },
  "/secrets/[cluster]/[namespace]/[kind]/[name]": { permission: "inventory:read", namespaced: true },
  "/seal": { permission: "secret:seal", namespaced: true },
  "/rotations": { permission: "rotation:read", namespaced: true },
  "/changes": { permission: "inventory:read" },
  "/audit": { permission: "audit:read" },
  "/settings": { permission: "settings:read" },
  "/sign-in": { permission: "public" },
  "/change-password": { permission: "account:self" },
  // Recovery (issue #21): every reader of the inventory; each section shows only what the user may see.
  "/recovery": { permission: "inventory:read" },
} as const satisfies Record<string, PageAccess>;

export type PagePath = keyof typeof pagePermissions;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Route handlers by folder path (dynamic segments as written on disk) and method. */
export const routeHandlerPermissions: Record<string, Partial<Record<HttpMethod, Access>>> = {
  "/api/healthz": { GET: "public" },
  "/api/readyz": { GET: "public" },
  "/api/secrets": { GET: "inventory:read" },
  "/api/secrets/events": { GET: "inventory:read" },
  "/api/secrets/[cluster]/[namespace]/[kind]/[name]": { GET: "inventory:read" },
  "/api/secrets/[cluster]/[namespace]/[kind]/[name]/events": { GET: "inventory:read" },
  // A secret's own audit history: whoever may see the secret (namespace grant), not only auditors.
  "/api/secrets/[cluster]/[namespace]/[kind]/[name]/history": { GET: "inventory:read" },
  // "Fix a value" progress (issue #21): whoever may see the secret.
  "/api/secrets/[cluster]/[namespace]/[kind]/[name]/fixes": { GET: "inventory:read" },
  "/api/audit/events": { GET: "audit:read" },
  "/api/audit/chain": { GET: "audit:read" },
  "/api/audit/export": { GET: "audit:export" },
  "/api/audit/bundle": { GET: "audit:export" },
  "/api/audit/export/[id]/manifest": { GET: "audit:export" },
  "/api/clusters/[cluster]/certificate": { GET: "secret:seal" },
  // Re-encryption (issue #15): the user's namespaces only (secret:rotate), against the newest key.
  "/api/clusters/[cluster]/reencryption": { GET: "secret:rotate" },
  "/api/proposals": { GET: "inventory:read" },
  // Recovery incidents (issue #21): filtered to the user's visible SealedSecrets.
  "/api/recovery": { GET: "inventory:read" },
  "/api/recovery/campaigns/[id]/export": { GET: "inventory:read" },
  // Rotation schedules (issue #14): rows are filtered to what the user may see (developers: their grants).
  "/api/rotations": { GET: "rotation:read" },
  "/api/rotations/summary": { GET: "rotation:read" },
  "/api/rotations/policies": { GET: "rotation:read" },
  // The signed report holds the page's rows, no more: whoever reads the schedule may take it away.
  "/api/rotations/report": { GET: "rotation:read" },
  "/api/rotations/report/[id]/manifest": { GET: "rotation:read" },
  // Unreachable secret stores (issue #21): dependants filtered to the user's namespaces.
  "/api/recovery/stores": { GET: "inventory:read" },
  // Forges' webhooks authenticate with the repository's signature (lib/gitops/handle-webhook.ts).
  "/api/webhooks/[provider]": { POST: "public" },
  // next-auth's own endpoints (sign-in, callback, sign-out, csrf); they authenticate, so they are open.
  "/api/auth/[...nextauth]": { GET: "public", POST: "public" },
  // After sign-out: sends the browser to the OIDC provider's end_session_endpoint (it holds no session).
  "/api/sso/logout": { GET: "public" },
  // The Kubernetes API server's audit webhook: its bearer token (SEALDECK_K8S_AUDIT_TOKEN) authenticates it.
  "/api/k8s-audit": { POST: "public" },
  "/api/k8s-access": { GET: "audit:read" },
  // Prometheus' scrape: its bearer token (SEALDECK_METRICS_TOKEN) authenticates it.
  "/api/metrics": { GET: "public" },
};

/** Server actions by file (repository path without extension) and export name. */
export const actionPermissions: Record<string, Permission> = {
  "lib/auth/actions/change-own-password#changeOwnPassword": "account:self",
  "lib/auth/actions/change-user-role#changeUserRole": "users:manage",
  "lib/auth/actions/add-namespace-grant#addNamespaceGrant": "users:manage",
  "lib/auth/actions/remove-namespace-grant#removeNamespaceGrant": "users:manage",
  "lib/auth/actions/revoke-user-sessions#revokeUserSessions": "users:manage",
  "lib/kube/actions/force-sync-secret#forceSyncSecret": "secret:force-sync",
  // Issue #21: a lost key's re-seal campaign; the action also checks every affected namespace.
  "lib/recovery/actions/start-recovery-campaign#startRecoveryCampaign": "secret:rotate",
  "lib/kube/actions/restart-secret-consumers#restartSecretConsumers": "consumer:restart",
  "lib/kube/actions/validate-sealed-secret#validateSealedSecret": "inventory:read",
  "lib/fix-value/actions/start-value-fix#startValueFix": "secret:fix-value",
  "lib/fix-value/actions/cancel-value-fix#cancelValueFix": "secret:fix-value",
  "lib/gitops/actions/verify-sealed-manifests#verifySealedManifests": "secret:seal",
  "lib/gitops/actions/locate-proposal-files#locateProposalFiles": "secret:propose",
  "lib/gitops/actions/propose-sealed-secret#proposeSealedSecret": "secret:propose",
  "lib/gitops/actions/reencrypt-sealed-secrets#reencryptSealedSecrets": "secret:rotate",
  "lib/gitops/actions/preview-proposal#previewProposal": "secret:propose",
  "lib/gitops/actions/merge-proposal#mergeProposal": "proposal:merge",
  "lib/settings/actions/save-cluster-settings#saveClusterSettings": "clusters:write",
  "lib/settings/actions/save-repositories#saveRepositories": "repositories:write",
  "lib/settings/actions/save-group-mapping#saveGroupMapping": "users:manage",
  "lib/settings/actions/save-audit-retention#saveAuditRetention": "settings:write",
  "lib/settings/actions/acknowledge-key-backup#acknowledgeKeyBackup": "key-backup:acknowledge",
  "lib/notifications/actions/save-notification-channel#saveNotificationChannel": "notification:write",
  "lib/notifications/actions/remove-notification-channel#removeNotificationChannel": "notification:write",
  "lib/notifications/actions/save-digest-time#saveDigestTime": "notification:write",
  "lib/notifications/actions/send-test-notification#sendTestNotification": "notification:write",
  "lib/rotation/actions/save-rotation-policy#saveRotationPolicy": "rotation-policy:write",
  "lib/rotation/actions/delete-rotation-policy#deleteRotationPolicy": "rotation-policy:write",
  "lib/rotation/actions/grant-rotation-waiver#grantRotationWaiver": "rotation-policy:write",
  "lib/rotation/actions/revoke-rotation-waiver#revokeRotationWaiver": "rotation-policy:write",
  "lib/rotation/actions/save-team-mapping#saveTeamMapping": "rotation-policy:write",
};
