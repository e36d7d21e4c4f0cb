import {
  type NotificationChannel,
  type NotificationChannelType,
  notificationChannelSchema,
} from "@/lib/validations/notifications";

// The channel form's flat text fields, to and from a channel; validated with the schema the server
// action uses, so the form shows the same messages before anything is sent.

export type ChannelFields = {
  type: NotificationChannelType;
  name: string;
  enabled: boolean;
  immediate: boolean;
  digest: boolean;
  urlEnv: string;
  url: string;
  secretEnv: string;
  host: string;
  port: string;
  security: "tls" | "starttls" | "none";
  username: string;
  passwordEnv: string;
  from: string;
  /** One address per line (or comma-separated). */
  to: string;
};

export const emptyChannelFields: ChannelFields = {
  type: "slack",
  name: "",
  enabled: true,
  immediate: true,
  digest: true,
  urlEnv: "SEALDECK_NOTIFY_SLACK_URL",
  url: "",
  secretEnv: "SEALDECK_NOTIFY_WEBHOOK_SECRET",
  host: "",
  port: "587",
  security: "starttls",
  username: "",
  passwordEnv: "",
  from: "",
  to: "",
};

export function fieldsOfChannel(channel: NotificationChannel): ChannelFields {
  const fields: ChannelFields = {
    ...emptyChannelFields,
    type: channel.type,
    name: channel.name,
    enabled: channel.enabled,
    immediate: channel.immediate,
    digest: channel.digest,
  };
  if (channel.type === "slack") return { ...fields, urlEnv: channel.urlEnv };
  if (channel.type === "webhook") return { ...fields, url: channel.url, secretEnv: channel.secretEnv };
  return {
    ...fields,
    host: channel.host,
    port: String(channel.port),
    security: channel.security,
    username: channel.username,
    passwordEnv: channel.passwordEnv ?? "",
    from: channel.from,
    to: channel.to.join("\n"),
  };
}

/** The channel the fields describe, or the problems per field (the schema's own messages). */
export function channelFromFields(
  fields: ChannelFields,
  id: string,
): { ok: true; channel: NotificationChannel } | { ok: false; errors: Record<string, string> } {
  const base = {
    id,
    name: fields.name,
    enabled: fields.enabled,
    immediate: fields.immediate,
    digest: fields.digest,
  };
  const raw =
    fields.type === "slack"
      ? { ...base, type: "slack", urlEnv: fields.urlEnv }
      : fields.type === "webhook"
        ? { ...base, type: "webhook", url: fields.url, secretEnv: fields.secretEnv }
        : {
            ...base,
            type: "email",
            host: fields.host,
            port: fields.port.trim() === "" ? Number.NaN : Number(fields.port),
            security: fields.security,
            username: fields.username,
            passwordEnv: fields.passwordEnv.trim() === "" ? null : fields.passwordEnv,
            from: fields.from.trim(),
            to: fields.to
              .split(/[\n,]/)
              .map((address) => address.trim())
              .filter(Boolean),
          };
  const parsed = notificationChannelSchema.safeParse(raw);
  if (parsed.success) return { ok: true, channel: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "name");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
