import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { GroupMappingSettings } from "./group-mapping-settings";
import { SettingsSectionsNav } from "./settings-sections-nav";

// Issue #17: a mapping kept in a file (SEALDECK_AUTH_GROUP_MAPPING) is read-only in Settings, even for
// admins; and the Settings menu leads to the group mapping card.

// The editor (a client island with the router) stands in as a marker: what matters is whether it is offered.
vi.mock("./group-mapping-editor", () => ({ GroupMappingEditor: () => "[mapping editor]" }));

const mapping = [{ group: "github:acme/platform", role: "admin" as const, grants: [] }];
const plain = (html: string) => html.replace(/<!-- -->/g, "");

describe("GroupMappingSettings", () => {
  it("offers the editor to an admin when no file manages the mapping", () => {
    const html = plain(renderToString(<GroupMappingSettings mapping={mapping} canEdit error={null} />));
    expect(html).toContain("[mapping editor]");
    expect(html).not.toContain("Managed by the environment");
  });

  it("shows a file-managed mapping read-only, naming the variable and the file, even to an admin", () => {
    const html = plain(
      renderToString(
        <GroupMappingSettings
          mapping={mapping}
          canEdit
          error={null}
          managedByFile="/etc/sealdeck/group-mapping.yaml"
        />,
      ),
    );
    expect(html).toContain("Managed by the environment: SEALDECK_AUTH_GROUP_MAPPING");
    expect(html).toContain("/etc/sealdeck/group-mapping.yaml");
    expect(html).not.toContain("[mapping editor]");
    expect(html).toContain("github:acme/platform");
  });
});

describe("SettingsSectionsNav", () => {
  it("links to the group mapping card's anchor", () => {
    const nav = renderToString(<SettingsSectionsNav withUsers={false} />);
    const card = renderToString(<GroupMappingSettings mapping={[]} canEdit={false} error={null} />);
    expect(nav).toContain('href="#group-mapping"');
    expect(nav).toContain(">Group mapping<");
    expect(card).toContain('id="group-mapping"');
    expect(nav).not.toContain("Users and access");
  });
});
