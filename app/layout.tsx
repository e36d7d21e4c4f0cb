import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AnonymousShell } from "@/components/auth/anonymous-shell";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { getCurrentPrincipal } from "@/lib/auth/get-current-principal";
import { toSignedInUser } from "@/lib/auth/principal";
import { visibleNavHrefs } from "@/lib/auth/visible-nav-hrefs";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sealdeck", template: "%s · Sealdeck" },
  description:
    "The lifecycle of Kubernetes secrets kept in Git: SealedSecrets, ExternalSecrets, rotation and audit.",
};

async function signedInUser() {
  try {
    const principal = await getCurrentPrincipal();
    return principal ? { user: toSignedInUser(principal), navHrefs: visibleNavHrefs(principal) } : null;
  } catch {
    // The frame must render even when the database is down; the page itself reports the error.
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page dynamic, which the per-request CSP nonce (proxy.ts) needs.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const signedIn = await signedInUser();
  const user = signedIn?.user ?? null;
  return (
    // next-themes sets the theme class on <html> before hydration; React must not flag that as a mismatch.
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers nonce={nonce} user={user}>
          {signedIn ? (
            <AppShell navHrefs={signedIn.navHrefs}>{children}</AppShell>
          ) : (
            <AnonymousShell>{children}</AnonymousShell>
          )}
        </Providers>
      </body>
    </html>
  );
}
