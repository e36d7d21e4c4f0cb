import { createHmac } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";

// POST /api/webhooks/<provider> with payloads signed as each forge signs them (HMAC-SHA256 of the raw
// body for GitHub, Gitea and Forgejo; the token itself for GitLab), against a real database.

const SECRETS = {
  SEALDECK_GIT_GH_WEBHOOK_SECRET: "gh-webhook-test-secret-1",
  SEALDECK_GIT_GL_WEBHOOK_SECRET: "gl-webhook-test-secret-2",
  SEALDECK_GIT_GT_WEBHOOK_SECRET: "gt-webhook-test-secret-3",
};

const { prisma, query } = setupMigratedDatabase({ appClient: true });

const hmac = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");

async function post(provider: string, payload: unknown, headers: Record<string, string>) {
  const { POST } = await import("@/app/api/webhooks/[provider]/route");
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const response = await POST(
    new Request(`http://sealdeck.test/api/webhooks/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
    { params: Promise.resolve({ provider }) },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function githubClosed(merged: boolean, number = 7, repository = "acme/deploy") {
  return {
    action: "closed",
    number,
    pull_request: {
      number,
      merged,
      html_url: `https://github.test/${repository}/pull/${number}`,
      head: { ref: "sealdeck/payments/db-credentials", sha: "a".repeat(40) },
      base: { ref: "main" },
    },
    repository: { full_name: repository },
  };
}

const signedGitHub = (
  payload: unknown,
  secret = SECRETS.SEALDECK_GIT_GH_WEBHOOK_SECRET,
  event = "pull_request",
) => {
  const body = JSON.stringify(payload);
  return [body, { "x-github-event": event, "x-hub-signature-256": `sha256=${hmac(secret, body)}` }] as const;
};

async function proposal(repository: string, number: number, url: string) {
  return prisma.proposal.create({
    data: {
      repository,
      provider: repository,
      number,
      url,
      branch: "sealdeck/payments/db-credentials",
      baseBranch: "main",
      headSha: "b".repeat(40),
      state: "open",
      title: "Rotate sealed secret payments/db-credentials (password) on prod",
      namespace: "payments",
      name: "db-credentials",
      clusters: ["prod"],
      keys: ["password"],
      requestedByName: "Dana Developer",
    },
  });
}

const events = (action: string) =>
  query<{
    action: string;
    pull_request_url: string | null;
    actor_name: string;
    details: Record<string, unknown>;
  }>(
    `SELECT action, pull_request_url, actor_name, details FROM audit_events WHERE action = '${action}' ORDER BY seq`,
  );

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) vi.stubEnv(name, value);
  const auth = { type: "token", tokenEnv: "SEALDECK_GIT_FORGE_TOKEN" };
  await prisma.setting.create({
    data: {
      key: "gitops.repositories",
      value: [
        {
          id: "github",
          provider: "github",
          repository: "acme/deploy",
          auth,
          webhookSecretEnv: "SEALDECK_GIT_GH_WEBHOOK_SECRET",
        },
        { id: "github-other", provider: "github", repository: "acme/other", auth },
        {
          id: "gitlab",
          provider: "gitlab",
          repository: "platform/infra/deploy",
          auth,
          webhookSecretEnv: "SEALDECK_GIT_GL_WEBHOOK_SECRET",
        },
        {
          id: "gitea",
          provider: "gitea",
          baseUrl: "https://gitea.example.test",
          repository: "acme/deploy",
          auth,
          webhookSecretEnv: "SEALDECK_GIT_GT_WEBHOOK_SECRET",
        },
      ],
    },
  });
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => query("DELETE FROM proposals"));

