import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultGitopsRepository } from "@/lib/gitops/create-provider";
import { expandPathTemplate } from "@/lib/gitops/locate-manifest";
import { findMergeTarget } from "@/lib/sealing";
import { encryptionLabel, scopeFromAnnotations } from "@/lib/sealing/scope";
import { interopPrivateKey } from "@/lib/sealing/testdata/interop";
import { readManifests } from "../load/load-manifests";
import { hybridDecrypt } from "../sealed-secrets/hybrid-decrypt";
import {
  demoExternalSecrets,
  demoKeyStates,
  demoManifestPath,
  demoSealedSecrets,
} from "../seed/demo-history";
import { demoSeedDir } from "../start-sandbox";
import { commitDemoEstate, readDemoEstates, withDemoMetadata } from "./commit-demo-estate";

// The demo estate's backdated history, read back with plain git: each key's last change and first
// appearance fall on the days demo-history.ts says, the values unseal, the files sit where Sealdeck's
// locate step looks, and the history is committed once per cluster folder.
const run = promisify(execFile);
const DAY_MS = 24 * 3600_000;
const now = new Date("2026-06-01T12:00:00.000Z");
const clusters = ["sandbox", "sandbox-2"];
let dir: string;
let repo: string;
let seed: Awaited<ReturnType<typeof readManifests>>;

