import { describe, expect, it } from "vitest";
import { openProviderToken, sealProviderToken } from "./provider-token-cipher";

const secret = "a-test-nextauth-secret-of-32-characters!";

describe("provider token cipher", () => {
  it("opens what it sealed, and the sealed text does not contain the token", () => {
    const sealed = sealProviderToken(secret, "session-1", "refresh-token-value");
    expect(sealed).not.toContain("refresh-token-value");
    expect(sealed).not.toContain(Buffer.from("refresh-token-value").toString("base64url"));
    expect(openProviderToken(secret, "session-1", sealed)).toBe("refresh-token-value");
  });

  it("does not open under another secret, for another session, or tampered", () => {
    const sealed = sealProviderToken(secret, "session-1", "refresh-token-value");
    expect(openProviderToken(`${secret}-rotated`, "session-1", sealed)).toBeNull();
    expect(openProviderToken(secret, "session-2", sealed)).toBeNull();
    const [version, iv, body] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(
      openProviderToken(secret, "session-1", `${version}.${iv}.${flipped.toString("base64url")}`),
    ).toBeNull();
    expect(openProviderToken(secret, "session-1", "garbage")).toBeNull();
  });
});
