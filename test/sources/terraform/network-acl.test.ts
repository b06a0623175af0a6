/** Network ACLs from plans: inline entries, aws_network_acl_rule and subnet associations. */
import { describe, expect, it } from "vitest";
import { load, plan, refs, resource } from "./helpers.js";

describe("network ACLs", () => {
  it("network ACLs: inline entries, aws_network_acl_rule, subnet associations", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.v", after: { cidr_block: "10.0.0.0/16" }, unknown: { id: true } },
          { address: "aws_subnet.s", after: { cidr_block: "10.0.1.0/24" }, unknown: { id: true, vpc_id: true } },
          {
            address: "aws_network_acl.acl",
            after: {
              egress: [{ rule_no: 100, action: "allow", protocol: "tcp", cidr_block: "0.0.0.0/0", from_port: 443, to_port: 443 }],
              ingress: [],
            },
            unknown: { id: true, subnet_ids: true, vpc_id: true },
          },
          {
            address: "aws_network_acl_rule.back",
            after: {
              rule_number: 100,
              egress: false,
              protocol: "6",
              rule_action: "allow",
              cidr_block: "0.0.0.0/0",
              from_port: 1024,
              to_port: 65535,
            },
            unknown: { network_acl_id: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_subnet.s", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("aws_network_acl.acl", {
                vpc_id: refs("aws_vpc.v.id", "aws_vpc.v"),
                subnet_ids: refs("aws_subnet.s.id", "aws_subnet.s"),
              }),
              resource("aws_network_acl_rule.back", { network_acl_id: refs("aws_network_acl.acl.id", "aws_network_acl.acl") }),
            ],
          },
        },
      }),
    );
    const acl = world.networkAcls.get("aws_network_acl.acl")!;
    expect(
      acl.entries.map(
        (e) =>
          `${e.egress ? "out" : "in"} ${e.protocol.kind === "known" && e.protocol.value} ${JSON.stringify(e.portRange.kind === "known" && e.portRange.value)}`,
      ),
    ).toEqual(['out tcp {"from":443,"to":443}', 'in tcp {"from":1024,"to":65535}']);
    expect(world.subnets.get("aws_subnet.s")!.networkAcl).toMatchObject({ kind: "known", value: "aws_network_acl.acl" });
    expect(world.subnets.get("aws_subnet.s")!.routeTable).toMatchObject({
      kind: "known",
      value: "aws_vpc.v#main-rtb",
      provenance: "default",
    });
  });
});
