import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { notifyCredentialEnvProblem } from "@/lib/validations/notifications";

/**
 * A channel's secret from the environment variable its settings name (as Git credentials are read in
 * lib/gitops/create-provider.ts). Errors name the variable and the rule, never a value.
 */
export function notifySecretFromEnv(
  name: string,
  env: Record<string, string | undefined>,
  channel: string,
): string {
  const problem = notifyCredentialEnvProblem(name);
  if (problem)
    throw new AppError(
      "forbidden",
      `The secret of channel ${channel} is refused: its environment variable ${name} ${problem}.`,
    );
  const value = env[name];
  if (!value)
    throw new AppError(
      "unavailable",
      `The secret of channel ${channel} is missing: set the environment variable ${name} on the server.`,
    );
  return value;
}
