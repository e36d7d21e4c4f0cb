import { describe, expect, it } from "vitest";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./apply-patch";

// The three patch types kubectl sends, on the shapes it sends them for.
describe("applyMergePatch", () => {
  it("merges maps, deletes on null and replaces lists", () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({
      a: { b: 1, d: 3 },
      l: [3],
    });
  });
});

describe("applyJsonPatch", () => {
  it("adds, replaces, removes, moves and tests", () => {
    const result = applyJsonPatch({ a: [1, 2], b: { c: 1 } }, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "replace", path: "/b/c", value: 2 },
      { op: "move", from: "/b/c", path: "/d" },
      { op: "remove", path: "/a/0" },
      { op: "test", path: "/d", value: 2 },
    ]);
    expect(result).toEqual({ a: [2, 3], b: {}, d: 2 });
  });

  it("refuses a failed test or a missing path with 422", () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
    expect(() => applyJsonPatch({ a: 1 }, [{ op: "remove", path: "/b" }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
  });
});

describe("applyStrategicMergePatch", () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "a", image: "a:1", env: [{ name: "X", value: "1" }] },
            { name: "b", image: "b:1" },
          ],
        },
      },
    },
  };

  it("merges containers and env by name instead of replacing the lists", () => {
    const patched = applyStrategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: "a", env: [{ name: "Y", value: "2" }] }] } } },
    });
    expect(patched).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "a",
                image: "a:1",
                env: [
                  { name: "X", value: "1" },
                  { name: "Y", value: "2" },
                ],
              },
              { name: "b", image: "b:1" },
            ],
          },
        },
      },
    });
  });

  it("honours $patch: delete in lists, $setElementOrder and $deleteFromPrimitiveList", () => {
    const patched = applyStrategicMergePatch(
      { metadata: { finalizers: ["x", "y"] }, ...deployment },
      {
        metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] },
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": [{ name: "a" }],
              containers: [{ name: "b", $patch: "delete" }],
            },
          },
        },
      },
    );
    expect(patched).toMatchObject({
      metadata: { finalizers: ["y"] },
      spec: { template: { spec: { containers: [{ name: "a" }] } } },
    });
    expect(JSON.stringify(patched)).not.toContain("$");
  });

  it("puts list elements in the $setElementOrder order, as kubectl's manifest has them", () => {
    const live = { env: [{ name: "A" }, { name: "B" }], finalizers: ["x", "y"] };
    const patched = applyStrategicMergePatch(live, {
      "$setElementOrder/env": [{ name: "C" }, { name: "B" }, { name: "A" }],
      env: [{ name: "C", value: "3" }],
      "$setElementOrder/finalizers": ["y", "x"],
    });
    expect(patched).toEqual({
      env: [{ name: "C", value: "3" }, { name: "B" }, { name: "A" }],
      finalizers: ["y", "x"],
    });
    // Elements the order does not name (another writer's) follow, in their current order.
    expect(
      applyStrategicMergePatch(
        { env: [{ name: "X" }, { name: "A" }, { name: "Y" }, { name: "B" }] },
        { "$setElementOrder/env": [{ name: "B" }, { name: "A" }] },
      ),
    ).toEqual({ env: [{ name: "B" }, { name: "A" }, { name: "X" }, { name: "Y" }] });
  });
});
