import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";

import { runSealdeck } from "../testing/run-sealdeck";
import { unsealWithKeys } from "@/sandbox/sealed-secrets/hybrid-decrypt";
import type { SealedSecretManifest } from "@/lib/sealing";
import { interopPrivateKey } from "@/lib/sealing/testdata/interop";

const cert = fileURLToPath(new URL("../../lib/sealing/testdata/interop/tls.crt", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "sealdeck-seal-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the real CLI entry point, from another directory, as a user would. */
const seal = (args: string[], stdin = "") => runSealdeck(["seal", ...args], { cwd: work, stdin });

const secretYaml = `apiVersion: v1
kind: Secret
metadata:
  name: api-keys
  namespace: payments
type: Opaque
data:
  binary: AP8B
stringData:
  token: sk_live_123
`;

const unseal = (value: string, label: string) => unsealWithKeys([interopPrivateKey()], value, label);

describe("sealdeck seal", () => {
  it("seals a Secret from stdin into a SealedSecret the controller can unseal (JSON by default)", async () => {
    const { code, stdout, stderr } = await seal(["--cert", cert], secretYaml);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const sealed = JSON.parse(stdout) as SealedSecretManifest;
    expect(sealed).toMatchObject({
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: { name: "api-keys", namespace: "payments" },
    });
    expect(unseal(sealed.spec.encryptedData.token!, "payments/api-keys").toString()).toBe("sk_live_123");
    expect([...unseal(sealed.spec.encryptedData.binary!, "payments/api-keys")]).toEqual([0, 255, 1]);
    expect(stdout).not.toContain("sk_live_123");
  });

  it("writes YAML in the requested scope", async () => {
    const { code, stdout } = await seal(
      ["--cert", cert, "--format", "yaml", "--scope", "namespace-wide"],
      secretYaml,
    );
    expect(code).toBe(0);
    const sealed = parse(stdout) as SealedSecretManifest;
    expect(sealed.metadata.annotations).toMatchObject({ "sealedsecrets.bitnami.com/namespace-wide": "true" });
    expect(unseal(sealed.spec.encryptedData.token!, "payments").toString()).toBe("sk_live_123");
  });

  it("--raw seals one value from stdin or --from-file and prints bare base64", async () => {
    const raw = await seal(
      ["--cert", cert, "--raw", "--namespace", "payments", "--name", "api-keys"],
      "hunter2\n",
    );
    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(unseal(raw.stdout, "payments/api-keys").toString()).toBe("hunter2\n");

    writeFileSync(join(work, "value.bin"), Buffer.from([1, 2, 3]));
    const fromFile = await seal([
      "--cert",
      cert,
      "--raw",
      "--scope",
      "cluster-wide",
      "--from-file",
      "key=value.bin",
    ]);
    expect(fromFile.code).toBe(0);
    expect([...unseal(fromFile.stdout, "")]).toEqual([1, 2, 3]);
  });

  it("--merge-into updates the file in place, keeping its mode and leaving no temporary file", async () => {
    const file = join(work, "sealed.yaml");
    const original = `# keep me\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: api-keys\n  namespace: payments\nspec:\n  encryptedData:\n    old: AgBold # keep me too\n  template:\n    metadata: {name: api-keys, namespace: payments}\n`;
    writeFileSync(file, original);
    chmodSync(file, 0o640);
    const { code, stdout, stderr } = await seal(["--cert", cert, "--merge-into", file], secretYaml);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
    const merged = readFileSync(file, "utf8");
    expect(merged.startsWith("# keep me\n")).toBe(true);
    expect(merged).toContain("    old: AgBold # keep me too\n");
    const sealed = parse(merged) as SealedSecretManifest;
    expect(unseal(sealed.spec.encryptedData.token!, "payments/api-keys").toString()).toBe("sk_live_123");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(work).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // A refused merge leaves the file exactly as it was.
    const before = readFileSync(file);
    const refused = await seal(
      ["--cert", cert, "--merge-into", file],
      secretYaml.replace("name: api-keys", "name: other"),
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^sealdeck: .*refusing to merge across a different name\.\n$/);
    expect(readFileSync(file).equals(before)).toBe(true);
    const wrongScope = await seal(
      ["--cert", cert, "--merge-into", file, "--scope", "cluster-wide"],
      secretYaml,
    );
    expect(wrongScope.code).toBe(1);
    expect(wrongScope.stderr).toContain("holds a strict SealedSecret but --scope is cluster-wide");
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it.each([
    ["no --cert", [], secretYaml, 2, /--cert FILE\|URL is required/],
    ["an unknown flag", ["--cert", cert, "--frobnicate"], secretYaml, 2, /Unknown option '--frobnicate'/],
    ["a bad --format", ["--cert", cert, "-o", "toml"], secretYaml, 2, /--format must be yaml or json/],
    [
      "a missing certificate file",
      ["--cert", "nope.pem"],
      secretYaml,
      1,
      /cannot read the certificate nope\.pem: ENOENT/,
    ],
    [
      "a private key as certificate",
      ["--cert", cert.replace("tls.crt", "tls.key")],
      secretYaml,
      1,
      /private key, not a certificate/,
    ],
    [
      "an empty Secret",
      ["--cert", cert],
      "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\n",
      1,
      /--allow-empty-data|Allow empty data/,
    ],
    [
      "an invalid key",
      ["--cert", cert],
      "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\nstringData: {'a b': hunter2}\n",
      1,
      /data\["a b"\]/,
    ],
    ["--raw without a name", ["--cert", cert, "--raw", "-n", "x"], "v", 2, /--raw needs --name/],
    [
      "a second Secret that fails",
      ["--cert", cert],
      `${secretYaml}---\napiVersion: v1\nkind: Secret\nmetadata: {name: Bad}\nstringData: {k: v}\n`,
      1,
      /metadata\.name/,
    ],
  ])(
    "fails on %s with its exit code, a message on stderr and nothing on stdout",
    async (_, args, stdin, exit, message) => {
      const { code, stdout, stderr } = await seal(args as string[], stdin as string);
      expect(code).toBe(exit);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message as RegExp);
      expect(stderr).not.toContain("hunter2");
    },
  );

  it("--allow-empty-data seals a Secret without data", async () => {
    const { code, stdout } = await seal(
      ["--cert", cert, "--allow-empty-data", "-o", "yaml"],
      "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\n",
    );
    expect(code).toBe(0);
    expect((parse(stdout) as SealedSecretManifest).spec.encryptedData).toEqual({});
  });
});
