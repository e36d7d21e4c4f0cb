// Stands in for next/headers outside a Next request: a same-origin request to http://sealdeck.test (so
// the origin check of server actions passes) with no cookies. Wire it up in the test file with
//   vi.mock("next/headers", () => import("@/lib/testing/fake-next-headers"));

export const headers = async () => new Headers({ host: "sealdeck.test", origin: "http://sealdeck.test" });

export const cookies = async () => ({ get: () => undefined, getAll: () => [] });
