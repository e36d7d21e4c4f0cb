import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import { reencryptionKeys } from "@/lib/queries/use-reencryption-candidates";
import type { ReencryptionCandidates } from "@/lib/validations/reencryption";

import { ReencryptionOutcome, ReencryptionPanel } from "./reencryption-panel";

// The panel's states as first painted: loading, the list with its button, nothing to do, a controller
// that could not be asked; and the outcome with its pull request links and reasons.

vi.mock("@/lib/gitops/actions/reencrypt-sealed-secrets", () => ({ reencryptSealedSecrets: vi.fn() }));

const NEW = "ef".repeat(32);
/** React's `<!-- -->` between adjacent text parts, which the reader never sees. */
const withoutTextSeparators = (html: string) => html.replace(/<!-- -->/g, "");
const OLD = "ab".repeat(32);

function render(data: ReencryptionCandidates | undefined) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (data) client.setQueryData(reencryptionKeys.cluster("prod"), data);
  return withoutTextSeparators(
    renderToString(
      <QueryClientProvider client={client}>
        <ReencryptionPanel cluster="prod" />
      </QueryClientProvider>,
    ),
  );
}

const listed = (candidates: ReencryptionCandidates["candidates"], current = 3): ReencryptionCandidates => ({
  cluster: "prod",
  newestKey: NEW,
  error: null,
  candidates,
  current,
});

describe("ReencryptionPanel", () => {
  it("announces that it is checking while the list loads", () => {
    const html = render(undefined);
    expect(html).toContain('role="status"');
    expect(html).toContain("Checking which SealedSecrets are sealed with older keys");
  });

  it("lists older and unknown SealedSecrets with their repository and key, and offers the re-encryption", () => {
    const html = render(
      listed([
        { namespace: "shop", name: "api", sealedWith: OLD, status: "older", repository: "deploy" },
        { namespace: "shop", name: "db", sealedWith: OLD, status: "older", repository: null },
        { namespace: "shop", name: "legacy", sealedWith: null, status: "unknown", repository: "deploy" },
      ]),
    );
    expect(html).toContain("2 SealedSecrets sealed with older keys");
    expect(html).toContain("1 with an unknown key");
    expect(html).toContain("shop/api");
    expect(html).toContain("found when proposing");
    expect(html).toContain(`${OLD.slice(0, 12)}…`);
    expect(html).toContain("3 SealedSecrets");
    expect(html).toContain("Include the 1 with an unknown key");
    expect(html).toContain("Re-encrypt 2 SealedSecrets with the newest key");
  });

  it("says so when every SealedSecret is sealed with the newest key, without a button", () => {
    const html = render(listed([], 4));
    expect(html).toContain("No SealedSecret is sealed with an older key");
    expect(html).toContain("4 SealedSecrets");
    expect(html).not.toContain("<button");
  });

  it("explains why nothing could be classified when the certificate could not be read", () => {
    const html = render({
      cluster: "prod",
      newestKey: null,
      error: "The newest sealing certificate could not be read: connection refused",
      candidates: [],
      current: 0,
    });
    expect(html).toContain('role="note"');
    expect(html).toContain("connection refused");
  });
});

describe("ReencryptionOutcome", () => {
  it("links each opened pull request, names a plain-git branch, and alerts a repository's failure", () => {
    const html = withoutTextSeparators(
      renderToString(
        <ReencryptionOutcome
          result={{
            cluster: "prod",
            newestKey: NEW,
            proposals: [
              {
                repository: "deploy",
                pullRequest: { number: 12, url: "https://git.example.test/acme/deploy/pulls/12" },
                branch: "sealdeck/reencrypt/prod-efefefefefef",
                secrets: [{ namespace: "shop", name: "api", path: "apps/shop/api.yaml" }],
                error: null,
              },
              {
                repository: "local",
                pullRequest: { number: 0, url: "/data/gitops#sealdeck/reencrypt/prod-efefefefefef" },
                branch: "sealdeck/reencrypt/prod-efefefefefef",
                secrets: [{ namespace: "shop", name: "db", path: "apps/shop/db.yaml" }],
                error: null,
              },
              {
                repository: "infra",
                pullRequest: null,
                branch: null,
                secrets: [{ namespace: "ops", name: "x", path: "x.yaml" }],
                error: "No pull request was opened in infra: 1 of 1 could not be re-encrypted.",
              },
            ],
            skipped: [{ namespace: "shop", name: "legacy", reason: "The key that sealed it is unknown." }],
          }}
        />,
      ),
    );
    expect(html).toContain('href="https://git.example.test/acme/deploy/pulls/12"');
    expect(html).toContain("pull request #12");
    expect(html).toContain("<code>sealdeck/reencrypt/prod-efefefefefef</code>");
    expect(html).not.toContain('href="/data/gitops');
    expect(html).toContain('role="alert"');
    expect(html).toContain("1 of 1 could not be re-encrypted");
    expect(html).toContain("1 skipped");
    expect(html).toContain("The key that sealed it is unknown.");
  });
});
