import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./safe-callback-url";

// What a browser does with a Location header: resolve it against the current page.
function browserTarget(location: string) {
  return new URL(location, "https://dash.example/sign-in").origin;
}

describe("safeCallbackUrl", () => {
  it.each([
    ["tab", "/\t/evil.example"],
    ["CR", "/\r/evil.example"],
    ["LF", "/\n/evil.example"],
    ["tab before a backslash", "/\t\\evil.example"],
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with a path", "//evil.example/secrets"],
    ["backslash", "/\\evil.example"],
    ["backslashes", "\\\\evil.example"],
    ["absolute https", "https://evil.example"],
    ["absolute http on this path", "http://evil.example/secrets"],
    ["javascript", "javascript:alert(1)"],
    ["scheme-relative with tab inside the scheme", "java\tscript:alert(1)"],
    ["NUL", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["empty", ""],
    ["relative without slash", "evil.example"],
  ])("refuses %s (%j)", (_, value) => {
    expect(safeCallbackUrl(value)).toBeUndefined();
  });

  it("refuses what a browser would resolve to another origin, for every control character", () => {
    for (let code = 0; code < 0x20; code += 1) {
      const value = `/${String.fromCharCode(code)}/evil.example`;
      // Browsers strip some of these and would leave `//evil.example`: never pass any of them on.
      expect(safeCallbackUrl(value), `char ${code}`).toBeUndefined();
    }
  });

  it("keeps encoded variants on this site: an encoded tab or slash stays a literal path segment", () => {
    for (const value of [
      "/%09/evil.example",
      "/%0d%0a/evil.example",
      "/%2F%2Fevil.example",
      "/%5Cevil.example",
    ]) {
      const result = safeCallbackUrl(value);
      expect(result, value).toBeDefined();
      expect(browserTarget(result!)).toBe("https://dash.example");
      expect(result!.startsWith("//")).toBe(false);
    }
  });

  it("refuses non-strings", () => {
    expect(safeCallbackUrl(undefined)).toBeUndefined();
    expect(safeCallbackUrl(["/secrets"])).toBeUndefined();
    expect(safeCallbackUrl(42)).toBeUndefined();
  });

  it("refuses the auth pages themselves, however they are spelled", () => {
    for (const value of [
      "/sign-in",
      "/sign-in?callbackUrl=/secrets",
      "/SIGN-IN",
      "/change-password",
      "/api/auth/signout",
      "/secrets/../sign-in",
      "/./api/auth/csrf",
    ]) {
      expect(safeCallbackUrl(value), value).toBeUndefined();
    }
  });

  it("keeps good paths with their query and fragment", () => {
    expect(safeCallbackUrl("/secrets")).toBe("/secrets");
    expect(safeCallbackUrl("/secrets?cluster=prod&namespace=payments")).toBe(
      "/secrets?cluster=prod&namespace=payments",
    );
    expect(safeCallbackUrl("/audit?from=2026-01-01#row-3")).toBe("/audit?from=2026-01-01#row-3");
    expect(safeCallbackUrl("/secrets/prod/payments/SealedSecret/db?tab=keys")).toBe(
      "/secrets/prod/payments/SealedSecret/db?tab=keys",
    );
    expect(safeCallbackUrl("/")).toBe("/");
    expect(safeCallbackUrl("/sign-in-help")).toBe("/sign-in-help");
  });
});
