-- An OIDC sign-in that received a refresh token (scope offline_access) keeps it with its session,
-- encrypted (AES-256-GCM, key derived from NEXTAUTH_SECRET, bound to the session id): at recheck_at the
-- server refreshes and re-reads the user's groups instead of ending the session. Never sent to the
-- browser; cleared when a refresh fails (the session then ends as before).
ALTER TABLE "auth_sessions" ADD COLUMN "provider_refresh_token" TEXT;
