import { describe, expect, it } from "vitest";
import {
  GIT_CREDENTIAL_ENV_PREFIX,
  gitConfigEnvNames,
  gitCredentialEnvProblem,
} from "@/lib/validations/gitops";
import { ConfigError, envSchema, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults to an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: "info", SEALDECK_DATA_DIR: ".data" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("reads SEALDECK_TRUSTED_PROXIES as a list of IPs and CIDRs, empty by default", () => {
    expect(parseEnv({}).SEALDECK_TRUSTED_PROXIES).toEqual([]);
    expect(
      parseEnv({ SEALDECK_TRUSTED_PROXIES: " 10.0.0.0/8, 192.168.1.7,,fd00::/8 ,::1" })
        .SEALDECK_TRUSTED_PROXIES,
    ).toEqual(["10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1"]);
    for (const bad of ["proxy.internal", "10.0.0.0/33", "10.0.0.1:80", "*"]) {
      expect(() => parseEnv({ SEALDECK_TRUSTED_PROXIES: bad }), bad).toThrow(
        /^invalid environment: SEALDECK_TRUSTED_PROXIES/,
      );
    }
  });

  it("accepts postgres URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/x" }).DATABASE_URL).toBe(
      "postgresql://u:p@db:5432/x",
    );
  });

  it.each([
    ["DATABASE_URL", "mysql://db/x"],
    ["DATABASE_URL", "not a url"],
    ["PORT", "70000"],
    ["PORT", "abc"],
    ["LOG_LEVEL", "loud"],
  ])("rejects a bad %s with one line naming it", (name, value) => {
    const run = () => parseEnv({ [name]: value });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(name);
      expect(message).not.toContain("\n");
    }
  });

  it("never echoes the value of a bad variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://user:hunter2@db/x" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  describe("SEALDECK_K8S_AUDIT_TOKENS", () => {
    const prod = "p".repeat(31) + "=";
    const staging = "s".repeat(40);

    it("reads cluster=token pairs and a JSON object alike", () => {
      const expected = { prod, "arn:aws:eks:eu-west-1:1:cluster/staging": staging };
      expect(
        parseEnv({
          SEALDECK_K8S_AUDIT_TOKENS: ` prod=${prod},\n arn:aws:eks:eu-west-1:1:cluster/staging=${staging} `,
        }).SEALDECK_K8S_AUDIT_TOKENS,
      ).toEqual(expected);
      expect(
        parseEnv({ SEALDECK_K8S_AUDIT_TOKENS: JSON.stringify(expected) }).SEALDECK_K8S_AUDIT_TOKENS,
      ).toEqual(expected);
      expect(parseEnv({}).SEALDECK_K8S_AUDIT_TOKENS).toBeUndefined();
    });

    it.each([
      ["a pair without a cluster", `=${prod}`, /cluster=token pairs/],
      ["a bare token", staging, /cluster=token pairs/],
      ["a bare token ending in =", prod, /entry 1: the token is shorter than 32/],
      ["a short token", "prod=tiny-token", /shorter than 32/],
      ["a cluster named twice", `prod=${prod},prod=${staging}`, /twice/],
      [
        "one token for two clusters",
        `prod=${prod},staging=${prod}`,
        /entry 2: the token is another cluster's/,
      ],
      ["a token in the cluster's place", JSON.stringify({ [`-${staging}`]: prod }), /cluster name/],
      ["broken JSON", `{"prod": "${prod}"`, /not valid JSON/],
      ["a JSON array", JSON.stringify([prod]), /not valid JSON|JSON object|cluster name/],
      ["a non-string token", JSON.stringify({ prod: 1 }), /shorter than 32/],
    ])("refuses %s, naming the variable and never a token", (_, value, message) => {
      let error: Error | undefined;
      try {
        parseEnv({ SEALDECK_K8S_AUDIT_TOKENS: value });
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).toMatch(/SEALDECK_K8S_AUDIT_TOKENS/);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(prod);
      expect(error?.message).not.toContain(staging);
      expect(error?.message).not.toContain("tiny-token");
      expect(error?.message).not.toContain("p".repeat(8));
    });
  });

  it("reads SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS as a list of PEM public keys", () => {
    const pem = (body: string) => `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`;
    const a = pem("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
    const b = pem("MCowBQYDK2VwAyEA2rA3sUeUeZ0o0xhbcqkEbWR6e7rRzUQmG9UHMGtnnQI=");
    expect(
      parseEnv({ SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS: `${a}\n${b}\n` }).SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS,
    ).toEqual([a, b]);
    expect(() => parseEnv({ SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS: `${a}\nnot a key` })).toThrow(
      /SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS/,
    );
    expect(() =>
      parseEnv({
        SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      }),
    ).toThrow(/PEM public key/);
  });

  it("never lets a repository name one of Sealdeck's own variables as a Git credential", () => {
    const names = Object.keys(envSchema.shape);
    for (const name of names) expect(gitCredentialEnvProblem(name)).not.toBeNull();
    expect(names.filter((name) => name.startsWith(GIT_CREDENTIAL_ENV_PREFIX)).sort()).toEqual(
      [...gitConfigEnvNames].sort(),
    );
  });

  it("reads how long a re-seal campaign's secret must stay gone to count as removed, five minutes by default", () => {
    expect(parseEnv({}).SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS).toBe(300);
    expect(
      parseEnv({ SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS: "0" }).SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS,
    ).toBe(0);
    expect(() => parseEnv({ SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS: "-1" })).toThrow(ConfigError);
  });

  it("reads the sealing-controller refresh interval in seconds, a minute by default", () => {
    expect(parseEnv({}).SEALDECK_CONTROLLER_REFRESH_SECONDS).toBe(60);
    expect(parseEnv({ SEALDECK_CONTROLLER_REFRESH_SECONDS: "2" }).SEALDECK_CONTROLLER_REFRESH_SECONDS).toBe(
      2,
    );
    expect(() => parseEnv({ SEALDECK_CONTROLLER_REFRESH_SECONDS: "0" })).toThrow(
      /SEALDECK_CONTROLLER_REFRESH_SECONDS/,
    );
    expect(() => parseEnv({ SEALDECK_CONTROLLER_REFRESH_SECONDS: "soon" })).toThrow(
      /SEALDECK_CONTROLLER_REFRESH_SECONDS/,
    );
  });

  it("reads the Git host allow-list and the git timeout", () => {
    const env = parseEnv({ SEALDECK_GIT_ALLOWED_HOSTS: "GHE.example.com, gitea.internal:3000" });
    expect(env.SEALDECK_GIT_ALLOWED_HOSTS).toEqual(["ghe.example.com", "gitea.internal:3000"]);
    expect(env.SEALDECK_GIT_TIMEOUT_SECONDS).toBe(120);
    expect(parseEnv({}).SEALDECK_GIT_ALLOWED_HOSTS).toBeUndefined();
    expect(parseEnv({ SEALDECK_GIT_TIMEOUT_SECONDS: "30" }).SEALDECK_GIT_TIMEOUT_SECONDS).toBe(30);
    expect(() => parseEnv({ SEALDECK_GIT_ALLOWED_HOSTS: "https://ghe.example.com/api/v3" })).toThrow(
      /SEALDECK_GIT_ALLOWED_HOSTS must be host\[:port\] entries/,
    );
    expect(() => parseEnv({ SEALDECK_GIT_TIMEOUT_SECONDS: "0" })).toThrow(/SEALDECK_GIT_TIMEOUT_SECONDS/);
  });
});
