// Runs once when the Next.js server starts. The check lives in a Node-only module (it may exit the
// process), loaded only in the Node runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitOnBadEnv } = await import("./lib/config/exit-on-bad-env");
    exitOnBadEnv();
    // Before any request: forwarded headers are believed only from SEALDECK_TRUSTED_PROXIES.
    const { getEnv } = await import("./lib/config/env");
    const { installForwardedHeadersGuard } = await import("./lib/auth/guard-forwarded-headers");
    installForwardedHeadersGuard(getEnv().SEALDECK_TRUSTED_PROXIES);
    // A group mapping kept in a file (GitOps) is in effect before the first sign-in, or the server stops.
    const { applyGroupMappingFromEnvOrExit } = await import("./lib/auth/apply-group-mapping-from-env");
    const { getPrismaOrThrow } = await import("./lib/db/prisma");
    await applyGroupMappingFromEnvOrExit(getPrismaOrThrow(), getEnv().SEALDECK_AUTH_GROUP_MAPPING);
    // Start watching the clusters now rather than at the first page view: the inventory is warm for the
    // first visitor, and the rotation watcher records "rotation observed" events from boot.
    const { getInventory } = await import("./lib/kube/inventory");
    getInventory();
    // Rotation evidence from the GitOps repositories' history: backfilled at start, then kept current.
    const { startGitHistoryBackfill } = await import("./lib/rotation/start-git-history-backfill");
    startGitHistoryBackfill();
    // Notifications (issue #15): every replica runs the scheduler; the deliveries table makes them share it.
    const { startNotificationScheduler } = await import("./lib/notifications/start-notification-scheduler");
    startNotificationScheduler();
    // Merges and closed pull requests are seen without anyone watching the Changes page.
    const { startProposalPoller } = await import("./lib/gitops/start-proposal-poller");
    startProposalPoller();
    // "Fix a value" (issue #21): restarts consumers once the cluster applied the new value.
    const { startValueFixJob } = await import("./lib/fix-value/start-value-fix-job");
    startValueFixJob();
    // Re-seal campaigns (issue #21) close when their last secret is healthy, whoever is watching.
    const { startCampaignCloser } = await import("./lib/recovery/start-campaign-closer");
    startCampaignCloser();
  }
}
