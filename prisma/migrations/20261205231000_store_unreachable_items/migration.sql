-- An unreachable secret store (issue #21 item 2) is a notification item of its own: a SecretStore or
-- ClusterSecretStore not Ready, with the count of its dependent ExternalSecrets and the soonest
-- credential deadline in the item's summary. The item kinds are checked in SQL, so the list grows here.

-- AlterTable
ALTER TABLE "notification_items" DROP CONSTRAINT "notification_items_kind_check";
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_kind_check"
    CHECK ("kind" IN ('rotation-overdue', 'sealing-key-overdue', 'sealing-keys-piling-up', 'secret-not-syncing', 'store-unreachable'));
