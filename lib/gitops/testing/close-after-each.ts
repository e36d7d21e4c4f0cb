import "server-only";

import { afterEach } from "vitest";

/**
 * Registers an afterEach that closes every double the returned function was given, so a failing test
 * does not leave its server listening. Call it at the top of a test file.
 */
export function closeAfterEach<D extends { close(): Promise<void> }>(): (double: D) => D {
  const open: D[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close()));
  });
  return (double) => {
    open.push(double);
    return double;
  };
}
