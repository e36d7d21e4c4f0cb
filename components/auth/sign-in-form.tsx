"use client";

import { signIn } from "next-auth/react";
import { FormAlert } from "@/components/ui/form-alert";
import { HydratedSubmitButton } from "@/components/ui/hydrated-submit-button";
import { useState, type FormEvent } from "react";
import type { ExternalProvider } from "@/lib/auth/configured-providers";

type SignInFormProps = { callbackUrl?: string; providers: ExternalProvider[]; initialError?: string };

// Messages for next-auth's error codes. None says whether an account exists.
const errorMessages: Record<string, string> = {
  CredentialsSignin: "Sign-in failed: wrong username or password, or the account is locked for a while.",
  RateLimited: "Too many sign-in attempts. Wait a minute, then try again.",
  NotAuthorized: "Your account at the identity provider is not mapped to a Sealdeck role. Ask an admin.",
  // Single sign-on failures (lib/auth/classify-sso-failure.ts); each is audited with its reason.
  "Sso-client-rejected":
    "Single sign-on failed: the identity provider rejected Sealdeck's client credentials. Ask an admin to check the client secret.",
  "Sso-wrong-audience":
    "Single sign-on failed: the identity provider's token was issued for another application. Ask an admin to check the client id.",
  "Sso-issuer-unreachable":
    "Single sign-on failed: the identity provider cannot be reached. Try again later.",
  "Sso-provider-timeout": "Single sign-on failed: the identity provider did not answer in time. Try again.",
  "Sso-provider-error": "Single sign-on failed: the identity provider refused the sign-in. Try again.",
  "Sso-invalid-response":
    "Single sign-on failed: the identity provider's answer could not be verified. Try again.",
  OAuthSignin: "Single sign-on could not start. Try again.",
  OAuthCallback: "Single sign-on failed. Try again.",
};

function describe(code: string) {
  return errorMessages[code] ?? "Sign-in failed. Try again.";
}

export function SignInForm({ callbackUrl, providers, initialError }: SignInFormProps) {
  const [error, setError] = useState(initialError ? describe(initialError) : null);
  const [pending, setPending] = useState(false);
  // After any sign-in the sign-in page itself sends the user on (to callbackUrl or their role's page).
  const next = `/sign-in${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      redirect: false,
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl: next,
    });
    if (result?.ok && !result.error) {
      // A full load, so the layout renders with the new session.
      window.location.assign(new URL(next, window.location.origin));
      return;
    }
    setPending(false);
    setError(describe(result?.error ?? "CredentialsSignin"));
  };

  return (
    <div className="space-y-5">
      <form
        method="post"
        onSubmit={(event) => void onSubmit(event)}
        className="space-y-4"
        aria-label="Sign in with a Sealdeck account"
      >
        <div>
          <label htmlFor="username" className="block text-sm font-medium">
            Username
          </label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            required
            className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </div>
        <FormAlert message={error} />
        <HydratedSubmitButton label="Sign in" pendingLabel="Signing in…" pending={pending} fullWidth />
      </form>
      {providers.length > 0 && (
        <div className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              onClick={() => void signIn(provider.id, { callbackUrl: next })}
              className="w-full rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Sign in with {provider.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
