import type { Page } from "@playwright/test";

/** Collects console errors, React warnings (hydration among them) and uncaught page errors. */
export function guardConsole(page: Page): () => string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error") problems.push(`console.error: ${text} (${message.location().url})`);
    else if (message.type() === "warning" && /hydrat|did not match|Warning:/i.test(text))
      problems.push(`console.warn: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return () => problems;
}
