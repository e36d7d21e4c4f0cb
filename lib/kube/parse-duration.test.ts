import { expect, it } from "vitest";
import { parseDuration } from "./parse-duration";

it("parses Go durations as ESO writes them", () => {
  expect(parseDuration("1h")).toBe(3_600_000);
  expect(parseDuration("15m")).toBe(900_000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration("0")).toBe(0);
  expect(parseDuration("0s")).toBe(0);
  expect(parseDuration("1d")).toBeNull();
  expect(parseDuration("soon")).toBeNull();
  expect(parseDuration(null)).toBeNull();
});
