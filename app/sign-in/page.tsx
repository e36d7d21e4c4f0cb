import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SandboxDemoUsers } from "@/components/auth/sandbox-demo-users";
import { SignInForm } from "@/components/auth/sign-in-form";
import { configuredProviders } from "@/lib/auth/configured-providers";
import { getCurrentPrincipal } from "@/lib/auth/get-current-principal";
import { roleLandingPages } from "@/lib/auth/roles";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";
import { getEnv } from "@/lib/config/env";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Public. A signed-in visitor is sent on: to the page they came for, else their role's start page.
export default async function SignInPage({ searchParams }: SignInPageProps) {
  const query = await searchParams;
  const callbackUrl = safeCallbackUrl(query.callbackUrl);
  const principal = await getCurrentPrincipal();
  if (principal) {
    redirect(
      principal.mustChangePassword ? "/change-password" : (callbackUrl ?? roleLandingPages[principal.role]),
    );
  }
  const env = getEnv();
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <div className="w-full max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-600 dark:text-zinc-400">
        Sign in to manage sealed and external secrets.
      </p>
      <SignInForm callbackUrl={callbackUrl} providers={configuredProviders(env)} initialError={error} />
      {env.SEALDECK_SANDBOX === "1" && <SandboxDemoUsers />}
    </div>
  );
}
