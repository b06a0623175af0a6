import { describe, expect, it } from "vitest";
import { load, NETWORK_TEMPLATE, v } from "./helpers.js";

describe("network ACLs", () => {
  it("reads entries with normalized protocols, actions and directions", () => {
    const acl = load(NETWORK_TEMPLATE).networkAcls.get("Acl")!;
    expect(acl).toMatchObject({ isDefault: false, entriesComplete: true });
    expect(v(acl.vpc)).toBe("Vpc");
    const [in443, outAll] = acl.entries;
    expect([v(in443!.ruleNumber), in443!.egress, v(in443!.protocol), v(in443!.action), v(in443!.portRange)]).toEqual([
      100,
      false,
      "tcp",
      "allow",
      { from: 443, to: 443 },
    ]);
    expect([v(outAll!.ruleNumber), outAll!.egress, v(outAll!.protocol), v(outAll!.action), v(outAll!.portRange)]).toEqual([
      200,
      true,
      "all",
      "deny",
      null,
    ]);
  });
});
