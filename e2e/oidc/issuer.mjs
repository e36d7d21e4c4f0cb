// A local OpenID Provider for the SSO end-to-end tests (e2e/sso.spec.ts), started by playwright.config.ts:
// node-oidc-provider (a certified OP) with its development login form, fixed accounts, and a control
// endpoint the spec uses to change an account's groups or to make the issuer misbehave the way real
// ones do (down, slow token endpoint, client secret refused, ID token for another audience).
// Test-only: fixed client secret, development cookie keys.
import http from "node:http";
import { SignJWT, exportJWK, generateKeyPair, decodeJwt } from "jose";
import Provider from "oidc-provider";

const port = Number(process.env.E2E_OIDC_PORT);
const appUrl = process.env.E2E_APP_URL;
const issuer = `http://127.0.0.1:${port}`;

// Groups per account and where they are sent: "id-token" (and userinfo) or "userinfo" only.
const accounts = {
  "oidc-admin": { name: "Olga Admin", groups: ["sealdeck-admins"], where: "id-token" },
  "oidc-dev": { name: "Otto Developer", groups: ["payments-devs"], where: "userinfo" },
  "oidc-nobody": { name: "Nora Nobody", groups: ["everyone"], where: "userinfo" },
  "oidc-mover": { name: "Milo Mover", groups: ["sealdeck-admins"], where: "userinfo" },
};
let fault = "none"; // none | down | slow | reject-client | wrong-audience

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: "e2e", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "sealdeck-e2e",
      client_secret: "e2e-oidc-client-secret-not-a-real-one",
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      post_logout_redirect_uris: [`${appUrl}/sign-in`],
    },
  ],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ["e2e-oidc-cookie-key"] },
  scopes: ["openid", "profile", "email", "groups", "offline_access"],
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email"], groups: ["groups"] },
  // Scope claims go into the ID token too, so an account can carry its groups there.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims(use) {
        const base = { sub: id, name: account.name, preferred_username: id, email: `${id}@example.test` };
        const withGroups = use === "userinfo" || account.where === "id-token";
        return withGroups ? { ...base, groups: [...account.groups] } : base;
      },
    };
  },
  // Consent is implied: the tests exercise Sealdeck, not the provider's consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile email groups");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  if (fault === "slow" && ctx.path === "/token") await new Promise((resolve) => setTimeout(resolve, 6000));
  if (fault === "reject-client" && ctx.path === "/token") {
    ctx.status = 401;
    ctx.body = { error: "invalid_client", error_description: "client authentication failed" };
    return;
  }
  await next();
  if (fault === "wrong-audience" && ctx.path === "/token" && ctx.body?.id_token) {
    // The same token, validly signed, but issued for another client.
    const claims = { ...decodeJwt(ctx.body.id_token), aud: "another-application" };
    ctx.body = {
      ...ctx.body,
      id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "e2e" }).sign(privateKey),
    };
  }
});

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  if (url.pathname === "/__control") {
    if (url.searchParams.has("fault")) fault = url.searchParams.get("fault") ?? "none";
    const account = accounts[url.searchParams.get("account") ?? ""];
    if (account && url.searchParams.has("groups")) {
      account.groups = (url.searchParams.get("groups") ?? "").split(",").filter(Boolean);
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ fault }));
    return;
  }
  if (url.pathname === "/__health") {
    res.end("ok");
    return;
  }
  // "Down": the connection is dropped, as when nothing listens or a proxy resets it.
  if (fault === "down") {
    req.socket.destroy();
    return;
  }
  callback(req, res);
});
server.listen(port, "127.0.0.1", () => console.log(`oidc issuer on ${issuer}`));
