import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { githubEndpoints, githubProvider } from "./github-provider";

const client = { SEALDECK_GITHUB_CLIENT_ID: "id", SEALDECK_GITHUB_CLIENT_SECRET: "secret" };

describe("githubEndpoints", () => {
  it("uses github.com and api.github.com by default", () => {
    expect(githubEndpoints(parseEnv({}))).toEqual({
      authorize: "https://github.com/login/oauth/authorize",
      token: "https://github.com/login/oauth/access_token",
      api: "https://api.github.com",
    });
  });

  it("derives a GitHub Enterprise Server's API from its URL, or takes the one given", () => {
    expect(githubEndpoints(parseEnv({ SEALDECK_GITHUB_URL: "https://ghe.example.com/" }))).toEqual({
      authorize: "https://ghe.example.com/login/oauth/authorize",
      token: "https://ghe.example.com/login/oauth/access_token",
      api: "https://ghe.example.com/api/v3",
    });
    const env = parseEnv({
      SEALDECK_GITHUB_URL: "https://ghe.example.com",
      SEALDECK_GITHUB_API_URL: "https://api.ghe.example.com/",
    });
    expect(githubEndpoints(env).api).toBe("https://api.ghe.example.com");
  });
});

describe("githubProvider", () => {
  it("is offered only with a client id and secret, and asks for read:org", () => {
    expect(githubProvider(parseEnv({}))).toBeNull();
    const provider = githubProvider(parseEnv(client));
    expect(provider?.authorization).toEqual({
      url: "https://github.com/login/oauth/authorize",
      params: { scope: "read:user user:email read:org" },
    });
    expect(provider?.token).toBe("https://github.com/login/oauth/access_token");
  });
});
