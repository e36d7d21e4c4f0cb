import { describe, expect, it } from "vitest";
import { classifySsoFailure } from "./classify-sso-failure";

// Messages as openid-client 5 (used by next-auth 4) raises them, wrapped by next-auth (message and code kept).
describe("classifySsoFailure", () => {
  it("names a refused client secret", () => {
    expect(classifySsoFailure(new Error("invalid_client (client authentication failed)"))).toBe(
      "client-rejected",
    );
  });
  it("names GitHub's refusal of the client credentials", () => {
    const error = new Error(
      "incorrect_client_credentials (The client_id and/or client_secret passed are incorrect.)",
    );
    expect(classifySsoFailure(error)).toBe("client-rejected");
  });
  it("names an ID token issued for another client", () => {
    expect(classifySsoFailure(new Error("aud mismatch, expected sealdeck, got: other-app"))).toBe(
      "wrong-audience",
    );
  });
  it("names an issuer that cannot be reached or answers 5xx", () => {
    expect(
      classifySsoFailure(
        Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      ),
    ).toBe("issuer-unreachable");
    expect(classifySsoFailure(new Error("expected 200 OK, got: 503 Service Unavailable"))).toBe(
      "issuer-unreachable",
    );
  });
  it("names a slow token endpoint", () => {
    expect(classifySsoFailure(new Error("outgoing request timed out after 3500ms"))).toBe("provider-timeout");
  });
  it("tells other OAuth errors from anything else", () => {
    expect(classifySsoFailure(new Error("invalid_grant (grant request is invalid)"))).toBe("provider-error");
    expect(classifySsoFailure(new Error("state mismatch, expected abc, got: def"))).toBe("invalid-response");
    expect(classifySsoFailure(undefined)).toBe("invalid-response");
  });
});
