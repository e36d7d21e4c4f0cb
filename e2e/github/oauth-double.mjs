// A local stand-in for GitHub's OAuth web flow and REST API, for the GitHub sign-in end-to-end tests
// (e2e/sso-github.spec.ts), started by playwright.config.ts. It serves GitHub Enterprise Server's layout
// (web at /, REST API at /api/v3) with GitHub's documented endpoints and shapes:
//   GET  /login/oauth/authorize   client_id, redirect_uri (must be the registered callback), scope, state
//   POST /login/oauth/access_token client id/secret in the form (or JSON) body or HTTP Basic; code; answer
//        form-encoded by default, JSON for Accept: application/json, errors as 200 + `error` like GitHub
//   GET  /api/v3/user, /user/emails, /user/orgs, /user/teams  Authorization: Bearer <t> or token <t>;
//        /user/orgs and /user/teams need scope read:org; lists honour per_page (at most 2 here, so that
//        pagination through `Link: <…>; rel="next"` is exercised) and page.
// The login form stands for GitHub's sign-in and authorize pages (any password). A control endpoint
// changes an account's teams. Test-only: fixed client secret.
import { randomBytes } from "node:crypto";
import http from "node:http";

const port = Number(process.env.E2E_GITHUB_PORT);
const appUrl = process.env.E2E_APP_URL;
const origin = `http://127.0.0.1:${port}`;
const client = { id: "sealdeck-e2e-github", secret: "e2e-github-client-secret-not-a-real-one" };
const callback = `${appUrl}/api/auth/callback/github`;
const pageSize = 2;

// login → profile and team memberships ("org/team-slug"); orgs follow from the teams, plus `orgs`.
const accounts = {
  "gh-admin": { id: 9001, name: "Gus Admin", teams: ["Acme/platform-admins"], orgs: [] },
  "gh-dev": {
    id: 9002,
    name: null, // GitHub's `name` is null when unset: Sealdeck shows the login
    privateEmail: true, // /user hides it; /user/emails has it
    teams: ["acme/frontend", "other-org/readers", "acme/payments"],
    orgs: ["lonely-org"],
  },
  "gh-nobody": { id: 9003, name: "Nat Nobody", teams: ["other-org/readers"], orgs: [] },
  "gh-mover": { id: 9004, name: "Mia Mover", teams: ["acme/platform-admins"], orgs: [] },
};
const codes = new Map(); // code → { login, scope, redirectUri }
const tokens = new Map(); // access token → { login, scope }

function send(res, status, body, headers = {}) {
  const json = typeof body !== "string";
  res.writeHead(status, {
    "content-type": json ? "application/json; charset=utf-8" : "text/html",
    ...headers,
  });
  res.end(json ? JSON.stringify(body) : body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    return new URLSearchParams(Object.entries(text ? JSON.parse(text) : {}));
  }
  return new URLSearchParams(text);
}

