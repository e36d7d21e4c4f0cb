// The one wording of audit actions, used by the Audit table, a secret's history and the evidence
// bundle's legend: the dotted name stays the record (filters, exports, hashes), the label is how people
// read it. Isomorphic.

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  "secret.viewed": "Secret page viewed",
  "secret.seal.requested": "Sealing requested",
  "seal.requested": "Sealing requested",
  "pull_request.opened": "Pull request opened",
  "pull_request.updated": "Pull request updated",
  "pull_request.failed": "Pull request failed",
  "pull_request.merged": "Pull request merged",
  "pull_request.closed": "Pull request closed without merging",
  "rotation.observed": "Rotation observed on the cluster",
  "secret.reencryption.observed": "Re-encryption observed (same values, newer key)",
  "secret.reencrypt.requested": "Re-encryption with the newest key requested",
  "pull_request.merge.requested": "Merge requested",
  "pull_request.merge_failed": "Merge refused",
  "notification.test.requested": "Test notification requested",
  "notification.test": "Test notification sent",
  "secret.force_sync.requested": "Force-sync requested",
  "secret.force_sync": "Force-sync",
  "consumer.restart.requested": "Restart of consumers requested",
  "consumer.restart": "Consumers restarted",
  "secret.fix.requested": "Fix a value requested",
  "secret.fix.proposed": "Fix a value: pull request linked",
  "secret.fix.merged": "Fix a value: merge seen, waiting for the cluster",
  "secret.fix.force_sync": "Fix a value: force-sync",
  "secret.fix.applied": "Fix a value: new value applied on the cluster",
  "secret.fix.restart.requested": "Fix a value: restart of consumers requested",
  "secret.fix.restart": "Fix a value: consumers restarted",
  "secret.fix.failed": "Fix a value failed",
  "secret.fix.cancelled": "Fix a value cancelled",
  "secret.validate.requested": "Validation requested",
  "secret.validate": "Validated with the controller",
  "audit.exported": "Audit log exported",
  "audit.prune.requested": "Audit pruning requested",
  "audit.prune": "Audit events pruned",
  "rotation.report.exported": "Rotation report exported",
  "rotation.policy.created": "Rotation policy created",
  "rotation.policy.updated": "Rotation policy changed",
  "rotation.policy.deleted": "Rotation policy deleted",
  "rotation.waiver.granted": "Rotation waiver granted",
  "rotation.waiver.revoked": "Rotation waiver revoked",
  "settings.changed": "Settings changed",
  "sealing_key.backup_acknowledged": "Sealing key backup acknowledged",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
  "auth.password_changed": "Password changed",
  "auth.password_reset": "Password reset",
  "auth.user_created": "User created",
  "auth.role_changed": "Role changed",
  "auth.grant_added": "Namespace grant added",
  "auth.grant_removed": "Namespace grant removed",
  "auth.sessions_revoked": "Sessions revoked",
};

/** The action's label; an action without one reads as its words ("team.renamed" → "Team renamed"). */
export function actionLabel(action: string): string {
  const known = AUDIT_ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/[._-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : action;
}
