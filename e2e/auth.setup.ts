import { demoUsers } from "../lib/auth/demo-users";
import { roleLandingPages } from "../lib/auth/roles";
import { test as setup } from "@playwright/test";
import { authFile, expect, serverOf } from "./auth-fixtures";

// Signs each sandbox demo user in once and saves the session for the specs. Through next-auth's own
// endpoints, as the sign-in form's script calls them, rather than a browser walk that also renders each
// role's landing page: the form itself is walked in e2e/auth.spec.ts, and the landing pages by the specs.
// Playwright's own `test`, not auth-fixtures': no browser page is needed here.
for (const demo of demoUsers) {
  setup(`sign in as ${demo.role}`, async ({ request, baseURL }, testInfo) => {
    // On `next dev` the first request of each route compiles it, which can take minutes on a busy machine.
    setup.setTimeout(240_000);
    const timeout = 180_000;
    const csrf = await request.get("/api/auth/csrf", { timeout });
    expect(csrf.status()).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await request.post("/api/auth/callback/credentials", {
      form: {
        csrfToken,
        username: demo.username,
        password: demo.password,
        callbackUrl: "/sign-in",
        json: "true",
      },
      headers: { origin: baseURL! },
      maxRedirects: 0,
      timeout,
    });
    expect(signIn.status(), await signIn.text()).toBe(200);
    // A failed sign-in answers 200 too, with the error in the URL it sends the browser to.
    expect((await signIn.json()) as { url: string }).toEqual({
      url: expect.not.stringMatching(/[?&]error=/),
    });

    // The session holds no name or role (by design): the page the signed-in sign-in page sends it on
    // to, its role's landing page, shows it is this user's.
    const session = await request.get("/api/auth/session", { timeout });
    expect(await session.json()).toEqual({ expires: expect.any(String) });
    const landing = await request.get("/sign-in", { maxRedirects: 0, timeout });
    expect(landing.status()).toBeLessThan(400);
    // The page streams (it has a loading state), so Next sends the redirect as a refresh tag rather
    // than a 307 whenever the shell went out first.
    const to =
      landing.headers().location ??
      /id="__next-page-redirect"[^>]*content="\d;url=([^"]+)"/.exec(await landing.text())?.[1];
    expect(new URL(to ?? "/sign-in", baseURL).pathname).toBe(roleLandingPages[demo.role]);

    await request.storageState({ path: authFile(serverOf(testInfo.project.name), demo.role) });
  });
}
