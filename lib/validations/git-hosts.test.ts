import { describe, expect, it } from "vitest";

import { gitAllowedHostsSchema, gitHostProblem, gitHostTarget } from "./git-hosts";
import { gitopsRepositorySchema } from "./gitops";

const auth = { type: "token", tokenEnv: "SEALDECK_GIT_TOKEN" };
const github = (baseUrl?: string) =>
  gitopsRepositorySchema.parse({ provider: "github", repository: "acme/deploy", auth, baseUrl });
const gitlab = (baseUrl?: string) =>
  gitopsRepositorySchema.parse({ provider: "gitlab", repository: "acme/deploy", auth, baseUrl });
const gitea = (baseUrl: string) =>
  gitopsRepositorySchema.parse({ provider: "gitea", repository: "acme/deploy", auth, baseUrl });
const plain = (remote: string) => gitopsRepositorySchema.parse({ provider: "plain-git", remote });

describe("SEALDECK_GIT_ALLOWED_HOSTS", () => {
  it("parses host[:port] entries, lowercased, and refuses URLs or paths", () => {
    expect(gitAllowedHostsSchema.parse(" GHE.example.com, gitea.internal:3000 [::1]:8443,")).toEqual([
      "ghe.example.com",
      "gitea.internal:3000",
      "[::1]:8443",
    ]);
    expect(gitAllowedHostsSchema.safeParse("https://ghe.example.com").success).toBe(false);
    expect(gitAllowedHostsSchema.safeParse("ghe.example.com/api").success).toBe(false);
    expect(gitAllowedHostsSchema.safeParse(" , ").success).toBe(false);
  });
});

describe("gitHostProblem", () => {
  it("without an allow-list, lets forges reach the public GitHub and GitLab only", () => {
    expect(gitHostProblem(github(), undefined)).toBeNull();
    expect(gitHostProblem(gitlab(), undefined)).toBeNull();
    expect(gitHostProblem(github("https://attacker.example/api/v3"), undefined)).toMatch(
      /attacker\.example.*SEALDECK_GIT_ALLOWED_HOSTS/,
    );
    expect(gitHostProblem(gitea("https://gitea.internal"), undefined)).toMatch(/gitea\.internal/);
    // Plain git sends no Sealdeck-held credential: any remote until the operator pins hosts.
    expect(gitHostProblem(plain("ssh://git@git.internal/acme/deploy.git"), undefined)).toBeNull();
  });

  it("with an allow-list, requires every remote host in it (github.com also names its API)", () => {
    const allowed = ["github.com", "gitea.internal:3000", "git.internal"];
    expect(gitHostProblem(github(), allowed)).toBeNull();
    expect(gitHostProblem(gitlab(), allowed)).toMatch(/gitlab\.com.*not in SEALDECK_GIT_ALLOWED_HOSTS/);
    expect(gitHostProblem(gitea("https://gitea.internal:3000"), allowed)).toBeNull();
    expect(gitHostProblem(gitea("https://gitea.internal"), allowed)).toMatch(/gitea\.internal/);
    // The userinfo trick names the host after the @.
    expect(gitHostProblem(github("https://github.com@attacker.example/"), allowed)).toMatch(
      /attacker\.example/,
    );
    expect(gitHostProblem(plain("git@git.internal:acme/deploy.git"), allowed)).toBeNull();
    expect(gitHostProblem(plain("git@elsewhere.example:acme/deploy.git"), allowed)).toMatch(/elsewhere/);
    expect(gitHostProblem(plain("ext::sh -c evil"), allowed)).toMatch(/remote helper/);
    // Local repositories involve no host.
    expect(gitHostProblem(plain("/srv/gitops"), allowed)).toBeNull();
    expect(gitHostProblem(plain("file:///srv/gitops"), allowed)).toBeNull();
    expect(gitHostProblem(plain("./relative/dir:with-colon"), allowed)).toBeNull();
  });

  it("reads the host of every remote form git accepts", () => {
    expect(gitHostTarget(plain("https://user@Git.Example:8443/acme/deploy.git"))).toEqual({
      kind: "host",
      host: "git.example:8443",
    });
    expect(gitHostTarget(plain("git.example:acme/deploy"))).toEqual({ kind: "host", host: "git.example" });
    expect(gitHostTarget(plain("/srv/gitops"))).toEqual({ kind: "local" });
  });
});
