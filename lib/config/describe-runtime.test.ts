import { describe, expect, it } from "vitest";
import { describeRuntime } from "./describe-runtime";
import { parseEnv } from "./env";

describe("describeRuntime", () => {
  it("shows where the database is without its credentials", () => {
    const facts = describeRuntime(parseEnv({ DATABASE_URL: "postgresql://admin:s3cr3t@db.internal:5433/sealdeck" }));
    const database = facts.find((fact) => fact.label === "Database")?.value;
    expect(database).toBe("external Postgres (db.internal:5433/sealdeck)");
    expect(JSON.stringify(facts)).not.toContain("s3cr3t");
    expect(JSON.stringify(facts)).not.toContain("admin");
  });

  it("labels the embedded database", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u:p@127.0.0.1:4000/sealdeck", SEALDECK_DATABASE_EMBEDDED: "1" });
    expect(describeRuntime(env)[0]?.value).toBe("embedded Postgres (127.0.0.1:4000/sealdeck)");
  });
});
