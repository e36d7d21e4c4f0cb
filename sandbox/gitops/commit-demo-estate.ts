import "server-only";
import { execFile, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { encryptionLabel, scopeFromAnnotations } from "@/lib/sealing/scope";
import {
  DEMO_ESTATE_TRAILER,
  demoExternalSecrets,
  demoManifestPath,
  demoSealedSecrets,
  parseDemoEstateTrailers,
  type DemoSealedSecret,
} from "../seed/demo-history";
import { hybridEncrypt } from "../sealed-secrets/hybrid-encrypt";
import type { KubeObject } from "../server/kube-object";
import { isRecord } from "../server/kube-object";

const run = promisify(execFile);
const DAY_MS = 24 * 3600_000;
const SEALING_KEY_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key";
const TEMP_REF = "refs/sealdeck/demo-estate";

const README = `# Sandbox GitOps repository

Sealdeck's sandbox applies the \`main\` branch of this repository to the sandbox cluster,
like an Argo CD Application with automated sync, prune and self-heal: the whole repository with one
cluster, the folder \`<cluster>/\` to each cluster with several.

The demo estate's SealedSecrets and ExternalSecrets live here, with a backdated history (made when the
repository was created) so Sealdeck's Rotations page has overdue, due and fresh keys to show.
`;

// Fictional people: the demo history reads like a team's, and names nobody real.
const authors = [
  { name: "Dana Okafor", email: "dana.okafor@example.com" },
  { name: "Lukas Berg", email: "lukas.berg@example.com" },
  { name: "Mei Tanaka", email: "mei.tanaka@example.com" },
  { name: "Sam Rivera", email: "sam.rivera@example.com" },
];

async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    "git",
    // The merge commit is the sandbox's own: no signing prompt from the user's global config.
    [
      "-C",
      repo,
      "-c",
      "user.name=Sealdeck",
      "-c",
      "user.email=sealdeck@localhost",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

async function tryGit(repo: string, ...args: string[]): Promise<string | undefined> {
  try {
    return await git(repo, ...args);
  } catch {
    return undefined;
  }
}

function fastImport(repo: string, stream: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, "fast-import", "--quiet", "--done"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr.trim()}`)),
    );
    child.stdin.end(stream);
  });
}

/** The clusters whose demo estate main holds, with the time its history is relative to. */
export async function readDemoEstates(repo: string): Promise<Map<string, Date>> {
  const log =
    (await tryGit(repo, "log", "refs/heads/main", `--grep=^${DEMO_ESTATE_TRAILER}: `, "--format=%B")) ?? "";
  return parseDemoEstateTrailers(log);
}

/** One commit of the demo history: what it says, and the file it writes into each cluster's folder. */
type PlannedCommit = {
  daysAgo: number;
  message: string;
  file: (cluster: string, at: Date) => { path: string; content: string };
};

function findSeed(seed: KubeObject[], kind: string, namespace: string | null, name: string): KubeObject {
  const object = seed.find(
    (o) => o.kind === kind && (o.metadata.namespace ?? null) === namespace && o.metadata.name === name,
  );
  if (!object) throw new Error(`the demo estate has no ${kind} ${namespace ?? ""}/${name}`);
  return object;
}

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const nonEmpty = (name: string, value: Record<string, unknown>) =>
  Object.keys(value).length > 0 ? { [name]: value } : {};

/** A demo SealedSecret's manifest: the seed's, with the history entry's labels and annotations. */
function sealedSecretManifest(
  object: KubeObject,
  secret: DemoSealedSecret,
  encryptedData: Record<string, string>,
) {
  const spec = record(object.spec);
  const template = record(spec.template);
  const templateMetadata = record(template.metadata);
  const labels = { ...(object.metadata.labels ?? {}), ...(secret.labels ?? {}) };
  const annotations = { ...(object.metadata.annotations ?? {}), ...(secret.annotations ?? {}) };
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      ...nonEmpty("labels", labels),
      ...nonEmpty("annotations", annotations),
    },
    spec: {
      ...spec,
      encryptedData,
      template: {
        ...template,
        metadata: {
          ...templateMetadata,
          ...nonEmpty("labels", { ...record(templateMetadata.labels), ...(secret.labels ?? {}) }),
        },
      },
    },
  };
}

/**
 * The demo seed with each demo SealedSecret's owner labels and policy annotations (demo-history.ts), so
 * a sandbox seeded directly (`--no-gitops`) shows the same policies as one applied from Git.
 */
export function withDemoMetadata(seed: KubeObject[]): KubeObject[] {
  return seed.map((object) => {
    const secret = demoSealedSecrets.find(
      (s) =>
        object.kind === "SealedSecret" &&
        s.namespace === object.metadata.namespace &&
        s.name === object.metadata.name,
    );
    if (!secret) return object;
    const encryptedData = record(record(object.spec).encryptedData) as Record<string, string>;
    return { ...object, ...sealedSecretManifest(object, secret, encryptedData) } as KubeObject;
  });
}

/** The restored sealing key of the demo estate (sandbox/seed/05-sealing-key-backup.yaml): every cluster has it. */
function demoSealingKey(seed: KubeObject[]) {
  for (const object of seed) {
    const cert = record(object.data)["tls.crt"];
    if (object.kind === "Secret" && object.metadata.labels?.[SEALING_KEY_LABEL] && typeof cert === "string")
      return new X509Certificate(Buffer.from(cert, "base64")).publicKey;
  }
  throw new Error("the demo estate has no sealing key to seal its history with");
}

/** The demo history's commits, oldest first. */
export function planDemoHistory(seed: KubeObject[]): PlannedCommit[] {
  const publicKey = demoSealingKey(seed);
  const planned: (PlannedCommit & { order: number })[] = [];
  for (const secret of demoSealedSecrets) {
    const object = findSeed(seed, "SealedSecret", secret.namespace, secret.name);
    const seedData = record(record(object.spec).encryptedData);
    const scope = scopeFromAnnotations({
      ...(object.metadata.annotations ?? {}),
      ...(secret.annotations ?? {}),
    });
    const label = Buffer.from(encryptionLabel(scope, secret.namespace, secret.name));
    const keys = Object.keys(secret.keys);
    // Each cluster folder's values as of its last commit.
    const current = new Map<string, Record<string, string>>();
    const moments = [...new Set(Object.values(secret.keys).flat())].sort((a, b) => b - a);
    for (const [index, daysAgo] of moments.entries()) {
      const changed = keys.filter((key) => secret.keys[key]!.includes(daysAgo));
      const target = `${secret.namespace}/${secret.name}`;
      planned.push({
        daysAgo,
        order: planned.length,
        message:
          index === 0 ? `Add ${target} (${changed.join(", ")})` : `Rotate ${changed.join(", ")} of ${target}`,
        file: (cluster, at) => {
          const data = { ...(current.get(cluster) ?? {}) };
          for (const key of changed) {
            const original = seedData[key];
            // A key's first version is the seed's own ciphertext; each rotation seals a new demo value.
            data[key] =
              secret.keys[key]![0] === daysAgo && typeof original === "string"
                ? original
                : hybridEncrypt(
                    publicKey,
                    Buffer.from(`sandbox demo value of ${key}, set ${at.toISOString().slice(0, 10)}`),
                    label,
                  ).toString("base64");
          }
          current.set(cluster, data);
          const encryptedData = Object.fromEntries(keys.flatMap((k) => (data[k] ? [[k, data[k]]] : [])));
          return {
            path: demoManifestPath(cluster, "SealedSecret", secret.namespace, secret.name),
            content: stringify(sealedSecretManifest(object, secret, encryptedData)),
          };
        },
      });
    }
  }
  for (const external of demoExternalSecrets) {
    // Git holds the spec; a status in the seed (the stale demo ExternalSecret) is the cluster's state.
    const { status: _status, ...object } = findSeed(seed, external.kind, external.namespace, external.name);
    const where = external.namespace ? `${external.namespace}/${external.name}` : external.name;
    planned.push({
      daysAgo: external.committedDaysAgo,
      order: planned.length,
      message: `Add ${external.kind} ${where}`,
      file: (cluster) => ({
        path: demoManifestPath(cluster, external.kind, external.namespace, external.name),
        content: stringify(object),
      }),
    });
  }
  return planned.sort((a, b) => b.daysAgo - a.daysAgo || a.order - b.order);
}

function fastImportStream(
  ref: string,
  commits: {
    at: Date;
    author: { name: string; email: string };
    message: string;
    files: { path: string; content: string }[];
  }[],
): Buffer {
  const parts: Buffer[] = [];
  const text = (value: string) => parts.push(Buffer.from(value));
  const data = (value: string) => {
    const bytes = Buffer.from(value);
    text(`data ${bytes.length}\n`);
    parts.push(bytes);
    text("\n");
  };
  for (const commit of commits) {
    const who = `${commit.author.name} <${commit.author.email}> ${Math.floor(commit.at.getTime() / 1000)} +0000`;
    text(`commit ${ref}\nauthor ${who}\ncommitter ${who}\n`);
    data(commit.message);
    for (const file of commit.files) {
      text(`M 100644 inline ${file.path}\n`);
      data(file.content);
    }
  }
  text("done\n");
  return Buffer.concat(parts);
}

export type CommitDemoEstateOptions = {
  /** The GitOps repository (a work tree); created when it does not exist. */
  repo: string;
  /** The cluster folders to hold the estate (`sandbox`, `sandbox-2`, ...). */
  clusters: readonly string[];
  /** The demo estate's objects (sandbox/seed), the source of the manifests. */
  seed: KubeObject[];
  /** The moment the history is relative to; default now. */
  now?: Date;
  log?: (line: string) => void;
};

/**
 * Commits the demo estate's SealedSecrets and ExternalSecrets to `<cluster>/<namespace>/<name>.<kind>.yaml`
 * for every cluster whose folder never had it (told by the `Sealdeck-Demo-Estate` trailer on main), as a
 * backdated history (demo-history.ts). A new repository gets it as its own history; an existing one
 * gets it merged in (files already on main are left alone). Returns the clusters whose demo estate
 * lives in the repository, so the sandbox applies it from Git instead of seeding it.
 */
export async function commitDemoEstate(options: CommitDemoEstateOptions): Promise<Set<string>> {
  const { repo, clusters } = options;
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  if (!existsSync(join(repo, ".git"))) {
    // A bare repository cannot be merged into here; an absent one is created, as the launcher's is.
    if (existsSync(join(repo, "HEAD"))) return new Set();
    await mkdir(repo, { recursive: true });
    await git(repo, "init", "--quiet", "--initial-branch=main");
  }
  const present = await readDemoEstates(repo);
  const missing = clusters.filter((c) => !present.has(c));
  if (missing.length === 0) return new Set(clusters);

  const main = (await tryGit(repo, "rev-parse", "--verify", "-q", "refs/heads/main"))?.trim();
  const head = (await tryGit(repo, "symbolic-ref", "-q", "HEAD"))?.trim();
  if (main && head !== "refs/heads/main") {
    log(`gitops: ${repo} has main but another branch checked out; the demo estate is seeded directly`);
    return new Set(clusters.filter((c) => present.has(c)));
  }
  const onMain = new Set(main ? (await git(repo, "ls-tree", "-r", "--name-only", main)).split("\n") : []);
  const plan = planDemoHistory(options.seed);
  const sameDay = new Map<number, number>();
  const commits = plan.map((planned, index) => {
    const nth = sameDay.get(planned.daysAgo) ?? 0;
    sameDay.set(planned.daysAgo, nth + 1);
    // An hour before the day mark, a minute apart: ages stay just over the whole days the history says.
    const at = new Date(now.getTime() - planned.daysAgo * DAY_MS - 3600_000 + nth * 60_000);
    const files = missing.map((cluster) => planned.file(cluster, at)).filter((f) => !onMain.has(f.path));
    if (index === 0 && !main) files.unshift({ path: "README.md", content: README });
    let message = planned.message;
    if (index === plan.length - 1)
      message += `\n\n${missing.map((c) => `${DEMO_ESTATE_TRAILER}: ${c} ${now.toISOString()}`).join("\n")}`;
    return { at, author: authors[index % authors.length]!, message: `${message}\n`, files };
  });

  const ref = main ? TEMP_REF : "refs/heads/main";
  await tryGit(repo, "update-ref", "-d", TEMP_REF);
  await fastImport(repo, fastImportStream(ref, commits));
  if (!main) {
    // A new repository: check its main out, so people (and the e2e) can merge there.
    await git(repo, "reset", "--quiet", "--hard");
  } else {
    try {
      await git(
        repo,
        "merge",
        "--quiet",
        "--no-ff",
        "--allow-unrelated-histories",
        "-m",
        `Add the sandbox demo estate for ${missing.join(", ")}`,
        TEMP_REF,
      );
    } catch (error) {
      await tryGit(repo, "merge", "--abort");
      log(
        `gitops: could not merge the demo estate into ${repo} (${error instanceof Error ? error.message : String(error)}); it is seeded directly`,
      );
      return new Set(clusters.filter((c) => present.has(c)));
    } finally {
      await tryGit(repo, "update-ref", "-d", TEMP_REF);
    }
  }
  log(`gitops: committed the demo estate's history for ${missing.join(", ")} to ${repo}`);
  return new Set(clusters);
}
