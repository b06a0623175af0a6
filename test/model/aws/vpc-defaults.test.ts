import { describe, expect, it } from "vitest";
import {
  ALL_IPV4,
  allowAllEgressRule,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  emptyWorld,
  known,
  mainRouteTableKey,
  type Origin,
  synthesizeVpcDefaults,
  unknown,
  vpcOfDefaultKey,
} from "../../../src/model/index.js";

const origin: Origin = { source: "cloudformation", file: "t.yaml", pointer: "/Resources/Vpc" };

const world = () =>
  emptyWorld("cloudformation", ["t.yaml"], {
    region: known("us-east-1"),
    dhmc: known({ enabled: false }),
    agentVersion: known("3.3.40.0"),
  });

describe("keys of what AWS creates with a VPC", () => {
  it("derive from the VPC's key, and lead back to it", () => {
    expect(defaultSecurityGroupKey("Vpc")).toBe("Vpc#default-sg");
    expect(mainRouteTableKey("Vpc")).toBe("Vpc#main-rtb");
    expect(defaultNetworkAclKey("Vpc")).toBe("Vpc#default-acl");
    expect(vpcOfDefaultKey("Vpc#default-sg", "security-group")).toBe("Vpc");
    expect(vpcOfDefaultKey("Vpc#default-sg", "network-acl")).toBeUndefined();
    expect(vpcOfDefaultKey("AppSg", "security-group")).toBeUndefined();
  });
});

describe("allowAllEgressRule", () => {
  it("is all traffic to every IPv4 address, each part a default", () => {
    expect(allowAllEgressRule(origin)).toEqual({
      direction: "egress",
      protocol: { kind: "known", value: "all", provenance: "default" },
      fromPort: { kind: "known", value: 0, provenance: "default" },
      toPort: { kind: "known", value: 65535, provenance: "default" },
      origin,
      peer: { kind: "known", value: { kind: "cidr", cidr: ALL_IPV4 }, provenance: "default" },
    });
    expect(ALL_IPV4).toBe("0.0.0.0/0");
  });
});

describe("synthesizeVpcDefaults", () => {
  it("adds the default security group, main route table and default network ACL", () => {
    const w = world();
    synthesizeVpcDefaults(w, "Vpc", origin, undefined);
    const group = w.securityGroups.get("Vpc#default-sg");
    expect(group).toMatchObject({ isDefault: true, vpc: { value: "Vpc" }, groupName: { value: "default", provenance: "default" } });
    expect(group?.ingress).toEqual([
      expect.objectContaining({
        peer: expect.objectContaining({ value: { kind: "security-group", group: expect.objectContaining({ value: "Vpc#default-sg" }) } }),
      }),
    ]);
    expect(group?.egress).toEqual([allowAllEgressRule(origin)]);
    expect(w.routeTables.get("Vpc#main-rtb")).toMatchObject({ isMain: true, routes: [], routesComplete: true });
    const acl = w.networkAcls.get("Vpc#default-acl");
    expect(
      acl?.entries.map((e) => [e.ruleNumber.kind === "known" && e.ruleNumber.value, e.egress, e.action.kind === "known" && e.action.value]),
    ).toEqual([
      [100, false, "allow"],
      [100, true, "allow"],
    ]);
    expect(group).not.toHaveProperty("conditional");
  });

  it("carries the VPC's condition onto each element it adds", () => {
    const w = world();
    const conditional = unknown("condition", "only if CreateVpc").reason;
    synthesizeVpcDefaults(w, "Vpc", origin, conditional);
    expect(w.securityGroups.get("Vpc#default-sg")?.conditional).toBe(conditional);
    expect(w.routeTables.get("Vpc#main-rtb")?.conditional).toBe(conditional);
    expect(w.networkAcls.get("Vpc#default-acl")?.conditional).toBe(conditional);
  });
});
