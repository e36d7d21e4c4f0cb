import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import { decodeBase64 } from "./decode-base64";
import { encodeBase64 } from "./encode-base64";

describe("encodeBase64 / decodeBase64", () => {
  it("match Node's standard base64 for every length up to 200 and for 1 MiB + 1", () => {
    for (const length of [...Array.from({ length: 201 }, (_, i) => i), 1024 * 1024 + 1]) {
      const bytes = randomBytes(length);
      const encoded = encodeBase64(bytes);
      expect(encoded).toBe(bytes.toString("base64"));
      expect(Buffer.from(decodeBase64(encoded)!).equals(bytes)).toBe(true);
    }
  });

  it("decode accepts wrapped lines, as Go does, and rejects malformed input", () => {
    expect(new TextDecoder().decode(decodeBase64("aGVs\nbG8=")!)).toBe("hello");
    for (const bad of ["aGVsbG8", "aGVs!G8=", "a===", "aGVsbG8=aGVs", "ü123"]) {
      expect(decodeBase64(bad), bad).toBeNull();
    }
    expect(decodeBase64("")).toEqual(new Uint8Array());
  });
});
