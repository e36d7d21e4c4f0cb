import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

// README promises Node 20.19+. Every package the lock installs, development tools included, must
// agree, so `npm install` on the oldest Node we support prints no engine warning. This is why Prisma
// is held at 7.5: from 7.6 on, the Prisma CLI depends on `@prisma/streams-local`, which wants Node 22.

type LockPackage = {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
  devOptional?: boolean;
};

const root = join(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockPackage>;
};
const oldestNode = semver.minVersion(manifest.engines.node);

/** The Node range a lock entry declares, or null when it declares none. */
const nodeRange = (entry: LockPackage) =>
  entry.engines && !Array.isArray(entry.engines) && entry.engines.node ? entry.engines.node : null;

describe("Node versions agree", () => {
  it("package.json names an oldest Node version", () => {
    expect(oldestNode?.version).toBe("20.19.0");
  });

  it("every installed package accepts the oldest Node version README promises", () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== "")
      .flatMap(([path, entry]) => {
        const range = nodeRange(entry);
        return range && !semver.satisfies(oldestNode!, range)
          ? [`${path}@${entry.version} wants ${range}`]
          : [];
      });
    expect(refusing).toEqual([]);
  });
});
