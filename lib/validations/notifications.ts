import { z } from "zod";

// Settings → Notifications: where notices go and when the digest is sent. Isomorphic: the form and the
// server actions validate with these schemas. Channel secrets (a Slack webhook URL, the HMAC secret, an
// SMTP password) are referenced by the NAME of an environment variable, never stored or shown.

export const NOTIFICATIONS_SETTING = "notifications";

/**
 * Notification credentials are read only from variables in this namespace, reserved for them: a channel
 * could otherwise name DATABASE_URL or NEXTAUTH_SECRET and have the server send it to a receiver.
 */
export const NOTIFY_CREDENTIAL_ENV_PREFIX = "SEALDECK_NOTIFY_";

/** Sealdeck's own settings inside that namespace: configuration, never a credential. */
export const notifyConfigEnvNames = ["SEALDECK_NOTIFY_INTERVAL_SECONDS"] as const;

/** Why `name` may not hold a notification credential, or null when it may. Names the rule, never a value. */
export function notifyCredentialEnvProblem(name: string): string | null {
  if (!/^[A-Z_][A-Z0-9_]{0,127}$/.test(name))
    return "must be an environment variable name (A-Z, 0-9, _), not the secret itself";
  if (!name.startsWith(NOTIFY_CREDENTIAL_ENV_PREFIX) || name.length === NOTIFY_CREDENTIAL_ENV_PREFIX.length)
    return `must start with ${NOTIFY_CREDENTIAL_ENV_PREFIX} (e.g. ${NOTIFY_CREDENTIAL_ENV_PREFIX}SLACK_URL): notification secrets are read only from variables reserved for them`;
  if ((notifyConfigEnvNames as readonly string[]).includes(name))
    return "is one of Sealdeck's settings, not a credential";
  return null;
}

