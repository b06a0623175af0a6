/** The report words rules, ACL entries and route targets that evidence carries as data, as unknown reasons quote them. */
import { describe, expect, it } from "vitest";
import type { Evidence, NetworkAclEntryFacts, RouteTargetFacts, SecurityGroupRuleFacts } from "../../src/analysis/evidence.js";
import { networkAclEntryText, routeTargetText, securityGroupRuleText } from "../../src/analysis/reason-text.js";
import { argumentsOf, evidenceText } from "../../src/report/evidence.js";

const rules: SecurityGroupRuleFacts[] = [
  {
    direction: "egress",
    traffic: { protocol: "tcp", ports: { from: 443, to: 443 } },
    peer: { kind: "cidr", value: "10.0.0.0/16" },
    conditional: false,
  },
  { direction: "ingress", traffic: { protocol: "all" }, peer: { kind: "default-group", vpc: "rVpc" }, conditional: true },
  { direction: "egress", traffic: { protocol: "udp", ports: "none" }, peer: { kind: "unknown", of: "group" }, conditional: false },
  { direction: "ingress", traffic: { protocol: null }, peer: { kind: "prefix-list", value: "pl-1" }, conditional: false },
  { direction: "egress", traffic: { protocol: "tcp", ports: "unknown" }, peer: { kind: "unknown", of: "prefix-list" }, conditional: false },
];
const entries: NetworkAclEntryFacts[] = [
  {
    kind: "entry",
    number: 100,
    action: "allow",
    egress: true,
    traffic: { protocol: "tcp", ports: "all" },
    peer: { kind: "cidr", value: "0.0.0.0/0" },
    conditional: false,
  },
  { kind: "entry", number: null, action: null, egress: false, traffic: { protocol: "icmp" }, peer: { kind: "unknown" }, conditional: true },
  { kind: "implicit-deny" },
];
const targets: RouteTargetFacts[] = [
  { kind: "nat-gateway", id: "rNat" },
  { kind: "internet-gateway", id: null },
  { kind: "instance", id: "i-1" },
  { kind: "local", id: null },
  { kind: "other", description: "a core network" },
];

describe("evidence words", () => {
  it("a security group rule reads as in an unknown reason", () => {
    expect(securityGroupRuleText(rules[0]!)).toBe("tcp 443 to 10.0.0.0/16");
    expect(securityGroupRuleText(rules[1]!)).toBe("all traffic from members of the default security group of rVpc (conditional)");
    for (const rule of rules) {
      const e: Evidence = { code: "sg-allows", args: { group: "rSg", rule } };
      expect(evidenceText(e, "cloudformation")).toBe(`rSg allows ${securityGroupRuleText(rule)}`);
    }
    const none: Evidence = { code: "sg-no-match", args: { group: "rSg", rules, peer: "p", direction: "egress", ports: "443" } };
    expect(argumentsOf(none).rules).toBe(rules.map(securityGroupRuleText).join("; "));
  });

  it("an ACL entry and a route target read as in an unknown reason", () => {
    expect(networkAclEntryText(entries[0]!)).toBe("100 allow all tcp to 0.0.0.0/0");
    expect(networkAclEntryText(entries[1]!)).toBe("(unknown number) (allow or deny) icmp from (unknown) (conditional)");
    for (const rule of entries) {
      const e: Evidence = { code: "nacl-allows", args: { acl: "rAcl", rule, direction: "inbound" } };
      expect(evidenceText(e, "terraform")).toBe(`rAcl inbound: ${networkAclEntryText(rule)}`);
    }
    expect(targets.map(routeTargetText)).toEqual([
      "NAT gateway rNat",
      "internet gateway (not known)",
      "instance i-1 (a NAT instance?)",
      "the local VPC",
      "a core network",
    ]);
    for (const target of targets) {
      const e: Evidence = { code: "route-elsewhere", args: { routeTable: "rt", target } };
      expect(evidenceText(e, "live")).toBe(`rt routes 0.0.0.0/0 to ${routeTargetText(target)}`);
      expect(argumentsOf(e)).toEqual({ routeTable: "rt", target: routeTargetText(target) });
    }
  });
});