const git = async (repository: string, ...args: string[]) =>
  (
    await run("git", ["-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;

type Manifest = {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { encryptedData: Record<string, string> };
};

const versionsRead = new Map<string, Promise<[Date, Manifest][]>>();
/** Each version of a file on main, newest first: [commit time, parsed manifest]. */
function versions(path: string): Promise<[Date, Manifest][]> {
  if (!versionsRead.has(path)) versionsRead.set(path, readVersions(path));
  return versionsRead.get(path)!;
}

async function readVersions(path: string): Promise<[Date, Manifest][]> {
  const log = (await git(repo, "log", "--format=%H %ct", "main", "--", path)).trim().split("\n");
  const result: [Date, Manifest][] = [];
  for (const line of log) {
    const [hash, time] = line.split(" ");
    result.push([
      new Date(Number(time) * 1000),
      parse(await git(repo, "show", `${hash}:${path}`)) as Manifest,
    ]);
  }
  return result;
}

const wholeDaysBefore = (at: Date) => Math.floor((now.getTime() - at.getTime()) / DAY_MS);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sandbox-demo-history-"));
  repo = join(dir, "gitops");
  seed = withDemoMetadata(await readManifests(demoSeedDir));
  expect(await commitDemoEstate({ repo, clusters, seed, now })).toEqual(new Set(clusters));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("commitDemoEstate", () => {
  it("dates each key's last change and first appearance as the demo history says", async () => {
    const states = demoKeyStates(clusters);
    expect(states.length).toBeGreaterThan(20);
    for (const state of states) {
      const history = await versions(
        demoManifestPath(state.cluster, "SealedSecret", state.namespace, state.name),
      );
      const head = history[0]![1].spec.encryptedData[state.key];
      expect(head, `${state.cluster}/${state.namespace}/${state.name} ${state.key}`).toBeTruthy();
      // The last change: the oldest commit of the newest run holding the current value.
      let lastChange = history[0]![0];
      for (const [at, manifest] of history) {
        if (manifest.spec.encryptedData[state.key] !== head) break;
        lastChange = at;
      }
      const firstSeen = history.filter(([, m]) => m.spec.encryptedData[state.key] !== undefined).at(-1)![0];
      const where = `${state.cluster} ${state.namespace}/${state.name} ${state.key}`;
      expect(wholeDaysBefore(lastChange), where).toBe(state.daysAgo);
      expect(wholeDaysBefore(firstSeen), where).toBe(state.createdDaysAgo);
      const distinct = new Set(history.map(([, m]) => m.spec.encryptedData[state.key]).filter(Boolean));
      expect(distinct.size, where).toBe(state.rotations + 1);
    }
    // The oldest commit is about 14 months back; authors and committers carry the backdated time.
    const oldest = (await git(repo, "log", "--reverse", "--format=%at %ct", "main")).split("\n")[0]!;
    const [authored, committed] = oldest.split(" ").map((t) => new Date(Number(t) * 1000));
    expect(authored).toEqual(committed);
    expect(wholeDaysBefore(authored!)).toBe(420);
  });

  it("spans every rotation state, an annotated 30-day secret and a per-key 180-day policy", () => {
    const states = demoKeyStates(["sandbox"]);
    const byStatus = (status: string) => states.filter((s) => s.status === status);
    expect(byStatus("overdue").some((s) => s.daysAgo >= 200)).toBe(true);
    expect(byStatus("due-7").length).toBeGreaterThan(0);
    expect(byStatus("due-30").length).toBeGreaterThan(0);
    expect(byStatus("compliant").length).toBeGreaterThan(0);
    expect(states.some((s) => s.policyFrom === "annotation" && s.maxAgeDays === 30)).toBe(true);
    expect(states.some((s) => s.policyFrom === "key annotation" && s.maxAgeDays === 180)).toBe(true);
    // A week later the due-within-7 keys are overdue.
    const later = demoKeyStates(["sandbox"], 7);
    for (const state of byStatus("due-7"))
      expect(later.find((s) => s.name === state.name && s.key === state.key)?.status).toBe("overdue");
  });

  it("puts every manifest where Sealdeck's default path template looks, with its labels and annotations", async () => {
    const [template] = defaultGitopsRepository(dir).pathTemplates;
    for (const cluster of clusters)
      for (const secret of demoSealedSecrets) {
        const path = expandPathTemplate(template!, {
          cluster,
          namespace: secret.namespace,
          name: secret.name,
        });
        const text = await git(repo, "show", `main:${path}`);
        expect(findMergeTarget(text, { name: secret.name, namespace: secret.namespace }).namespace).toBe(
          secret.namespace,
        );
        const manifest = parse(text) as Manifest;
        expect(manifest.metadata.labels ?? {}).toMatchObject(secret.labels ?? {});
        expect(manifest.metadata.annotations ?? {}).toMatchObject(secret.annotations ?? {});
      }
    const files = (await git(repo, "ls-tree", "-r", "--name-only", "main")).trim().split("\n");
    expect(files).toHaveLength(1 + clusters.length * (demoSealedSecrets.length + demoExternalSecrets.length));
    // The working tree is main, checked out and clean: people (and the e2e) merge there.
    expect(await git(repo, "status", "--porcelain")).toBe("");
    expect((await git(repo, "symbolic-ref", "HEAD")).trim()).toBe("refs/heads/main");
  });

  it("seals real values for each secret's scope with the demo key; the legacy secret still cannot be opened", async () => {
    const key = interopPrivateKey();
    for (const secret of demoSealedSecrets) {
      const manifest = parse(
        await git(
          repo,
          "show",
          `main:${demoManifestPath("sandbox-2", "SealedSecret", secret.namespace, secret.name)}`,
        ),
      ) as Manifest;
      const label = Buffer.from(
        encryptionLabel(
          scopeFromAnnotations(manifest.metadata.annotations ?? {}),
          secret.namespace,
          secret.name,
        ),
      );
      for (const [name, ciphertext] of Object.entries(manifest.spec.encryptedData)) {
        const open = () => hybridDecrypt(key, Buffer.from(ciphertext, "base64"), label).toString("utf8");
        if (secret.name === "legacy-payment-gateway") expect(open).toThrow();
        else if ((secret.keys[name]?.length ?? 0) > 1) expect(open()).toMatch(/^sandbox demo value of /);
        else expect(open()).not.toBe("");
      }
    }
  });

  it("commits once: a second start changes nothing, a new cluster folder is merged in", async () => {
    const before = (await git(repo, "rev-parse", "main")).trim();
    expect(await commitDemoEstate({ repo, clusters, seed, now: new Date() })).toEqual(new Set(clusters));
    expect((await git(repo, "rev-parse", "main")).trim()).toBe(before);

    const more = [...clusters, "sandbox-3"];
    expect(await commitDemoEstate({ repo, clusters: more, seed, now })).toEqual(new Set(more));
    expect((await git(repo, "rev-parse", "main^1")).trim()).toBe(before);
    expect(await git(repo, "diff", "--name-only", before, "main")).toMatch(/^sandbox-3\//);
    expect([...(await readDemoEstates(repo)).keys()].sort()).toEqual(more);
    expect(await git(repo, "status", "--porcelain")).toBe("");
  });

  it("merges the history into an existing repository, leaving the files already on main alone", async () => {
    const existing = join(dir, "existing");
    await mkdir(join(existing, "sandbox", "staging"), { recursive: true });
    await git(dir, "init", "-q", "-b", "main", existing);
    await writeFile(join(existing, "README.md"), "# Ours\n");
    const ours = "# someone's own file\n";
    await writeFile(join(existing, "sandbox", "staging", "agent-secrets.sealedsecret.yaml"), ours);
    await git(existing, "add", "-A");
    await git(existing, "commit", "-q", "-m", "start");
    // A person's signing setup must not stop the sandbox's own merge commit.
    await git(existing, "config", "commit.gpgsign", "true");
    expect(await commitDemoEstate({ repo: existing, clusters: ["sandbox"], seed, now })).toEqual(
      new Set(["sandbox"]),
    );
    expect(await git(existing, "show", "main:README.md")).toBe("# Ours\n");
    expect(await git(existing, "show", "main:sandbox/staging/agent-secrets.sealedsecret.yaml")).toBe(ours);
    expect(await git(existing, "show", "main:sandbox/development/api-keys.sealedsecret.yaml")).toContain(
      "SEARCH_API_KEY",
    );
    expect(await git(existing, "status", "--porcelain")).toBe("");
  });
});
