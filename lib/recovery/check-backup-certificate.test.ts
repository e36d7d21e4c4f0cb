import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { BackupCheckError, checkBackupCertificate } from "./check-backup-certificate";

// The restore check (issue #21 item 1): a backup's certificate, pasted as PEM or as the backup YAML,
// matched against the missing keys; a private key is refused before anything is read.
const interop = join(process.cwd(), "lib/sealing/testdata/interop");
const certPem = readFileSync(join(interop, "tls.crt"), "utf8");
const keyPem = readFileSync(join(interop, "tls.key"), "utf8");
const sha = createHash("sha256")
  .update(new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" }))
  .digest("hex");
const other = "0".repeat(64);

const backupYaml = stringify({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "sealed-secrets-keyabcde", namespace: "kube-system" },
      type: "kubernetes.io/tls",
      data: {
        "tls.crt": Buffer.from(certPem).toString("base64"),
        "tls.key": Buffer.from(keyPem).toString("base64"),
      },
    },
  ],
});

describe("checkBackupCertificate", () => {
  it("refuses input holding a PEM private key, whatever else it holds", async () => {
    await expect(
      checkBackupCertificate(`${certPem}\n${keyPem}`, { missing: [sha], previous: [], current: null }),
    ).rejects.toThrow(BackupCheckError);
    await expect(
      checkBackupCertificate(keyPem, { missing: [sha], previous: [], current: null }),
    ).rejects.toThrow(/PRIVATE KEY/);
  });

  it("says a certificate matches a missing key's fingerprint", async () => {
    const [result] = await checkBackupCertificate(certPem, {
      missing: [other, sha],
      previous: [],
      current: other,
    });
    expect(result).toMatchObject({ publicKeySha256: sha, match: "missing" });
  });

  it("says a certificate matches no missing key", async () => {
    const [result] = await checkBackupCertificate(certPem, { missing: [other], previous: [], current: null });
    expect(result?.match).toBe("none");
    const [current] = await checkBackupCertificate(certPem, { missing: [other], previous: [], current: sha });
    expect(current?.match).toBe("current");
  });

  it("reads only tls.crt from the backup YAML kubectl writes, and names a key served before", async () => {
    const results = await checkBackupCertificate(backupYaml, {
      missing: [],
      previous: [sha],
      current: other,
    });
    expect(results).toEqual([expect.objectContaining({ publicKeySha256: sha, match: "previous" })]);
  });

  it("explains input that is neither a certificate nor a backup", async () => {
    await expect(
      checkBackupCertificate("hello: world", { missing: [], previous: [], current: null }),
    ).rejects.toThrow(/No certificate found/);
  });
});