export const notifyCredentialEnvSchema = z
  .string()
  .trim()
  .superRefine((name, context) => {
    const problem = notifyCredentialEnvProblem(name);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
export const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.has(host.toLowerCase());

/**
 * A generic webhook's URL, stored in the settings table and shown in Settings: https (plain http only
 * to this machine), and no credentials in it: the receiver authenticates Sealdeck by its signature.
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048, "is too long")
  .superRefine((value, context) => {
    const problem = webhookUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

export function webhookUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "must be a URL such as https://hooks.example.com/sealdeck";
  const url = new URL(value);
  if (!(url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))))
    return "must use https (plain http only to localhost)";
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.search || url.hash)
    return "must not have a query or fragment (tokens in URLs end up in logs): the receiver checks the signature instead";
  return null;
}

const hostnameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(253)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, "must be a host name or address");

const channelBase = {
  /** Chosen by the server when a channel is added; stable, it keys the deliveries. */
  id: z.uuid(),
  name: z.string().trim().min(1, "is required").max(80, "at most 80 characters"),
  enabled: z.boolean().default(true),
  /** Send a notice as soon as an item opens. */
  immediate: z.boolean().default(true),
  /** Send the daily digest. */
  digest: z.boolean().default(true),
};

export const notificationChannelTypes = ["slack", "webhook", "email"] as const;
export type NotificationChannelType = (typeof notificationChannelTypes)[number];

export const smtpSecurityModes = ["tls", "starttls", "none"] as const;

export const notificationChannelSchema = z
  .discriminatedUnion("type", [
    z.object({
      ...channelBase,
      type: z.literal("slack"),
      /** The variable holding the Slack (or compatible) incoming-webhook URL: the URL is the credential. */
      urlEnv: notifyCredentialEnvSchema,
    }),
    z.object({
      ...channelBase,
      type: z.literal("webhook"),
      url: webhookUrlSchema,
      /** The variable holding the HMAC-SHA256 secret the receiver verifies `X-Sealdeck-Signature` with. */
      secretEnv: notifyCredentialEnvSchema,
    }),
    z.object({
      ...channelBase,
      type: z.literal("email"),
      host: hostnameSchema,
      port: z.number("must be a port number").int().min(1).max(65535),
      /** tls: implicit TLS (port 465); starttls: STARTTLS required (587); none: plain SMTP. */
      security: z.enum(smtpSecurityModes),
      username: z.string().trim().max(200).default(""),
      /** The variable holding the SMTP password; null when the server needs no sign-in. */
      passwordEnv: notifyCredentialEnvSchema.nullable().default(null),
      from: z.email("must be an e-mail address").max(254),
      to: z.array(z.email("must be an e-mail address").max(254)).min(1, "add a recipient").max(20),
    }),
  ])
  .superRefine((channel, context) => {
    if (channel.type !== "email") return;
    if (channel.passwordEnv && !channel.username)
      context.addIssue({ code: "custom", path: ["username"], message: "is required with a password" });
    // A password over plain SMTP would cross the network readable; only to this machine.
    if (channel.security === "none" && channel.passwordEnv && !isLoopbackHost(channel.host))
      context.addIssue({
        code: "custom",
        path: ["security"],
        message: "must be tls or starttls when signing in (plain SMTP with a password only to localhost)",
      });
  });
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

/** "HH:MM", 24-hour, UTC. */
export const digestTimeSchema = z
  .string()
  .trim()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be a time of day HH:MM (UTC), e.g. 08:00");

export const DEFAULT_DIGEST_TIME = "08:00";

export const notificationSettingsSchema = z
  .object({
    digestTime: digestTimeSchema.default(DEFAULT_DIGEST_TIME),
    channels: z.array(notificationChannelSchema).max(20, "at most 20 channels"),
  })
  .refine((value) => new Set(value.channels.map((c) => c.id)).size === value.channels.length, {
    message: "every channel needs its own id",
  })
  .refine((value) => new Set(value.channels.map((c) => c.name)).size === value.channels.length, {
    message: "every channel needs its own name",
  });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const defaultNotificationSettings: NotificationSettings = {
  digestTime: DEFAULT_DIGEST_TIME,
  channels: [],
};

/** What the form sends to add (no id) or edit (with id) one channel. */
export const notificationChannelInputSchema = z.object({
  id: z.uuid().optional(),
  channel: z.record(z.string(), z.unknown()),
});

export const notificationItemKinds = [
  "rotation-overdue",
  "sealing-key-overdue",
  "sealing-keys-piling-up",
  "secret-not-syncing",
  "store-unreachable",
] as const;
export type NotificationItemKind = (typeof notificationItemKinds)[number];

export const notificationItemKindLabels: Record<NotificationItemKind, string> = {
  "rotation-overdue": "Rotation overdue",
  "sealing-key-overdue": "Sealing key renewal overdue",
  "sealing-keys-piling-up": "Old sealing keys piling up",
  "secret-not-syncing": "Secret not syncing",
  "store-unreachable": "Secret store unreachable",
};

/** One thing that is wrong, as a notice lists it: names, dates and statuses only, never a value. */
export type NotificationItem = {
  /** Stable identity, e.g. `rotation-overdue:<cluster>/<namespace>/<kind>/<name>#<key>`. */
  key: string;
  kind: NotificationItemKind;
  cluster: string;
  namespace: string | null;
  /** The secret's kind and name (null for a cluster's sealing keys; the store's for a store outage). */
  secretKind: string | null;
  name: string | null;
  /** The secret's key for a rotation row ("" for an ExternalSecret's whole target). */
  secretKey: string | null;
  /** One line, e.g. "due 2026-11-30 (policy 90 days)", "Unseal failed: no key could decrypt secret". */
  summary: string;
  /** A page that shows it, when Sealdeck's URL is known. */
  url: string | null;
};

export const deliveryStatuses = ["pending", "sending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** A row of Settings → Notifications' delivery log. */
export type DeliveryLogEntry = {
  id: string;
  channelId: string;
  channelName: string | null;
  kind: "immediate" | "digest" | "test";
  itemKey: string;
  /** The item's one-line description (digest: the count). */
  subject: string;
  day: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};
