// Local receivers for the notification tests: an HTTP server standing in for a generic webhook (which
// checks the signature as the README's recipe does) and a Slack incoming webhook, and an SMTP server
// (the `smtp-server` package) that requires a sign-in. Each records what it received.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { verifyWebhookSignature } from "../sign-webhook-body";

export type ReceivedWebhook = { path: string; body: unknown; signatureValid: boolean; event: string | null };
export type ReceivedMail = { from: string; to: string[]; user: string | null; raw: string };

export type Receivers = {
  httpBase: string;
  smtpPort: number;
  webhooks: ReceivedWebhook[];
  mails: ReceivedMail[];
  /** Paths answering HTTP 500 this many more times (then 200). Infinity: always failing. */
  failures: Map<string, number>;
  /** Requests per path, failed ones included. */
  requests: Map<string, number>;
  /** The clock the webhook receiver checks timestamps against (the tests' simulated time). */
  clock: { now: Date };
  close(): Promise<void>;
};

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });

export async function startReceivers(options: {
  webhookSecret: string;
  smtpUser: string;
  smtpPassword: string;
}): Promise<Receivers> {
  const webhooks: ReceivedWebhook[] = [];
  const mails: ReceivedMail[] = [];
  const failures = new Map<string, number>();
  const requests = new Map<string, number>();
  const clock = { now: new Date() };

  const http: Server = createServer((request, response) => {
    void readBody(request).then((raw) => {
      const path = request.url ?? "/";
      requests.set(path, (requests.get(path) ?? 0) + 1);
      const remaining = failures.get(path) ?? 0;
      if (remaining > 0) {
        failures.set(path, remaining - 1);
        response.writeHead(500).end("receiver down");
        return;
      }
      const signatureValid = verifyWebhookSignature(
        options.webhookSecret,
        {
          signature: request.headers["x-sealdeck-signature"] as string | undefined,
          timestamp: request.headers["x-sealdeck-timestamp"] as string | undefined,
        },
        raw,
        { now: clock.now },
      );
      // Like a real receiver: a generic webhook with a bad signature is refused.
      if (path.startsWith("/hook") && !signatureValid) {
        response.writeHead(401).end();
        return;
      }
      webhooks.push({
        path,
        body: JSON.parse(raw) as unknown,
        signatureValid,
        event: (request.headers["x-sealdeck-event"] as string | undefined) ?? null,
      });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

  const smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.smtpUser && auth.password === options.smtpPassword)
        callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (raw += chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : null,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  return {
    httpBase: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    smtpPort,
    webhooks,
    mails,
    failures,
    requests,
    clock,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** An e-mail body as sent (quoted-printable soft breaks undone), for substring checks. */
export function mailText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
