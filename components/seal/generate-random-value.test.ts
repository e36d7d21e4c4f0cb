import { describe, expect, it } from "vitest";
import { alphabets, entropyBits, generateRandomValue } from "./generate-random-value";

describe("generateRandomValue", () => {
  it("returns the requested length from the chosen alphabet only", () => {
    for (const name of Object.keys(alphabets) as (keyof typeof alphabets)[]) {
      const value = generateRandomValue(200, name);
      expect(value).toHaveLength(200);
      expect([...value].every((c) => alphabets[name].characters.includes(c))).toBe(true);
    }
  });

  it("redraws bytes past the last full multiple of the alphabet, so no character is favoured", () => {
    // Digits: 256 % 10 = 6, so bytes 250..255 must be skipped rather than folded onto 0..5.
    const bytes = [255, 250, 3, 251, 7, 9, 0, 1, 2, 4, 5, 6];
    let call = 0;
    const random = (buffer: Uint8Array) => {
      buffer.fill(8);
      buffer.set(bytes.slice(0, buffer.length));
      call++;
      return buffer;
    };
    expect(generateRandomValue(8, "digits", random)).toBe("37901245");
    expect(call).toBe(1);
  });

  it("refuses lengths outside 8–4096", () => {
    expect(() => generateRandomValue(4, "hex")).toThrow(RangeError);
    expect(() => generateRandomValue(5000, "hex")).toThrow(RangeError);
  });

  it("differs between calls", () => {
    expect(generateRandomValue(32, "letters-digits")).not.toBe(generateRandomValue(32, "letters-digits"));
  });

  it("reports entropy in whole bits", () => {
    expect(entropyBits(32, "hex")).toBe(128);
  });
});
