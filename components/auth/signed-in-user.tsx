"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { SignedInUser } from "@/lib/auth/principal";

// The signed-in user for client components (the user menu), handed down from the root layout.
const SignedInUserContext = createContext<SignedInUser | null>(null);

export function SignedInUserProvider({ user, children }: { user: SignedInUser | null; children: ReactNode }) {
  return <SignedInUserContext.Provider value={user}>{children}</SignedInUserContext.Provider>;
}

export function useSignedInUser(): SignedInUser | null {
  return useContext(SignedInUserContext);
}
