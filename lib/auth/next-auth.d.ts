import "next-auth/jwt";

// The session cookie's JWT carries the server-side session id (lib/auth/load-principal.ts).
declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}
