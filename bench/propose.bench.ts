// Proposing on GitHub: (1) how many API calls one rotation pull request costs (target ≤ 6), with labels
// only and with labels and reviewers; (2) the time to open one against a repository of 10 files and of
// 10,000 files, side by side (the path is known, so nothing should grow with the repository). GitHub is
// the local HTTP double of lib/gitops/testing, which answers with GitHub's shapes and status codes.
import { createGitHubProvider } from "../lib/gitops/github-provider";
import { proposeChange } from "../lib/gitops/propose-change";
import { fakeSealedSecret } from "../lib/gitops/testing/git-fixture";
import { GITHUB_REPOSITORY, startGitHubDouble } from "../lib/gitops/testing/github-double";
import {
  measureGitHubRotation,
  ROTATION_FILE,
  ROTATION_MANIFEST,
} from "../lib/gitops/testing/measure-github-rotation";
import type { BenchReport, BenchRow } from "./report";

const CALL_TARGET = 6;
const SIZE_RATIO_TARGET = 2;
const RUNS = Number(process.env.SEALDECK_BENCH_PROPOSE_RUNS ?? 9);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds to open one rotation PR (proposeChange only) against a fresh double of `files` files. */
async function timeRotation(files: number): Promise<{ ms: number; calls: number }> {
  const initial: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST };
  for (let i = 1; i < files; i++) initial[`apps/app-${i}/config.yaml`] = `index: ${i}\n`;
  const double = await startGitHubDouble(initial);
  try {
    const provider = createGitHubProvider({
      baseUrl: double.url,
      repository: GITHUB_REPOSITORY,
      credentials: { type: "token", token: double.token },
    });
    const before = double.apiCalls().length;
    const started = performance.now();
    await proposeChange({
      provider,
      repository: { baseBranch: "main", branchPrefix: "sealdeck", labels: ["sealed-secrets"], reviewers: [] },
      change: {
        secret: { namespace: "payments", name: "db-credentials" },
        action: "rotate",
        keys: ["password"],
        clusters: ["prod"],
        scope: "strict",
        certificates: [{ cluster: "prod", fingerprint: "cd".repeat(32) }],
        requestedBy: { name: "Bench", email: "bench@example.test" },
      },
      files: [
        {
          cluster: "prod",
          path: ROTATION_FILE,
          manifest: fakeSealedSecret("payments", "db-credentials", { password: "AgNEWPASSWORD==" }),
        },
      ],
    });
    return { ms: performance.now() - started, calls: double.apiCalls().length - before };
  } finally {
    await double.close();
  }
}

async function countCalls(options: { labels: string[]; reviewers: string[] }) {
  const measured = await measureGitHubRotation(options);
  await measured.double.close();
  return {
    calls: measured.calls,
    trail: measured.requests.map((r) => `${r.method} ${r.path.replace(/^\/repos\/acme\/deploy/, "")}`),
  };
}

export default async function run(): Promise<BenchReport> {
  const labelsOnly = await countCalls({ labels: ["sealed-secrets"], reviewers: [] });
  const withReviewers = await countCalls({
    labels: ["sealed-secrets"],
    reviewers: ["alice", "acme/security"],
  });

  // Warm up (module loading, the first socket), then alternate sizes so machine noise hits both alike.
  await timeRotation(10);
  const small: number[] = [];
  const large: number[] = [];
  let largeCalls = 0;
  for (let i = 0; i < RUNS; i++) {
    small.push((await timeRotation(10)).ms);
    const measured = await timeRotation(10_000);
    large.push(measured.ms);
    largeCalls = measured.calls;
  }
  const smallMs = median(small);
  const largeMs = median(large);

  const rows: BenchRow[] = [
    {
      name: "GitHub API calls to open a rotation PR (one key, labels, no reviewers)",
      value: labelsOnly.calls,
      unit: "calls",
      target: `≤ ${CALL_TARGET}`,
      pass: labelsOnly.calls <= CALL_TARGET,
      note: labelsOnly.trail.join(", "),
    },
    {
      name: "GitHub API calls to open a rotation PR (one key, labels and reviewers)",
      value: withReviewers.calls,
      unit: "calls",
      target: `≤ ${CALL_TARGET}`,
      pass: withReviewers.calls <= CALL_TARGET,
      note: withReviewers.trail.join(", "),
    },
    {
      name: "GitHub API calls to open a rotation PR in a repository of 10,000 files",
      value: largeCalls,
      unit: "calls",
      target: `= ${labelsOnly.calls} (as for 10 files)`,
      pass: largeCalls === labelsOnly.calls,
    },
    {
      name: "time to open a rotation PR, repository of 10,000 files",
      value: largeMs,
      unit: "ms",
      reference: { name: "same, repository of 10 files", value: smallMs },
      ratio: largeMs / smallMs,
      target: `≤ ${SIZE_RATIO_TARGET}× the 10-file repository`,
      pass: largeMs / smallMs <= SIZE_RATIO_TARGET,
      note: `median of ${RUNS} runs each, proposeChange only (double started beforehand); includes the double's own commit work`,
    },
  ];
  return { title: "Proposing a rotation on GitHub (local API double)", rows };
}
