import { describe, expect, it } from "vitest";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import { gitCommitUrl } from "./git-commit-url";

const sha = "0123456789abcdef0123456789abcdef01234567";

describe("gitCommitUrl", () => {
  it("links a commit on each hosted provider, and nothing for plain git", () => {
    const auth = { type: "token", tokenEnv: "GIT_TOKEN" };
    const url = (input: Record<string, unknown>) => gitCommitUrl(gitopsRepositorySchema.parse(input), sha);
    expect(url({ provider: "github", repository: "acme/deploy", auth })).toBe(
      `https://github.com/acme/deploy/commit/${sha}`,
    );
    expect(
      url({ provider: "github", baseUrl: "https://ghe.example.com/api/v3", repository: "acme/deploy", auth }),
    ).toBe(`https://ghe.example.com/acme/deploy/commit/${sha}`);
    expect(url({ provider: "gitlab", repository: "group/sub/deploy", auth })).toBe(
      `https://gitlab.com/group/sub/deploy/-/commit/${sha}`,
    );
    expect(
      url({ provider: "gitea", baseUrl: "https://git.example.com/", repository: "acme/deploy", auth }),
    ).toBe(`https://git.example.com/acme/deploy/commit/${sha}`);
    expect(url({ provider: "plain-git", remote: "/srv/gitops" })).toBeNull();
  });
});
