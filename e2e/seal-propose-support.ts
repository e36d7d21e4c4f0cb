import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parse } from "yaml";

// What the seal-and-propose journey checks outside the browser: the e2e server's GitOps repository, its
// sandbox clusters (through their API, as the admin of the kubeconfig the launcher wrote), its database
// and its log. Everything lives under the data directory playwright.config.ts gives the app server.

export const dataDir = fileURLToPath(new URL("../.data/e2e-app/", import.meta.url));
export const gitopsRepo = join(dataDir, "gitops");
export const serverLog = join(dataDir, "server.log");

export function git(...args: string[]): string {
  return execFileSync(
    "git",
    ["-C", gitopsRepo, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", ...args],
    {
      encoding: "utf8",
    },
  );
}

type Kubeconfig = {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: { name: string; user: { token?: string } }[];
};

/** GET a path of one sandbox cluster's API as its admin; the body parsed as JSON. */
export function kubeGet<T>(context: string, path: string): Promise<{ status: number; body: T }> {
  const config = parse(readFileSync(join(dataDir, "sandbox", "kubeconfig"), "utf8")) as Kubeconfig;
  const ctx = config.contexts.find((c) => c.name === context);
  const cluster = config.clusters.find((c) => c.name === ctx?.context.cluster);
  const user = config.users.find((u) => u.name === ctx?.context.user);
  if (!cluster || !user?.user.token) throw new Error(`no sandbox context ${context} in the e2e kubeconfig`);
  const url = new URL(path, cluster.cluster.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "GET",
        // A fresh connection per request: a polled, reused keep-alive socket can meet the server
        // closing it ("socket hang up").
        agent: false,
        ca: Buffer.from(cluster.cluster["certificate-authority-data"], "base64"),
        headers: { Authorization: `Bearer ${user.user.token}`, Accept: "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Any request to one sandbox cluster's API as its admin (kubectl apply, delete, get --raw); the body as text. */
export function kubeSend(
  context: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const config = parse(readFileSync(join(dataDir, "sandbox", "kubeconfig"), "utf8")) as Kubeconfig;
  const ctx = config.contexts.find((c) => c.name === context);
  const cluster = config.clusters.find((c) => c.name === ctx?.context.cluster);
  const user = config.users.find((u) => u.name === ctx?.context.user);
  if (!cluster || !user?.user.token) throw new Error(`no sandbox context ${context} in the e2e kubeconfig`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, cluster.cluster.server),
      {
        method,
        agent: false,
        ca: Buffer.from(cluster.cluster["certificate-authority-data"], "base64"),
        headers: {
          Authorization: `Bearer ${user.user.token}`,
          Accept: "application/json, */*",
          ...(payload ? { "Content-Type": "application/json" } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Every sealing private key (PEM) of a sandbox cluster's controller. */
export async function clusterSealingKeys(context: string): Promise<string[]> {
  const selector = encodeURIComponent("sealedsecrets.bitnami.com/sealed-secrets-key");
  const { body } = await kubeGet<{ items: { data: Record<string, string> }[] }>(
    context,
    `/api/v1/namespaces/kube-system/secrets?labelSelector=${selector}`,
  );
  return body.items.map((item) => Buffer.from(item.data["tls.key"] ?? "", "base64").toString("utf8"));
}

/** The Secret the controller unsealed, its data decoded; null while it does not exist. */
export async function unsealedSecret(context: string, namespace: string, name: string) {
  const { status, body } = await kubeGet<{ data?: Record<string, string> }>(
    context,
    `/api/v1/namespaces/${namespace}/secrets/${name}`,
  );
  if (status !== 200) return null;
  return Object.fromEntries(
    Object.entries(body.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, "base64").toString("utf8"),
    ]),
  );
}

/** Decrypts sealed values with the given private keys; null for each value none of them opens. */
export function unsealWith(
  keys: string[],
  items: { ciphertext: string; label: string }[],
): (string | null)[] {
  const script = fileURLToPath(new URL("./seal-propose-unseal-script.ts", import.meta.url));
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", import.meta.resolve("tsx"), script],
    { input: JSON.stringify({ keys, items }), encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`unseal failed: ${result.stderr.trim().split("\n")[0]}`);
  return JSON.parse(result.stdout) as (string | null)[];
}

/** Every row of every table of the e2e server's embedded database, as text (JSON per row). */
export async function dumpDatabase(): Promise<string> {
  const pid = readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n");
  const port = pid[3]?.trim();
  const password = readFileSync(join(dataDir, "postgres.password"), "utf8").trim();
  const client = new pg.Client({
    host: "127.0.0.1",
    port: Number(port),
    user: "sealdeck",
    password,
    database: "sealdeck",
  });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      parts.push(`-- ${name} (${rows.rowCount})`, ...rows.rows.map((r) => r.row));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

export function readServerLog(): string {
  if (!existsSync(serverLog))
    throw new Error(`${serverLog} is missing: the e2e server's output is not being saved`);
  return readFileSync(serverLog, "utf8");
}

/** The ways a plaintext could appear if it leaked: as is, URL-encoded, base64, hex (Postgres bytea). */
export function leakForms(plaintext: string): string[] {
  const bytes = Buffer.from(plaintext, "utf8");
  return [
    plaintext,
    encodeURIComponent(plaintext),
    bytes.toString("base64"),
    bytes.toString("base64url"),
    bytes.toString("hex"),
  ];
}

/**
 * Removes the journey's secrets from `main` again (the sandboxes then prune them). The sandbox
 * controllers get fresh keys at every start, so a secret left merged would fail to unseal on the next
 * run and show up as Degraded in the other specs.
 */
export function removeMergedTestSecrets(): void {
  const leftovers = git("ls-tree", "-r", "--name-only", "main")
    .split("\n")
    .filter((path) => /^[^/]+\/[^/]+\/e2e-[0-9a-f]{8}\.sealedsecret\.yaml$/.test(path));
  if (leftovers.length === 0) return;
  git("rm", "-q", "--ignore-unmatch", "--", ...leftovers);
  git("commit", "-q", "-m", "e2e: remove the seal-and-propose journey's test secrets");
}
