import "server-only";

import { logger } from "@/lib/log/logger";
import { gitCredentialEnvProblem, type GitopsRepository } from "@/lib/validations/gitops";

// What a forge's webhook must show before Sealdeck reads a byte of its body: a provider it knows, a
// repository of that provider with a webhook secret set, the provider's signature header, and a declared
// length within the limit. Anything else is answered at once, so an anonymous caller cannot make the
// server buffer (or parse) what it sends.

export const webhookProviders = ["github", "gitlab", "gitea", "forgejo"] as const;
export type WebhookProvider = (typeof webhookProviders)[number];

export type WebhookResult = { status: number; body: Record<string, unknown> };

/** The largest webhook body read (a pull request event is a few kilobytes to a few hundred). */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

export const WEBHOOK_DENIED: WebhookResult = { status: 401, body: {} };
export const WEBHOOK_TOO_LARGE: WebhookResult = {
  status: 413,
  body: { error: `the payload is larger than ${WEBHOOK_MAX_BODY_BYTES} bytes` },
};

/** A repository the event may be about, with the secret its signature is checked against. */
export type WebhookCandidate = { repository: GitopsRepository; secret: string };

export type WebhookAdmission =
  | { admitted: true; provider: WebhookProvider; candidates: WebhookCandidate[] }
  | { admitted: false; result: WebhookResult };

const kindOf = { github: "github", gitlab: "gitlab", gitea: "gitea", forgejo: "gitea" } as const;

/** The header carrying the provider's signature (GitLab: the token itself). */
export function signatureHeader(provider: WebhookProvider, headers: Headers): string | null {
  switch (provider) {
    case "github":
      return headers.get("x-hub-signature-256");
    case "gitlab":
      return headers.get("x-gitlab-token");
    case "gitea":
      return headers.get("x-gitea-signature") ?? headers.get("x-forgejo-signature");
    case "forgejo":
      return headers.get("x-forgejo-signature") ?? headers.get("x-gitea-signature");
  }
}

export function admitWebhook(input: {
  provider: string;
  headers: Headers;
  repositories: readonly GitopsRepository[];
  env?: Record<string, string | undefined>;
}): WebhookAdmission {
  const denied = { admitted: false as const, result: WEBHOOK_DENIED };
  if (!(webhookProviders as readonly string[]).includes(input.provider)) return denied;
  const provider = input.provider as WebhookProvider;
  const env = input.env ?? process.env;
  const candidates: WebhookCandidate[] = [];
  for (const repository of input.repositories) {
    const name = repository.provider === kindOf[provider] ? repository.webhookSecretEnv : undefined;
    if (!name) continue;
    // Settings stored before the SEALDECK_GIT_ rule must not turn another variable into a webhook key.
    if (gitCredentialEnvProblem(name)) {
      logger.warn({ repository: repository.id, variable: name }, "webhook secret variable refused");
      continue;
    }
    const secret = env[name];
    if (secret) candidates.push({ repository, secret });
  }
  if (candidates.length === 0 || !signatureHeader(provider, input.headers)) return denied;
  const declared = input.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= WEBHOOK_MAX_BODY_BYTES))
    return { admitted: false, result: WEBHOOK_TOO_LARGE };
  return { admitted: true, provider, candidates };
}
