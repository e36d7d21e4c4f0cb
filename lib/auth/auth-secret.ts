import "server-only";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";

/** The key that signs session cookies; the launcher always provides one (env or <data dir>/auth-secret). */
export function getAuthSecretOrThrow(): string {
  const secret = getEnv().NEXTAUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (!secret)
    throw new AppError(
      "unavailable",
      "NEXTAUTH_SECRET is not set; start Sealdeck with `npm run dev` or `npm start`",
    );
  return secret;
}
