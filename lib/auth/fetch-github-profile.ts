import "server-only";
import { z } from "zod";

// A GitHub (or GitHub Enterprise Server) user's profile and groups, read with the OAuth access token
// from the REST API: GET /user, /user/emails (when the profile hides the e-mail), /user/orgs and
// /user/teams (scope read:org), the lists followed page by page through their `Link: rel="next"`.
// GitHub has no groups claim, so Sealdeck's groups are `github:<org>` and `github:<org>/<team-slug>`
// (plus `github:<login>`): the prefix keeps a GitHub organization, whose name anyone may register,
// from matching an OIDC group of the same name in the shared group mapping.

const userSchema = z.object({
  id: z.number().int(),
  login: z.string().min(1),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
const emailsSchema = z.array(
  z.object({ email: z.string(), primary: z.boolean().optional(), verified: z.boolean().optional() }),
);
const orgsSchema = z.array(z.object({ login: z.string().min(1) }));
const teamsSchema = z.array(
  z.object({ slug: z.string().min(1), organization: z.object({ login: z.string().min(1) }) }),
);

export type GithubProfile = {
  id: string;
  login: string;
  name: string | null;
  email: string | null;
  groups: string[];
};

// A user in more teams than this is refused rather than read forever (100 per page).
const maxPages = 20;

function nextLink(header: string | null): string | null {
  for (const part of header?.split(",") ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match?.[1]) return match[1];
  }
  return null;
}

async function getJson(url: string, token: string, timeoutMs: number) {
  const response = await fetch(url, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "x-github-api-version": "2022-11-28",
      "user-agent": "sealdeck",
    },
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  // The message is classified (lib/auth/classify-sso-failure.ts); it never holds the token.
  if (!response.ok) throw new Error(`${response.status} ${new URL(url).pathname} answered by GitHub`);
  return { body: (await response.json()) as unknown, link: response.headers.get("link") };
}

async function getAllPages<T>(
  apiUrl: string,
  path: string,
  schema: z.ZodType<T[]>,
  token: string,
  timeoutMs: number,
) {
  const items: T[] = [];
  const origin = new URL(apiUrl).origin;
  let url: string | null = `${apiUrl}${path}?per_page=100`;
  for (let page = 0; url; page++) {
    if (page === maxPages) throw new Error(`invalid_response (more than ${maxPages} pages of ${path})`);
    // The token goes only to the configured API host, whatever a Link header says.
    if (new URL(url).origin !== origin) throw new Error(`invalid_response (${path} links to another host)`);
    const { body, link } = await getJson(url, token, timeoutMs);
    items.push(...schema.parse(body));
    url = nextLink(link);
  }
  return items;
}

/** The signed-in GitHub user, with their organizations and teams as Sealdeck groups. */
export async function fetchGithubProfile(
  apiUrl: string,
  accessToken: string,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<GithubProfile> {
  const base = apiUrl.replace(/\/+$/, "");
  const user = userSchema.parse((await getJson(`${base}/user`, accessToken, timeoutMs)).body);
  let email = user.email ?? null;
  if (!email) {
    // A private e-mail is absent from /user; /user/emails (scope user:email) has it.
    const emails = emailsSchema.parse((await getJson(`${base}/user/emails`, accessToken, timeoutMs)).body);
    email = (emails.find((entry) => entry.primary && entry.verified !== false) ?? null)?.email ?? null;
  }
  const [orgs, teams] = await Promise.all([
    getAllPages(base, "/user/orgs", orgsSchema, accessToken, timeoutMs),
    getAllPages(base, "/user/teams", teamsSchema, accessToken, timeoutMs),
  ]);
  // GitHub names are case-insensitive; the mapping compares exactly, so both sides are lowercase.
  const login = user.login.toLowerCase();
  const groups = new Set([`github:${login}`]);
  for (const org of orgs) groups.add(`github:${org.login.toLowerCase()}`);
  for (const team of teams) {
    const org = team.organization.login.toLowerCase();
    groups.add(`github:${org}`);
    groups.add(`github:${org}/${team.slug.toLowerCase()}`);
  }
  return { id: String(user.id), login, name: user.name ?? null, email, groups: [...groups] };
}
