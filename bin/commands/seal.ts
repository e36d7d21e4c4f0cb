// `sealdeck seal`: kubeseal-compatible sealing from the command line, on the same lib/sealing code the
// browser runs. Plaintext arrives on stdin or from a file and only ciphertext is ever written out.
import { randomBytes } from "node:crypto";
import { chmod, open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";

import {
  buildSealedSecret,
  findMergeTarget,
  formatManifest,
  loadSealingKey,
  mergeInto,
  parseScope,
  parseSecretManifests,
  sealValue,
  SealingError,
  type SealingKey,
  type SealingScope,
  type SecretInput,
} from "../../lib/sealing";

import { CliError, UsageError, type Command } from "../command";

const usage = `
Usage: sealdeck seal --cert FILE|URL [options] < secret.yaml > sealed-secret.yaml
       sealdeck seal --cert FILE|URL --raw --namespace NS --name NAME [--from-file F] [--scope S]
       sealdeck seal --cert FILE|URL --merge-into FILE < secret.yaml

Seals a Kubernetes Secret (YAML or JSON, one or more documents, on stdin) into SealedSecrets that the
sealed-secrets controller can unseal. Flags follow kubeseal's.

Options:
  --cert FILE|URL         the controller's public certificate (kubeseal --fetch-cert), a file or http(s) URL
  -o, --format yaml|json  output format (default json, as kubeseal)
  --scope SCOPE           strict, namespace-wide or cluster-wide
                          (default: from the Secret's annotations, else strict)
  --allow-empty-data      seal a Secret that has no data
  -n, --namespace NS      namespace for a Secret that has none; must match one that has
  --raw                   seal one value and print the bare base64 (like kubeseal --raw)
  --name NAME             with --raw: the Secret's name (not needed for cluster-wide)
  --from-file [KEY=]FILE  with --raw: read the value from FILE instead of stdin
  --merge-into FILE       add or replace the Secret's keys in the SealedSecret of FILE, in place
  --allow-expired-cert    seal with a certificate outside its validity period
`;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"; see \`sealdeck seal --help\``);
  if (!values.cert)
    throw new UsageError("--cert FILE|URL is required (fetch it with `kubeseal --fetch-cert`)");
  const format = values.format ?? "json";
  if (format !== "json" && format !== "yaml")
    throw new UsageError(`--format must be yaml or json, not "${format}"`);
  const scope = values.scope === undefined ? undefined : parseScope(values.scope);
  if (values.raw && values["merge-into"]) throw new UsageError("--raw and --merge-into cannot be combined");
  if (!values.raw && (values.name !== undefined || values["from-file"] !== undefined)) {
    throw new UsageError("--name and --from-file are only used with --raw");
  }

  const key = await loadSealingKey(await readCertificate(values.cert), {
    allowExpired: values["allow-expired-cert"],
  });

  if (values.raw) {
    const sealed = await sealRaw(key, {
      scope: scope ?? "strict",
      namespace: values.namespace,
      name: values.name,
      fromFile: values["from-file"],
    });
    process.stdout.write(sealed); // no newline, like kubeseal --raw, so it can be pasted as is
    return 0;
  }

  const secrets = parseSecretManifests(await readStdin());
  if (secrets.length === 0) throw new SealingError("manifest-invalid", "No Secret found on stdin.");
  const options = { allowEmptyData: values["allow-empty-data"] };

  const mergeFile = values["merge-into"];
  if (mergeFile) {
    if (secrets.length !== 1) throw new UsageError("--merge-into takes exactly one Secret on stdin");
    await mergeIntoFile(mergeFile, applyNamespace(secrets[0]!, values.namespace), key, scope, options);
    return 0;
  }

  // Everything is sealed before anything is written, so a failure leaves stdout empty.
  const sealed = [];
  for (const secret of secrets) {
    sealed.push(
      await buildSealedSecret(applyNamespace(secret, values.namespace), key, { ...options, scope }),
    );
  }
  process.stdout.write(formatManifest(sealed, format));
  return 0;
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        cert: { type: "string" },
        format: { type: "string", short: "o" },
        scope: { type: "string" },
        "allow-empty-data": { type: "boolean" },
        namespace: { type: "string", short: "n" },
        raw: { type: "boolean" },
        name: { type: "string" },
        "from-file": { type: "string" },
        "merge-into": { type: "string" },
        "allow-expired-cert": { type: "boolean" },
      },
    });
  } catch (error) {
    // Unknown flags and missing flag values are usage mistakes: exit 2, as for any other.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function readCertificate(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok)
      throw new CliError(`cannot fetch the certificate from ${source}: HTTP ${response.status}`);
    return response.text();
  }
  try {
    return await readFile(source, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read the certificate ${source}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("expected a Secret manifest on stdin");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Like kubeseal with `-n`: fill a missing namespace, refuse a different one. */
function applyNamespace(secret: SecretInput, namespace: string | undefined): SecretInput {
  if (!namespace) return secret;
  if (secret.namespace && secret.namespace !== namespace) {
    throw new UsageError(
      `namespace mismatch: the Secret is in "${secret.namespace}" but --namespace is "${namespace}"`,
    );
  }
  return { ...secret, namespace };
}

async function sealRaw(
  key: SealingKey,
  options: { scope: SealingScope; namespace?: string; name?: string; fromFile?: string },
): Promise<string> {
  const { scope, namespace = "", name = "" } = options;
  if (scope !== "cluster-wide" && !namespace)
    throw new UsageError("--raw needs --namespace unless --scope cluster-wide");
  if (scope === "strict" && !name) throw new UsageError("--raw needs --name in the strict scope");
  const value =
    options.fromFile === undefined ? await readStdinBytes() : await readValueFile(options.fromFile);
  return sealValue(key.publicKey, value, { scope, namespace, name });
}

async function readStdinBytes(): Promise<Uint8Array> {
  if (process.stdin.isTTY) throw new UsageError("expected the value on stdin (or use --from-file)");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** kubectl's `--from-file=[key=]path` syntax; the key is irrelevant to a raw value, as in kubeseal. */
async function readValueFile(spec: string): Promise<Uint8Array> {
  for (const path of [spec, spec.slice(spec.indexOf("=") + 1)]) {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !spec.includes("=")) {
        throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      }
    }
  }
  throw new CliError(`cannot read ${spec}: ENOENT`);
}

async function mergeIntoFile(
  file: string,
  secret: SecretInput,
  key: SealingKey,
  scope: SealingScope | undefined,
  options: { allowEmptyData?: boolean },
): Promise<void> {
  let original: string;
  try {
    original = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const target = findMergeTarget(original, { name: secret.name, namespace: secret.namespace });
  // The values must be sealed for the existing object's scope; an explicit different one is a mistake.
  if (scope !== undefined && scope !== target.scope) {
    throw new SealingError(
      "merge-mismatch",
      `${file} holds a ${target.scope} SealedSecret but --scope is ${scope}; refusing to merge.`,
    );
  }
  if (secret.type && secret.type !== target.type) {
    throw new SealingError(
      "merge-mismatch",
      `${file} holds a ${target.type} Secret but the input is ${secret.type}; refusing to merge.`,
    );
  }
  const sealed = await buildSealedSecret(
    { ...secret, namespace: secret.namespace || target.namespace || undefined },
    key,
    {
      ...options,
      scope: target.scope,
    },
  );
  await writeFileAtomically(file, mergeInto(original, sealed));
}

/** Write beside the file, flush, then rename over it: readers see the old or the new file, never half. */
async function writeFileAtomically(path: string, text: string): Promise<void> {
  // Through a symlink, replace the file it points to rather than the link itself.
  const file = await realpath(path);
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const { mode } = await stat(file);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    await chmod(temporary, mode & 0o7777);
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

const command: Command = {
  summary: "Seal a Secret into a SealedSecret (kubeseal-compatible)",
  usage,
  run,
};

export default command;
