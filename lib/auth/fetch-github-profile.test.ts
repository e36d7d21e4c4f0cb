import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchGithubProfile } from "./fetch-github-profile";

// A GitHub REST API stand-in with the documented shapes: teams carry `organization.login` and `slug`,
// lists are paginated with `Link: <…>; rel="next"`, the token arrives as `Authorization: Bearer`.
const token = "gho_test-token-for-the-stand-in";
const teams = Array.from({ length: 5 }, (_, i) => ({
  id: i,
  slug: `team-${i}`,
  name: `Team ${i}`,
  organization: { login: i < 3 ? "Acme" : "other-org" },
}));
let emailVisible = false;
let foreignLink = false;
const seen: string[] = [];

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  seen.push(`${url.pathname}${url.search}`);
  if (req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
    return;
  }
  const json = (body: unknown, link?: string) => {
    res.writeHead(200, { "content-type": "application/json", ...(link ? { link } : {}) });
    res.end(JSON.stringify(body));
  };
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  switch (url.pathname) {
    case "/api/v3/user":
      return json({
        id: 42,
        login: "Octo-Cat",
        name: null,
        email: emailVisible ? "octo@example.test" : null,
      });
    case "/api/v3/user/emails":
      return json([
        { email: "old@example.test", primary: false, verified: true },
        { email: "octo@example.test", primary: true, verified: true },
      ]);
    case "/api/v3/user/orgs":
      return json([
        { login: "Acme", id: 1 },
        { login: "lonely-org", id: 2 },
      ]);
    case "/api/v3/user/teams": {
      // Two per page, whatever per_page asks: the client must follow rel="next".
      const page = Number(url.searchParams.get("page") ?? "1");
      const next = page * 2 < teams.length ? page + 1 : null;
      const nextUrl = foreignLink
        ? "http://evil.example.test/user/teams?page=2"
        : `${base}/user/teams?page=${next}`;
      const link = next
        ? `<${base}/user/teams?page=1>; rel="first", <${nextUrl}>; rel="next", <${base}/user/teams?page=3>; rel="last"`
        : `<${base}/user/teams?page=1>; rel="first"`;
      return json(teams.slice((page - 1) * 2, page * 2), link);
    }
    default:
      res.writeHead(404).end();
  }
});
let apiUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("fetchGithubProfile", () => {
  it("reads orgs and every page of teams as github:<org> and github:<org>/<team-slug> groups", async () => {
    seen.length = 0;
    const profile = await fetchGithubProfile(apiUrl, token);
    expect(profile).toEqual({
      id: "42",
      login: "octo-cat",
      name: null,
      email: "octo@example.test",
      groups: [
        "github:octo-cat",
        "github:acme",
        "github:lonely-org",
        "github:acme/team-0",
        "github:acme/team-1",
        "github:acme/team-2",
        "github:other-org",
        "github:other-org/team-3",
        "github:other-org/team-4",
      ],
    });
    expect(seen.filter((path) => path.startsWith("/api/v3/user/teams"))).toEqual([
      "/api/v3/user/teams?per_page=100",
      "/api/v3/user/teams?page=2",
      "/api/v3/user/teams?page=3",
    ]);
  });

  it("asks /user/emails only when /user hides the e-mail", async () => {
    emailVisible = true;
    seen.length = 0;
    try {
      expect((await fetchGithubProfile(apiUrl, token)).email).toBe("octo@example.test");
      expect(seen).not.toContain("/api/v3/user/emails");
    } finally {
      emailVisible = false;
    }
  });

  it("never sends the token to a host a Link header names", async () => {
    foreignLink = true;
    try {
      await expect(fetchGithubProfile(apiUrl, token)).rejects.toThrow(/links to another host/);
    } finally {
      foreignLink = false;
    }
  });

  it("fails, without the token in the message, when GitHub refuses the token", async () => {
    const error = await fetchGithubProfile(apiUrl, "gho_wrong").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("401 /api/v3/user answered by GitHub");
  });
});