describe("POST /api/webhooks/github", () => {
  it("marks the proposal merged from a signed event, and a redelivery changes nothing", async () => {
    const row = await proposal("github", 7, "https://github.test/acme/deploy/pull/7");
    const [body, headers] = signedGitHub(githubClosed(true));
    expect(await post("github", body, headers)).toEqual({ status: 200, body: { updated: 1 } });
    expect(await prisma.proposal.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      state: "merged",
      headSha: "a".repeat(40),
    });
    expect(await post("github", body, headers)).toEqual({ status: 200, body: { updated: 0 } });
    const merged = await events("pull_request.merged");
    expect(merged).toEqual([
      {
        action: "pull_request.merged",
        pull_request_url: "https://github.test/acme/deploy/pull/7",
        actor_name: "github webhook",
        details: expect.objectContaining({ repository: "github", number: 7, via: "webhook" }),
      },
    ]);
  });

  it("records a transition once even when the same event arrives twice at the same time", async () => {
    await proposal("github", 9, "https://github.test/acme/deploy/pull/9");
    const before = (await events("pull_request.merged")).length;
    const [body, headers] = signedGitHub(githubClosed(true, 9));
    const replies = await Promise.all([post("github", body, headers), post("github", body, headers)]);
    expect(replies.map((r) => r.body.updated).sort()).toEqual([0, 1]);
    expect((await events("pull_request.merged")).length).toBe(before + 1);
  });

  it("records a pull request closed without merging as closed", async () => {
    const row = await proposal("github", 8, "https://github.test/acme/deploy/pull/8");
    const [body, headers] = signedGitHub(githubClosed(false, 8));
    expect(await post("github", body, headers)).toEqual({ status: 200, body: { updated: 1 } });
    expect((await prisma.proposal.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("closed");
    expect((await events("pull_request.closed")).at(-1)?.details).toMatchObject({ number: 8 });
  });

  it("answers a bad or missing signature, a foreign repository or an unknown provider with a bare 401", async () => {
    const row = await proposal("github", 7, "https://github.test/acme/deploy/pull/7");
    const [body, headers] = signedGitHub(githubClosed(true));
    const denied = { status: 401, body: {} };
    expect(
      await post("github", body, { ...headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` }),
    ).toEqual(denied);
    expect(await post("github", body, { "x-github-event": "pull_request" })).toEqual(denied);
    // Signed with another secret, or the right signature over a different body.
    expect(await post("github", ...signedGitHub(githubClosed(true), "not-the-secret"))).toEqual(denied);
    expect(await post("github", body.replace('"merged":true', '"merged":false'), headers)).toEqual(denied);
    // The right secret, but the payload speaks of a repository that has no webhook secret configured.
    expect(await post("github", ...signedGitHub(githubClosed(true, 7, "acme/other")))).toEqual(denied);
    expect(await post("bitbucket", body, headers)).toEqual(denied);
    expect((await prisma.proposal.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("open");
  });

  it("acknowledges signed events it does not act on", async () => {
    expect(
      await post(
        "github",
        ...signedGitHub(
          { zen: "Keep it simple.", repository: { full_name: "acme/deploy" } },
          undefined,
          "ping",
        ),
      ),
    ).toEqual({
      status: 200,
      body: { ignored: true },
    });
  });
});

describe("POST /api/webhooks/gitlab", () => {
  const payload = (action: string) => ({
    object_kind: "merge_request",
    project: { path_with_namespace: "platform/infra/deploy" },
    object_attributes: {
      iid: 3,
      action,
      state: action === "merge" ? "merged" : "closed",
      source_branch: "sealdeck/payments/db-credentials",
      last_commit: { id: "c".repeat(40) },
    },
  });

  it("accepts the configured token and records merges and closes", async () => {
    const row = await proposal("gitlab", 3, "https://gitlab.test/platform/infra/deploy/-/merge_requests/3");
    const headers = {
      "x-gitlab-event": "Merge Request Hook",
      "x-gitlab-token": SECRETS.SEALDECK_GIT_GL_WEBHOOK_SECRET,
    };
    expect(await post("gitlab", payload("close"), headers)).toEqual({ status: 200, body: { updated: 1 } });
    expect((await prisma.proposal.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("closed");
    expect(await post("gitlab", payload("merge"), headers)).toEqual({ status: 200, body: { updated: 0 } });
  });

  it("refuses a wrong token", async () => {
    expect(
      await post("gitlab", payload("merge"), {
        "x-gitlab-token": `${SECRETS.SEALDECK_GIT_GL_WEBHOOK_SECRET}x`,
      }),
    ).toEqual({ status: 401, body: {} });
  });
});

describe("POST /api/webhooks/gitea and /forgejo", () => {
  it("verifies X-Gitea-Signature and X-Forgejo-Signature", async () => {
    const row = await proposal("gitea", 11, "https://gitea.example.test/acme/deploy/pulls/11");
    const body = JSON.stringify({
      action: "closed",
      number: 11,
      pull_request: {
        number: 11,
        merged: true,
        head: { ref: "sealdeck/payments/db-credentials", sha: "d".repeat(40) },
      },
      repository: { full_name: "acme/deploy" },
    });
    expect(
      await post("forgejo", body, {
        "x-forgejo-event": "pull_request",
        "x-forgejo-signature": hmac("wrong", body),
      }),
    ).toEqual({ status: 401, body: {} });
    expect(
      await post("forgejo", body, {
        "x-forgejo-event": "pull_request",
        "x-forgejo-signature": hmac(SECRETS.SEALDECK_GIT_GT_WEBHOOK_SECRET, body),
      }),
    ).toEqual({ status: 200, body: { updated: 1 } });
    expect((await prisma.proposal.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("merged");

    const other = await proposal("gitea", 12, "https://gitea.example.test/acme/deploy/pulls/12");
    const closed = body.replaceAll("11", "12").replace('"merged":true', '"merged":false');
    expect(
      await post("gitea", closed, {
        "x-gitea-event": "pull_request",
        "x-gitea-signature": hmac(SECRETS.SEALDECK_GIT_GT_WEBHOOK_SECRET, closed),
      }),
    ).toEqual({ status: 200, body: { updated: 1 } });
    expect((await prisma.proposal.findUniqueOrThrow({ where: { id: other.id } })).state).toBe("closed");
  });
});

/** A request body that counts how much of it the server pulled, and whether it was cancelled. */
function meteredBody(chunks: number, chunkBytes: number) {
  const meter = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (meter.pulled === chunks) return controller.close();
        meter.pulled++;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
      },
      cancel() {
        meter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

async function postStream(
  provider: string,
  stream: ReadableStream<Uint8Array>,
  headers: Record<string, string>,
) {
  const { POST } = await import("@/app/api/webhooks/[provider]/route");
  const response = await POST(
    new Request(`http://sealdeck.test/api/webhooks/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: stream,
      duplex: "half",
    } as RequestInit),
    { params: Promise.resolve({ provider }) },
  );
  return response.status;
}

describe("POST /api/webhooks/<provider>: before the body is read", () => {
  const signature = { "x-github-event": "pull_request", "x-hub-signature-256": `sha256=${"0".repeat(64)}` };

  it("refuses an unknown provider, a provider with no webhook secret, or a missing signature header unread", async () => {
    for (const [provider, headers] of [
      ["bitbucket", signature],
      // GitLab, GitHub and Gitea each without their own signature header.
      ["gitlab", { "x-gitlab-event": "Merge Request Hook" }],
      ["github", { "x-github-event": "pull_request" }],
      ["gitea", { "x-gitea-event": "pull_request" }],
    ] as const) {
      const { stream, meter } = meteredBody(4, 1024);
      expect(await postStream(provider, stream, headers)).toBe(401);
      expect(meter.pulled).toBe(0);
    }
  });

  it("answers 413 to a declared length over the limit without reading it", async () => {
    const { WEBHOOK_MAX_BODY_BYTES } = await import("./admit-webhook");
    const { stream, meter } = meteredBody(4, 1024);
    expect(
      await postStream("github", stream, {
        ...signature,
        "content-length": String(WEBHOOK_MAX_BODY_BYTES + 1),
      }),
    ).toBe(413);
    expect(meter.pulled).toBe(0);
  });

  it("stops reading a chunked body as soon as it passes the limit, and answers 413", async () => {
    const { WEBHOOK_MAX_BODY_BYTES } = await import("./admit-webhook");
    const chunk = 64 * 1024;
    const chunks = (WEBHOOK_MAX_BODY_BYTES / chunk) * 4;
    const { stream, meter } = meteredBody(chunks, chunk);
    expect(await postStream("github", stream, signature)).toBe(413);
    expect(meter.pulled).toBeLessThanOrEqual(WEBHOOK_MAX_BODY_BYTES / chunk + 2);
    expect(meter.cancelled).toBe(true);
  });

  it("checks the signature before parsing: a body that is not JSON is 401 unsigned, 400 signed", async () => {
    const body = "not json {";
    expect(await post("github", body, signature)).toEqual({ status: 401, body: {} });
    expect(
      await post("github", body, {
        "x-github-event": "pull_request",
        "x-hub-signature-256": `sha256=${hmac(SECRETS.SEALDECK_GIT_GH_WEBHOOK_SECRET, body)}`,
      }),
    ).toEqual({ status: 400, body: { error: "the payload is not JSON" } });
  });

  it("never takes a webhook secret from a variable outside SEALDECK_GIT_", async () => {
    const { admitWebhook } = await import("./admit-webhook");
    const serverSecret = "a-server-secret-that-is-not-a-webhook-key";
    const repository = {
      id: "legacy",
      provider: "github",
      repository: "acme/deploy",
      webhookSecretEnv: "NEXTAUTH_SECRET",
    } as never;
    const headers = new Headers({
      "x-github-event": "pull_request",
      "x-hub-signature-256": `sha256=${hmac(serverSecret, "{}")}`,
    });
    expect(
      admitWebhook({
        provider: "github",
        headers,
        repositories: [repository],
        env: { NEXTAUTH_SECRET: serverSecret },
      }),
    ).toEqual({ admitted: false, result: { status: 401, body: {} } });
  });
});
