import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";

// /api/readyz follows the database: 200 when reachable and migrated, 503 with the reason while it is
// down, and 200 again once it is back, without restarting the app.
describe("GET /api/readyz", () => {
  const dir = mkdtempSync(join(tmpdir(), "sealdeck-readyz-"));
  let db: EmbeddedPostgres;
  let port: number;

  const start = () => startEmbeddedPostgres({ dataDir: join(dir, "postgres"), port });
  const readyz = async () => {
    const { GET } = await import("./route");
    const response = await GET();
    return { status: response.status, body: (await response.json()) as { status: string; checks: { ok: boolean; reason?: string }[] } };
  };

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    port = await freePort();
    db = await start();
    vi.stubEnv("DATABASE_URL", db.url);
  });
  afterAll(async () => {
    await db.stop();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is 503 while migrations are pending", async () => {
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.checks[0]?.reason).toMatch(/^migrations pending: \d{14}_init/);
  });

  it("is 200 once migrated", async () => {
    await migrate(db.url);
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ready", checks: [{ name: "database", ok: true }] });
  });

  it("turns 503 with the reason when the database stops, and 200 when it returns", async () => {
    await db.stop();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("not ready");
    expect(down.body.checks[0]?.reason).toMatch(/^database unreachable/);
    expect(JSON.stringify(down.body)).not.toContain(new URL(db.url).password);

    db = await start();
    const up = await readyz();
    expect(up.status).toBe(200);
  });
});
