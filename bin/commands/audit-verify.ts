import { createPublicKey } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { parseEnv, type Env } from "@/lib/config/env";
import {
  BUNDLE_PUBLIC_KEY_NAME,
  BUNDLE_README_NAME,
  formatKeyFingerprint,
  MANIFEST_SUFFIX,
} from "@/lib/audit/bundle/audit-bundle-layout";
import {
  readZipDirectory,
  readZipEntry,
  readZipEntryText,
  ZipReadError,
  type ZipDirectoryEntry,
} from "@/lib/audit/bundle/read-zip-entries";
import { SIGNING_KEY_FILE } from "@/lib/audit/load-audit-signing-key";
import { EXPORT_FORMATS, type ExportFormat } from "@/lib/audit/export-formats";
import { exportManifestSchema, type ExportManifest } from "@/lib/audit/export-manifest";
import type { ChainVerification } from "@/lib/audit/verify-chain";
import type { CheckpointSignatureCheck } from "@/lib/audit/verify-checkpoint";
import { verifyDatabaseChain } from "@/lib/audit/verify-database-chain";
import { verifyExport } from "@/lib/audit/verify-export";
import { CliError, UsageError, type Command } from "../command";
import { openDatabase } from "../launcher/open-database";

const usage = `
Usage: sealdeck audit verify BUNDLE.zip [--public-key K]
       sealdeck audit verify FILE [--manifest M] [--public-key K] [--format csv|ndjson|json]
       sealdeck audit verify --database [--public-key K]

Checks an audit export offline: every event's hash (SHA-256 over the previous hash and the event's
canonical encoding, see lib/audit/README.md), the links between consecutive events, and the signed
manifest (event count, first and last hashes, the file's SHA-256, the signed checkpoint). Names the
first broken event and whether it was changed, deleted, inserted or reordered; exits 1 if anything fails.

  BUNDLE.zip         an evidence bundle as the Audit page downloads it: the export, its manifest and
                     the public key in one file; prints the key's fingerprint to compare with the one
                     Settings and the Audit page show
  FILE               an export (.csv, .ndjson or .json)
  --manifest M       its manifest (default: FILE.manifest.json when present; without one, only the
                     events' own hashes and links are checked, and missing event numbers, which a
                     filtered export has too, fail as "no manifest" rather than as a deletion)
  --public-key K     PEM file of the audit signing key (public or private); without it a signature
                     only proves integrity, not that Sealdeck made it
  --format F         the file's format when neither the manifest nor the extension says
  --database         check the live audit_events table instead (DATABASE_URL, else the embedded
                     Postgres under SEALDECK_DATA_DIR), up to its latest checkpoint signed by the
                     --public-key, else by the configured signing key (SEALDECK_AUDIT_SIGNING_KEY or
                     SEALDECK_DATA_DIR/audit-signing-key.pem, and SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS);
                     other checkpoint rows are ignored
`;

/** The configured audit signing key's public half, if one is configured (never generates one). */
async function configuredPublicKey(env: Env): Promise<string | undefined> {
  const file = resolve(join(env.SEALDECK_DATA_DIR, SIGNING_KEY_FILE));
  const pem =
    env.SEALDECK_AUDIT_SIGNING_KEY ?? (existsSync(file) ? await readText(file, "signing key") : undefined);
  if (!pem) return undefined;
  try {
    return createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw new CliError("the configured audit signing key cannot be read as a PEM key");
  }
}

function formatOf(
  file: string,
  manifest: ExportManifest | undefined,
  flag: string | undefined,
): ExportFormat {
  const candidate =
    flag ??
    manifest?.format ??
    { ".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json" }[extname(file).toLowerCase()];
  const format = EXPORT_FORMATS.find((f) => f === candidate);
  if (!format) throw new UsageError(`cannot tell the format of ${file}; pass --format csv|ndjson|json`);
  return format;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new CliError(`cannot read the ${what} ${file}`);
  }
}

async function readManifest(file: string): Promise<ExportManifest> {
  return parseManifest(await readText(file, "manifest"), file);
}

