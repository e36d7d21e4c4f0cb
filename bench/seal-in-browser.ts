// The browser half of the sealing benchmark: bench/seal-workload.ts and lib/sealing bundled as they are
// and run in a page in Chromium (served from 127.0.0.1, a secure context, as WebCrypto requires).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import { findBrowser } from "../e2e/find-browser";

const entry = `
import { loadSealingKey } from "${fileURLToPath(new URL("../lib/sealing/index.ts", import.meta.url))}";
import { makeSealWorkload, timeLibSealing } from "${fileURLToPath(new URL("./seal-workload.ts", import.meta.url))}";
window.runSealBench = async (pem, runs) => timeLibSealing(await loadSealingKey(pem), makeSealWorkload(), runs);
`;

export async function timeSealingInChromium(
  pem: string,
  runs: number,
): Promise<{ hundredKeysMs: number; oneMiBMs: number }> {
  const bundle = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const server = createServer((request, response) => {
    if (request.url === "/bench.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      response
        .writeHead(200, { "content-type": "text/html" })
        .end('<!doctype html><script type="module" src="/bench.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const choice = findBrowser();
  const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => "runSealBench" in window);
    return await page.evaluate(
      ([certificate, count]) =>
        (
          window as unknown as {
            runSealBench(pem: string, runs: number): Promise<{ hundredKeysMs: number; oneMiBMs: number }>;
          }
        ).runSealBench(certificate, count),
      [pem, runs] as const,
    );
  } finally {
    await browser.close();
    server.close();
  }
}
