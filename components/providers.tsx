"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { SignedInUserProvider } from "@/components/auth/signed-in-user";
import type { SignedInUser } from "@/lib/auth/principal";

// zod probes `new Function("")` to decide whether to compile parsers; under the CSP (no 'unsafe-eval' in
// production, see proxy.ts) that probe is blocked and reported as a violation. Interpreted parsing is
// plenty fast for form-sized input.
z.config({ jitless: true });

function shouldRetry(failureCount: number, error: unknown) {
  // Retrying a 401/403 only repeats a denial (and can trip rate limits); other errors get two more tries.
  const status = (error as { status?: number } | null)?.status;
  if (status === 401 || status === 403 || status === 404 || status === 422) return false;
  return failureCount < 2;
}

type ProvidersProps = { children: ReactNode; nonce?: string; user: SignedInUser | null };

export function Providers({ children, nonce, user }: ProvidersProps) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, staleTime: 10_000 } } }),
  );
  return (
    // The nonce lets next-themes' inline theme script run under the Content-Security-Policy (proxy.ts).
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
    >
      <SignedInUserProvider user={user}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </SignedInUserProvider>
    </ThemeProvider>
  );
}
