import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate, ValidationSeverity } from "dockerfile-utils";
import { describe, expect, it } from "vitest";

// The image cannot be built here (no Docker engine), so its recipe is checked as a linter would:
// dockerfile-utils' validator (the Docker language server's) with every rule an error, and the
// hadolint rules that matter for this image, written out (hadolint itself ships no npm or Debian build
// that runs offline). e2e/standalone-server.spec.ts runs what the image runs.

const root = process.cwd();
const dockerfile = readFileSync(join(root, "deploy/Dockerfile"), "utf8");
const everyRule = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

type Instruction = { keyword: string; args: string };

/** Instructions with continuation lines joined and comments dropped, split into build stages. */
function stages(text: string): Instruction[][] {
  const joined = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const result: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim() };
    if (instruction.keyword === "FROM") result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

function problems(text: string): string[] {
  const found = validate(text, everyRule).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const all = stages(text);
  const runtime = all.at(-1) ?? [];
  for (const { keyword, args } of all.flat()) {
    if (keyword === "FROM" && !/^\S+:[\w.-]+(@sha256:[0-9a-f]{64})?(\s|$)/.test(args))
      found.push(`FROM ${args}: pin a tag (DL3006)`);
    if (keyword === "FROM" && /:latest(\s|$)/.test(args)) found.push(`FROM ${args}: not latest (DL3007)`);
    if (keyword === "ADD") found.push(`ADD ${args}: use COPY (DL3020)`);
    if (keyword === "RUN" && /apt-get install/.test(args)) {
      if (!/--no-install-recommends/.test(args))
        found.push("apt-get install without --no-install-recommends (DL3015)");
      if (!/-y\b/.test(args)) found.push("apt-get install without -y (DL3014)");
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(args)) found.push("apt lists left in the layer (DL3009)");
    }
    if (keyword === "RUN" && /\bsudo\b/.test(args)) found.push("sudo in RUN (DL3004)");
    if ((keyword === "CMD" || keyword === "ENTRYPOINT") && !args.startsWith("["))
      found.push(`${keyword} in shell form: signals do not reach node (DL3025)`);
  }
  const user = runtime.filter((i) => i.keyword === "USER").at(-1)?.args;
  if (!user || !/^[1-9]\d*(:[1-9]\d*)?$/.test(user))
    found.push(
      `the image must end as a numeric non-root USER (runAsNonRoot can check it), not ${user ?? "root"} (DL3002)`,
    );
  if (!runtime.some((i) => i.keyword === "HEALTHCHECK")) found.push("no HEALTHCHECK");
  const labels = runtime
    .filter((i) => i.keyword === "LABEL")
    .map((i) => i.args)
    .join(" ");
  for (const label of ["title", "source", "version", "revision", "licenses"])
    if (!labels.includes(`org.opencontainers.image.${label}=`)) found.push(`no OCI label ${label}`);
  for (const { args } of runtime.filter((i) => i.keyword === "COPY"))
    if (/(^|\s)(\.\/)?(sandbox|e2e|bench)(\/|\s|$)/.test(args))
      found.push(`test or sandbox code copied: COPY ${args}`);
  return found;
}

describe("deploy/Dockerfile", () => {
  it("passes the validator with every rule an error, and the hadolint rules this image relies on", () => {
    expect(problems(dockerfile)).toEqual([]);
  });

  it("the checks catch what they are for (so a clean result means something)", () => {
    const bad = [
      "FROM node AS build",
      "workdir src",
      "ADD . .",
      "RUN apt-get update && apt-get install git",
      "FROM node:latest",
      "COPY sandbox ./sandbox",
      "USER root",
      "CMD node bin/sealdeck.js start",
      "CMD ['start']",
    ].join("\n");
    const found = problems(bad).join("\n");
    for (const rule of ["DL3006", "DL3007", "DL3020", "DL3015", "DL3014", "DL3009", "DL3002", "DL3025"])
      expect(found).toContain(rule);
    expect(found).toMatch(/WORKDIR paths should be absolute/);
    expect(found).toMatch(/only be one CMD/);
    expect(found).toContain("no HEALTHCHECK");
    expect(found).toContain("no OCI label source");
    expect(found).toContain("test or sandbox code copied");
  });

  it("keeps dependencies, data, tests, the sandbox and benches out of the build context", () => {
    const ignored = readFileSync(join(root, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of ["**/node_modules", ".git", ".data", "e2e", "sandbox", "bench", "**/*.test.ts"])
      expect(ignored).toContain(entry);
  });
});
