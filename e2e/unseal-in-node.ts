import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./unseal-script.ts", import.meta.url));

/**
 * Decrypts sealed values with the sandbox's Node decryptor and the published interop key, in a child
 * Node: the decryptor is a `server-only` module, loadable only under the react-server condition, which
 * the Playwright runner does not have. Throws when a value does not decrypt.
 */
export function unsealInNode(items: { ciphertext: string; label: string }[]): string[] {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", import.meta.resolve("tsx"), script],
    {
      input: JSON.stringify(items),
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`unseal failed: ${result.stderr.trim().split("\n")[0]}`);
  return JSON.parse(result.stdout) as string[];
}
