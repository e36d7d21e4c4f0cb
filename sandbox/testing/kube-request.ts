import { request } from "node:https";
import { parse } from "yaml";

export type KubeResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
};

type KubeconfigDoc = {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { token: string } }[];
};

/** A raw API client for one cluster of a sandbox kubeconfig: the sandbox's CA, a chosen user's token. */
export function kubeClient(kubeconfig: string, options: { cluster?: string; user?: string } = {}) {
  const doc = parse(kubeconfig) as KubeconfigDoc;
  const cluster = doc.clusters.find((c) => c.name === (options.cluster ?? "sandbox")) ?? doc.clusters[0]!;
  const user = doc.users.find((u) => u.name === (options.user ?? doc.users[0]!.name))!;
  const ca = Buffer.from(cluster.cluster["certificate-authority-data"], "base64");
  const base = new URL(cluster.cluster.server);
  const tokens = Object.fromEntries(doc.users.map((u) => [u.name, u.user.token]));

  function send(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
  ): Promise<KubeResponse> {
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body);
    const headers: Record<string, string> = {
      Accept: "application/json",
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...init.headers,
    };
    const token = init.token === undefined ? user.user.token : init.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path, method, ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Opens a watch and collects its events until `until` says stop (or the server ends the stream). */
  function watch(
    path: string,
    until: (events: { type: string; object: Record<string, unknown> }[]) => boolean,
    headers: Record<string, string> = {},
  ): Promise<{ type: string; object: Record<string, unknown> }[]> {
    return new Promise((resolve, reject) => {
      const events: { type: string; object: Record<string, unknown> }[] = [];
      let buffer = "";
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method: "GET",
          ca,
          headers: { Accept: "application/json", Authorization: `Bearer ${user.user.token}`, ...headers },
        },
        (res) => {
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffer += chunk;
            let newline;
            while ((newline = buffer.indexOf("\n")) >= 0) {
              const line = buffer.slice(0, newline);
              buffer = buffer.slice(newline + 1);
              if (line.trim())
                events.push(JSON.parse(line) as { type: string; object: Record<string, unknown> });
            }
            if (until(events)) {
              req.destroy();
              resolve(events);
            }
          });
          res.on("end", () => resolve(events));
        },
      );
      req.on("error", (error) => (events.length && until(events) ? resolve(events) : reject(error)));
      req.end();
    });
  }

  return { send, watch, tokens };
}

/** Polls until `check` returns a value (not undefined); fails after `attempts` tries, never on timing alone. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  attempts = 200,
  pauseMs = 50,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`condition not reached${last instanceof Error ? `: ${last.message}` : ""}`);
}
