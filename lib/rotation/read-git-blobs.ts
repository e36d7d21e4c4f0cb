import "server-only";

import { runGit } from "@/lib/gitops/run-git";

import { git } from "./read-git-commits";

/**
 * The contents of blobs, read with one `git cat-file --batch`. Blobs whose bytes are not valid UTF-8
 * (the batch output is decoded as text, so its byte counts no longer line up) are read one by one.
 */
export async function readGitBlobs(dir: string, blobs: readonly string[]): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  if (blobs.length === 0) return contents;
  const result = await runGit(["cat-file", "--batch"], { cwd: dir, input: `${blobs.join("\n")}\n` });
  const bytes = Buffer.from(result.stdout, "utf8");
  let at = 0;
  let aligned = result.code === 0;
  while (aligned && at < bytes.length) {
    const newline = bytes.indexOf(0x0a, at);
    if (newline < 0) break;
    const header = bytes.subarray(at, newline).toString("utf8").split(" ");
    const [sha = "", type = "", size = ""] = header;
    if (type === "missing" || header.length < 3) {
      at = newline + 1;
      continue;
    }
    const length = Number(size);
    const end = newline + 1 + length;
    if (!Number.isInteger(length) || end >= bytes.length || bytes[end] !== 0x0a) {
      aligned = false;
      break;
    }
    if (type === "blob") contents.set(sha, bytes.subarray(newline + 1, end).toString("utf8"));
    at = end + 1;
  }
  for (const blob of blobs) {
    if (contents.has(blob)) continue;
    contents.set(blob, await git(dir, "read a file", ["cat-file", "blob", blob]));
  }
  return contents;
}
