import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { KeyPicker, toggleKey } from "./key-picker";

const keys = ["username", "password", "host"] as const;

describe("toggleKey", () => {
  it("keeps the ticked keys in the secret's order, whatever order they were ticked in", () => {
    let chosen = toggleKey(keys, [], "host", true);
    chosen = toggleKey(keys, chosen, "username", true);
    expect(chosen).toEqual(["username", "host"]);
    expect(toggleKey(keys, chosen, "password", true)).toEqual(["username", "password", "host"]);
  });

  it("unticks only the key clicked", () => {
    expect(toggleKey(keys, ["username", "password", "host"], "password", false)).toEqual([
      "username",
      "host",
    ]);
  });
});

describe("KeyPicker", () => {
  it("renders one checkbox per key, named by its key, ticked as given", () => {
    const html = renderToString(<KeyPicker keys={keys} value={["password"]} onChange={() => undefined} />);
    expect(html.match(/type="checkbox"/g)).toHaveLength(3);
    expect(html).toMatch(/<label[^>]*><input type="checkbox" checked=""\/><code[^>]*>password<\/code>/);
    expect(html).toMatch(/<label[^>]*><input type="checkbox"\/><code[^>]*>username<\/code>/);
  });
});
