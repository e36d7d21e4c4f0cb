import { execFile } from "node:child_process";

export type KubectlResult = { code: number; stdout: string; stderr: string };

/**
 * Runs the stock kubectl on PATH against a sandbox kubeconfig. A missing kubectl fails the test
 * (ENOENT is rethrown), so CI cannot pass without the independent client.
 */
export function runKubectl(kubeconfigPath: string, args: string[], stdin?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "kubectl",
      ["--kubeconfig", kubeconfigPath, ...args],
      { env: { ...process.env, KUBECONFIG: kubeconfigPath }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT")
          return reject(new Error("kubectl is not on PATH"));
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** kubectl that must succeed; its stderr becomes the failure message. */
export async function kubectlOk(kubeconfigPath: string, args: string[], stdin?: string): Promise<string> {
  const result = await runKubectl(kubeconfigPath, args, stdin);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}
