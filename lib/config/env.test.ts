import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults to an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: "info", SEALDECK_DATA_DIR: ".data" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
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
});
