import { describe, expect, it } from "vitest";

import { SealingError } from "./errors";
import type { SecretInput } from "./secret-input";
import {
  namespaceSchema,
  secretIssues,
  secretKeySchema,
  secretNameSchema,
  validateSecret,
} from "./validate-secret";

const base: SecretInput = {
  name: "api-keys",
  namespace: "payments",
  entries: [{ key: "token", value: "x" }],
};
const messages = (secret: SecretInput, options = {}) => secretIssues(secret, options).map((i) => i.message);

describe("schemas", () => {
  it("accept DNS-1123 subdomain names and label namespaces", () => {
    for (const ok of ["a", "api-keys", "tls.example.com", "0abc", "a".repeat(253)])
      expect(secretNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", "API", "-a", "a-", "a_b", "a..b", "a".repeat(254)])
      expect(secretNameSchema.safeParse(bad).success, bad).toBe(false);
    for (const ok of ["default", "kube-system", "a".repeat(63)])
      expect(namespaceSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", "a.b", "Prod", "a".repeat(64)])
      expect(namespaceSchema.safeParse(bad).success, bad).toBe(false);
  });

  it("accept ConfigMap-style keys only", () => {
    for (const ok of ["token", ".dockerconfigjson", "tls.crt", "A_B-c.d", ".a"])
      expect(secretKeySchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", ".", "..", "..a", "a b", "a/b", "ключ", "a".repeat(254)])
      expect(secretKeySchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe("secretIssues", () => {
  it("accepts a valid Secret", () => {
    expect(secretIssues(base)).toEqual([]);
  });

  it("names the field in each message", () => {
    expect(messages({ ...base, name: "Bad_Name" })).toEqual([
      expect.stringMatching(/^metadata\.name must be lowercase letters/),
    ]);
    expect(messages({ ...base, namespace: undefined })).toEqual(["metadata.namespace must not be empty"]);
    expect(messages({ ...base, namespace: undefined }, { namespaceOptional: true })).toEqual([]);
    expect(messages({ ...base, entries: [{ key: "bad key", value: "v" }] })).toEqual([
      `data["bad key"] must consist of letters, digits, '-', '_' or '.'`,
    ]);
  });

  it("reports duplicate keys and a total over 1 MiB", () => {
    expect(
      messages({
        ...base,
        entries: [
          { key: "a", value: "1" },
          { key: "a", value: "2" },
        ],
      }),
    ).toEqual(['data["a"] appears more than once']);
    const half = new Uint8Array(512 * 1024);
    expect(
      messages({
        ...base,
        entries: [
          { key: "a", value: half },
          { key: "b", value: half },
        ],
      }),
    ).toEqual([]);
    expect(
      messages({
        ...base,
        entries: [
          { key: "a", value: half },
          { key: "b", value: half },
          { key: "c", value: "é" },
        ],
      }),
    ).toEqual(["data totals 1048578 bytes; a Secret may hold at most 1048576 bytes (1 MiB)"]);
  });

  it("checks the keys each Secret type requires", () => {
    const typed = (type: string, entries: SecretInput["entries"]) => messages({ ...base, type, entries });
    expect(typed("kubernetes.io/tls", [{ key: "tls.crt", value: "c" }])).toEqual([
      'a kubernetes.io/tls Secret needs the key "tls.key"',
    ]);
    expect(
      typed("kubernetes.io/tls", [
        { key: "tls.crt", value: "c" },
        { key: "tls.key", value: "k" },
      ]),
    ).toEqual([]);
    expect(
      typed("kubernetes.io/dockerconfigjson", [{ key: ".dockerconfigjson", value: '{"auths":{}}' }]),
    ).toEqual([]);
    expect(
      typed("kubernetes.io/dockerconfigjson", [{ key: ".dockerconfigjson", value: "{hunter2" }]),
    ).toEqual(['data[".dockerconfigjson"] is not valid JSON']);
    expect(typed("kubernetes.io/dockerconfigjson", [{ key: "config", value: "{}" }])).toEqual([
      'a kubernetes.io/dockerconfigjson Secret needs the key ".dockerconfigjson"',
    ]);
    expect(typed("kubernetes.io/basic-auth", [{ key: "password", value: "p" }])).toEqual([]);
    expect(typed("kubernetes.io/basic-auth", [{ key: "user", value: "u" }])).toEqual([
      'a kubernetes.io/basic-auth Secret needs the key "username" or "password"',
    ]);
  });

  it("never echoes a value", () => {
    const secretValue = "{hunter2-super-secret";
    const all = messages({
      ...base,
      type: "kubernetes.io/dockerconfigjson",
      entries: [{ key: ".dockerconfigjson", value: secretValue }],
    }).join(" ");
    expect(all).not.toContain("hunter2");
  });
});

describe("validateSecret", () => {
  it("refuses an empty Secret unless allowed, like kubeseal", () => {
    expect(() => validateSecret({ ...base, entries: [] })).toThrow(
      expect.objectContaining({ code: "secret-empty" }),
    );
    expect(() => validateSecret({ ...base, entries: [] }, { allowEmptyData: true })).not.toThrow();
  });

  it("throws every issue at once", () => {
    try {
      validateSecret({ name: "X", namespace: "y_z", entries: [{ key: "a b", value: "" }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SealingError);
      const e = error as SealingError;
      expect(e.code).toBe("secret-invalid");
      expect(e.issues.map((i) => i.path)).toEqual(["metadata.name", "metadata.namespace", 'data["a b"]']);
      expect(e.message).toMatch(
        /^Invalid Secret: metadata\.name .*; metadata\.namespace .*; data\["a b"\] .*\.$/,
      );
    }
  });
});
