import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { postgresDataDir, startEmbeddedPostgres } from "./embedded-postgres";

// Issue #16 item 14: as root in a checkout under a private folder (/root, mode 0700), the embedded
// Postgres (run as the postgres user) must still start, its files kept where that user can reach them
// and private to it.

const root = mkdtempSync(join(tmpdir(), "sealdeck-pgdir-"));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const me = { uid: userInfo().uid, gid: userInfo().gid };

describe("postgresDataDir", () => {
  it("keeps the data directory asked for when not root, or when the postgres user can reach it", () => {
    expect(postgresDataDir("/root/x/.data/postgres", undefined, root)).toBe("/root/x/.data/postgres");
    expect(postgresDataDir("/srv/x/.data/postgres", me, root, () => true)).toBe("/srv/x/.data/postgres");
  });

  it("moves the files to a private folder of the postgres user, the same one on every start", () => {
    const state = join(root, "state");
    mkdirSync(state);
    const enter = (dir: string) => dir !== "/root";
    const first = postgresDataDir("/root/checkout/.data/postgres", me, state, enter);
    expect(first.startsWith(`${state}/sealdeck-postgres-`)).toBe(true);
    expect(first.endsWith("/data")).toBe(true);
    const home = join(first, "..");
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(home).uid).toBe(me.uid);
    expect(postgresDataDir("/root/checkout/.data/postgres", me, state, enter)).toBe(first);
    // Another checkout gets another folder.
    expect(postgresDataDir("/root/other/.data/postgres", me, state, enter)).not.toBe(first);
  });

  it("refuses a link planted where its folder would be", () => {
    const state = join(root, "planted");
    mkdirSync(state);
    mkdirSync(join(root, "probe"));
    const enter = (dir: string) => dir !== "/root";
    const target = postgresDataDir("/root/a/.data/postgres", me, join(root, "probe"), enter);
    const name = join(target, "..").split("/").pop()!;
    symlinkSync(root, join(state, name));
    expect(() => postgresDataDir("/root/a/.data/postgres", me, state, enter)).toThrow(/not a folder/);
    expect(lstatSync(join(state, name)).isSymbolicLink()).toBe(true);
  });
});

describe("the embedded Postgres in a private folder", () => {
  it("starts twice with its data kept, reachable by the user Postgres runs as and private to it", async () => {
    const home = join(root, "home");
    mkdirSync(home, { mode: 0o700 });
    chmodSync(home, 0o700);
    const dataDir = join(home, "checkout", ".data", "postgres");
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query("CREATE TABLE kept (id int)");
      await client.end();
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      const { rows } = await client.query<{ found: boolean }>(
        "SELECT to_regclass('kept') IS NOT NULL AS found",
      );
      await client.end();
      expect(rows[0]?.found).toBe(true);
    } finally {
      await second.stop();
    }
    if (me.uid === 0) {
      // Root: the postgres user cannot enter the 0700 folder, so the files live elsewhere, private to it.
      expect(second.dataDir.startsWith(home)).toBe(false);
      const folder = statSync(join(second.dataDir, ".."));
      expect(folder.mode & 0o777).toBe(0o700);
      expect(folder.uid).not.toBe(0);
      rmSync(join(second.dataDir, ".."), { recursive: true, force: true });
    } else {
      expect(second.dataDir).toBe(dataDir);
    }
  }, 120_000);
});
