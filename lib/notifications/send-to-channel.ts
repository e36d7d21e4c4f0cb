import "server-only";
import nodemailer from "nodemailer";
import { AppError } from "@/lib/errors/app-error";
import type { NotificationChannel } from "@/lib/validations/notifications";
import { type Notice, noticeText, slackBody, webhookBody } from "./format-notice";
import { notifySecretFromEnv } from "./notify-secret-from-env";
import { SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from "./sign-webhook-body";

const TIMEOUT_MS = 10_000;
const ERROR_MAX = 300;

export type SendContext = { env: Record<string, string | undefined>; now: Date };

/**
 * A failure's text for the delivery log: one line, at most ERROR_MAX characters, with every secret the
 * channel used (and a Slack URL's path, the credential part) replaced. Library errors can quote their
 * input; this is what keeps them out of the database and the page.
 */
export function redactError(error: unknown, secrets: readonly string[]): string {
  let text = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  if (cause && !text.includes(cause)) text = `${text}: ${cause}`;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    text = text.split(secret).join("[redacted]");
    if (URL.canParse(secret)) {
      const path = new URL(secret).pathname;
      if (path.length > 1) text = text.split(path).join("/[redacted]");
    }
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Sealdeck", ...headers },
    body,
    // A redirect could take the signed body, or a Slack URL's token, somewhere else.
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // The receiver's body is not read into the log: it could quote anything.
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300)
    throw new AppError("bad_gateway", `the receiver answered HTTP ${response.status}`);
}

/** Sends one notice to one channel; throws an Error whose message the caller redacts with `secrets`. */
async function deliver(
  channel: NotificationChannel,
  notice: Notice,
  context: SendContext,
  secrets: string[],
): Promise<void> {
  switch (channel.type) {
    case "slack": {
      const url = notifySecretFromEnv(channel.urlEnv, context.env, channel.name);
      secrets.push(url);
      if (!URL.canParse(url) || !["https:", "http:"].includes(new URL(url).protocol))
        throw new AppError("unprocessable", `${channel.urlEnv} does not hold an http(s) URL`);
      await post(url, JSON.stringify(slackBody(notice)), {});
      return;
    }
    case "webhook": {
      const secret = notifySecretFromEnv(channel.secretEnv, context.env, channel.name);
      secrets.push(secret);
      const body = JSON.stringify(webhookBody(notice, context.now));
      const timestamp = Math.floor(context.now.getTime() / 1000);
      await post(channel.url, body, {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
        "X-Sealdeck-Event": notice.kind,
      });
      return;
    }
    case "email": {
      const password = channel.passwordEnv
        ? notifySecretFromEnv(channel.passwordEnv, context.env, channel.name)
        : null;
      if (password) secrets.push(password);
      const transport = nodemailer.createTransport({
        host: channel.host,
        port: channel.port,
        secure: channel.security === "tls",
        requireTLS: channel.security === "starttls",
        ignoreTLS: channel.security === "none",
        auth: password ? { user: channel.username, pass: password } : undefined,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
        // Never log the conversation: AUTH lines carry the password.
        logger: false,
        debug: false,
      });
      try {
        await transport.sendMail({
          from: channel.from,
          to: channel.to,
          subject: notice.title,
          text: noticeText(notice),
        });
      } finally {
        transport.close();
      }
      return;
    }
  }
}

export type SendOutcome = { ok: true } | { ok: false; error: string };

/** Sends, and reports the outcome with a log-safe error text (never throws). */
export async function sendToChannel(
  channel: NotificationChannel,
  notice: Notice,
  context: SendContext,
): Promise<SendOutcome> {
  const secrets: string[] = [];
  try {
    await deliver(channel, notice, context, secrets);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: redactError(error, secrets) };
  }
}