function parseManifest(text: string, file: string): ExportManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`the manifest ${file} is not JSON`);
  }
  const parsed = exportManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new CliError(
      `the manifest ${file} is not an audit export manifest (${parsed.error.issues[0]?.path.join(".") ?? "?"})`,
    );
  return parsed.data;
}

function describeBreak(chain: ChainVerification): string | undefined {
  const broken = chain.broken;
  if (!broken) return undefined;
  return `${broken.seq === null ? "an event" : `event #${broken.seq}`} ${broken.kind}: ${broken.message}`;
}

function describeKey(check: CheckpointSignatureCheck): string {
  return `key ${check.keyId.slice(0, 16)}…${check.pinned ? " (pinned)" : " (not pinned: pass --public-key to check who signed)"}`;
}

/** True when the file starts like a ZIP archive ("PK", 3, 4). */
async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

type Bundle = { exportEntry: ZipDirectoryEntry; manifest?: ExportManifest; publicKeyPem?: string };

async function openBundle(file: string): Promise<Bundle> {
  let entries: ZipDirectoryEntry[];
  try {
    entries = await readZipDirectory(file);
  } catch (error) {
    if (error instanceof ZipReadError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const exports = entries.filter(
    (e) =>
      !e.name.endsWith(MANIFEST_SUFFIX) && e.name !== BUNDLE_PUBLIC_KEY_NAME && e.name !== BUNDLE_README_NAME,
  );
  const exportEntry = exports[0];
  if (!exportEntry || exports.length > 1)
    throw new CliError(`${file}: a bundle holds exactly one export file; found ${exports.length}`);
  const manifestEntry = entries.find((e) => e.name === `${exportEntry.name}${MANIFEST_SUFFIX}`);
  const keyEntry = entries.find((e) => e.name === BUNDLE_PUBLIC_KEY_NAME);
  return {
    exportEntry,
    ...(manifestEntry
      ? {
          manifest: parseManifest(
            await readZipEntryText(file, manifestEntry),
            `${file}:${manifestEntry.name}`,
          ),
        }
      : {}),
    ...(keyEntry ? { publicKeyPem: await readZipEntryText(file, keyEntry) } : {}),
  };
}

async function verifyBundle(file: string, options: { publicKey?: string; format?: string }): Promise<number> {
  const bundle = await openBundle(file);
  const name = `${file}:${bundle.exportEntry.name}`;
  if (!bundle.manifest)
    throw new CliError(
      `${file}: verification FAILED: the bundle has no manifest for ${bundle.exportEntry.name}, so its count, gaps and signatures cannot be checked`,
    );
  const pinned = options.publicKey ? await readText(options.publicKey, "public key") : undefined;
  // The bundle's own key must be the one that signed, but only a key from elsewhere says who that is.
  const publicKeyPem = pinned ?? bundle.publicKeyPem;
  const format = formatOf(bundle.exportEntry.name, bundle.manifest, options.format);
  const result = await verifyExport({
    chunks: readZipEntry(file, bundle.exportEntry),
    format,
    manifest: bundle.manifest,
    ...(publicKeyPem ? { publicKeyPem } : {}),
  });
  return report(name, bundle.manifest, { ...result, pinned: pinned !== undefined }, true);
}

function report(
  file: string,
  manifest: ExportManifest | undefined,
  result: Awaited<ReturnType<typeof verifyExport>>,
  bundled = false,
): number {
  const failure = describeBreak(result.chain);
  if (failure || result.problems.length > 0) {
    for (const problem of result.problems) console.log(`  ✗ ${problem}`);
    throw new CliError(
      `${file}: verification FAILED${failure ? `: ${failure}` : result.gaps ? ": no manifest" : ""}`,
    );
  }
  const range =
    result.chain.count === 0
      ? "no events"
      : `${result.chain.count} events, #${result.chain.firstSeq} to #${result.chain.lastSeq}`;
  if (!manifest) {
    console.log(
      `${file}: ${range}; every hash and link checks out. No manifest: count, file hash and signatures were not checked.`,
    );
    return 0;
  }
  const signer = describeKey({ ok: true, pinned: result.pinned, keyId: manifest.checkpoint.keyId });
  console.log(
    `${file}: verified ${range}${manifest.contiguous ? "" : " (filtered export)"}; manifest and checkpoint #${manifest.checkpoint.seq} signed by ${signer}`,
  );
  if (bundled && !result.pinned)
    console.log(
      `  key fingerprint (SHA-256): ${formatKeyFingerprint(manifest.checkpoint.keyId)}\n  compare it with Settings → Audit or the Audit page, or pin a trusted copy with --public-key`,
    );
  return 0;
}

async function verifyFile(
  file: string,
  options: { manifest?: string; publicKey?: string; format?: string },
): Promise<number> {
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
  if (await isZip(file)) {
    if (options.manifest) throw new UsageError("a bundle carries its own manifest; drop --manifest");
    return verifyBundle(file, options);
  }
  const manifestFile =
    options.manifest ?? (existsSync(`${file}.manifest.json`) ? `${file}.manifest.json` : undefined);
  const manifest = manifestFile ? await readManifest(manifestFile) : undefined;
  const publicKeyPem = options.publicKey ? await readText(options.publicKey, "public key") : undefined;
  const format = formatOf(file, manifest, options.format);
  const result = await verifyExport({
    chunks: createReadStream(file),
    format,
    manifest,
    ...(publicKeyPem ? { publicKeyPem } : {}),
  });
  return report(file, manifest, result);
}

async function verifyLive(options: { publicKey?: string }): Promise<number> {
  const env = parseEnv();
  const pinned = options.publicKey ? await readText(options.publicKey, "public key") : undefined;
  const publicKeyPem = pinned ?? (await configuredPublicKey(env));
  if (!publicKeyPem && !env.SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS)
    console.log(
      "  ! no trusted key (--public-key, or a configured signing key): checkpoints are not checked",
    );
  const db = await openDatabase(env, (line) => console.error(line));
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // A pinned key alone; else the configured key and the earlier ones the server also trusts.
      const trustedPublicKeys = pinned
        ? [pinned]
        : [...(publicKeyPem ? [publicKeyPem] : []), ...(env.SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS ?? [])];
      const result = await verifyDatabaseChain(client, { trustedPublicKeys });
      const failure = describeBreak(result);
      // Rows nobody trusted signed prove nothing either way; they are reported, not believed.
      if (result.untrustedCheckpoints > 0)
        console.log(
          `  ! ignored ${result.untrustedCheckpoints} newer checkpoint row(s) not signed by the trusted key`,
        );
      if (failure) throw new CliError(`audit_events: verification FAILED: ${failure}`);
      const signer = result.checkpointSignature
        ? pinned
          ? describeKey(result.checkpointSignature)
          : `the configured signing key ${result.checkpointSignature.keyId.slice(0, 16)}…`
        : "";
      const checkpoint = result.checkpoint
        ? `; latest checkpoint #${result.checkpoint.seq} (${result.checkpoint.createdAt}) signed by ${signer}`
        : "; no trusted signed checkpoint";
      console.log(
        `audit_events: verified ${result.count} events${result.count ? ` up to #${result.lastSeq}` : ""}${checkpoint}`,
      );
      return 0;
    } finally {
      await client.end();
    }
  } finally {
    await db.stop();
  }
}

const command: Command = {
  summary: "verify an audit export offline, or the live audit log",
  usage,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          manifest: { type: "string" },
          "public-key": { type: "string" },
          format: { type: "string" },
          database: { type: "boolean", default: false },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const publicKey = values["public-key"];
    if (values.database) {
      if (positionals.length > 0 || values.manifest || values.format)
        throw new UsageError("--database takes no FILE, --manifest or --format");
      return verifyLive({ ...(publicKey ? { publicKey } : {}) });
    }
    if (positionals.length !== 1) throw new UsageError("give one export FILE, or --database; see --help");
    return verifyFile(positionals[0]!, {
      ...(values.manifest ? { manifest: values.manifest } : {}),
      ...(publicKey ? { publicKey } : {}),
      ...(values.format ? { format: values.format } : {}),
    });
  },
};

export default command;
