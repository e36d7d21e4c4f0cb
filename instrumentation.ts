// Runs once when the Next.js server starts. The check lives in a Node-only module (it may exit the
// process), loaded only in the Node runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitOnBadEnv } = await import("./lib/config/exit-on-bad-env");
    exitOnBadEnv();
  }
}