const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function authorizePage(params, message = "") {
  const hidden = ["client_id", "redirect_uri", "scope", "state"]
    .map((name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? "")}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><title>Sign in to GitHub</title></head><body><main>
<h1>Authorize Sealdeck</h1><p>Scopes: ${escape(params.get("scope") ?? "")}</p>${message ? `<p role="alert">${escape(message)}</p>` : ""}
<form method="post" action="/login/oauth/authorize">${hidden}
<label>Username or email address <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Authorize</button></form></main></body></html>`;
}

function tokenAnswer(req, res, body) {
  const accept = req.headers.accept ?? "";
  if (accept.includes("application/json")) return send(res, 200, body);
  res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
  res.end(new URLSearchParams(body).toString());
}

async function accessToken(req, res) {
  const form = await readBody(req);
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const [user, pass] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    id = decodeURIComponent(user ?? "");
    secret = decodeURIComponent(pass ?? "");
  }
  if (id !== client.id || secret !== client.secret) {
    return tokenAnswer(req, res, {
      error: "incorrect_client_credentials",
      error_description: "The client_id and/or client_secret passed are incorrect.",
    });
  }
  const grant = codes.get(form.get("code"));
  codes.delete(form.get("code"));
  const redirectUri = form.get("redirect_uri");
  if (!grant || (redirectUri && redirectUri !== grant.redirectUri)) {
    return tokenAnswer(req, res, {
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
    });
  }
  const token = `gho_${randomBytes(18).toString("base64url")}`;
  tokens.set(token, { login: grant.login, scope: grant.scope });
  tokenAnswer(req, res, { access_token: token, token_type: "bearer", scope: grant.scope });
}

function paginate(req, res, url, items) {
  const perPage = Math.min(Number(url.searchParams.get("per_page") ?? "30") || 30, pageSize);
  const page = Math.max(Number(url.searchParams.get("page") ?? "1") || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n, rel) => {
    const target = new URL(url);
    target.searchParams.set("page", String(n));
    target.searchParams.set("per_page", String(perPage));
    return `<${origin}${target.pathname}${target.search}>; rel="${rel}"`;
  };
  const links = [];
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  send(
    res,
    200,
    items.slice((page - 1) * perPage, page * perPage),
    links.length ? { link: links.join(", ") } : {},
  );
}

function api(req, res, url) {
  const match = /^(?:Bearer|token) (\S+)$/i.exec(req.headers.authorization ?? "");
  const session = match ? tokens.get(match[1]) : undefined;
  const docs = "https://docs.github.com/rest";
  if (!session) return send(res, 401, { message: "Bad credentials", documentation_url: docs });
  const login = session.login;
  const account = accounts[login];
  const scopes = session.scope.split(/[ ,]+/);
  const headers = { "x-oauth-scopes": scopes.join(", ") };
  const path = url.pathname.slice("/api/v3".length);
  const orgLogins = [...new Set([...account.teams.map((team) => team.split("/")[0]), ...account.orgs])];
  const orgObject = (orgLogin, i) => ({
    login: orgLogin,
    id: 500 + i,
    url: `${origin}/api/v3/orgs/${orgLogin}`,
  });
  if (path === "/user") {
    return send(
      res,
      200,
      {
        login,
        id: account.id,
        type: "User",
        name: account.name,
        email: account.privateEmail ? null : `${login}@example.test`,
        avatar_url: `${origin}/avatars/${login}`,
      },
      headers,
    );
  }
  if (path === "/user/emails") {
    if (!scopes.includes("user:email") && !scopes.includes("user")) {
      return send(res, 404, { message: "Not Found", documentation_url: docs });
    }
    return send(res, 200, [
      { email: `${login}@example.test`, primary: true, verified: true, visibility: null },
    ]);
  }
  if (path === "/user/orgs" || path === "/user/teams") {
    if (!scopes.includes("read:org")) {
      return send(res, 403, { message: "Resource not accessible by integration", documentation_url: docs });
    }
    if (path === "/user/orgs") return paginate(req, res, url, orgLogins.map(orgObject));
    return paginate(
      req,
      res,
      url,
      account.teams.map((team, i) => {
        const [orgLogin, slug] = team.split("/");
        return {
          id: 700 + i,
          name: slug,
          slug,
          privacy: "closed",
          permission: "pull",
          organization: orgObject(orgLogin, orgLogins.indexOf(orgLogin)),
        };
      }),
    );
  }
  send(res, 404, { message: "Not Found", documentation_url: docs });
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/__health") return send(res, 200, "ok");
    if (url.pathname === "/__control") {
      const account = accounts[url.searchParams.get("account") ?? ""];
      if (!account) return send(res, 404, { error: "no such account" });
      if (url.searchParams.has("teams")) {
        account.teams = (url.searchParams.get("teams") ?? "").split(",").filter(Boolean);
      }
      return send(res, 200, { teams: account.teams });
    }
    if (url.pathname === "/login/oauth/authorize") {
      const params = req.method === "POST" ? await readBody(req) : url.searchParams;
      // An unknown client or another redirect URI is an error page at GitHub, not a redirect.
      if (params.get("client_id") !== client.id) return send(res, 404, "<p>Unknown OAuth application</p>");
      if ((params.get("redirect_uri") ?? callback) !== callback) {
        return send(res, 400, "<p>The redirect_uri is not associated with this application.</p>");
      }
      if (req.method !== "POST") return send(res, 200, authorizePage(params));
      const login = (params.get("login") ?? "").toLowerCase();
      if (!accounts[login]) return send(res, 200, authorizePage(params, "Incorrect username or password."));
      const code = randomBytes(10).toString("hex");
      codes.set(code, { login, scope: params.get("scope") ?? "", redirectUri: params.get("redirect_uri") });
      const target = new URL(callback);
      target.searchParams.set("code", code);
      if (params.get("state")) target.searchParams.set("state", params.get("state"));
      res.writeHead(302, { location: target.toString() });
      return res.end();
    }
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST")
      return await accessToken(req, res);
    if (url.pathname.startsWith("/api/v3/") && req.method === "GET") return api(req, res, url);
    send(res, 404, { message: "Not Found" });
  } catch (error) {
    send(res, 500, { message: String(error) });
  }
});
server.listen(port, "127.0.0.1", () => console.log(`github double on ${origin}`));
