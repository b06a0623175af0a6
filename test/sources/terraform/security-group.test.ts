/** Security group egress as Terraform manages it (the SD302 facts) and the rules that add to a group, from plans. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { constant, load, plan, refs, resource } from "./helpers.js";

const sgConfig = (expressions = {}) => ({
  root_module: { resources: [resource("aws_security_group.app", { vpc_id: constant("vpc-1"), ...expressions })] },
});

describe("security group egress (Terraform removes AWS's default rule)", () => {
  it("Terraform 0.12-1.0: a new group without egress plans egress as unknown; inferred from the provider's behaviour", () => {
    const world = load(
      plan({
        version: "1.0.3",
        changes: [{ address: "aws_security_group.app", after: { ingress: [] }, unknown: { egress: true, id: true } }],
        configuration: sgConfig(),
      }),
    );
    const group = world.securityGroups.get("aws_security_group.app")!;
    expect(group.egress).toEqual([]);
    expect(group.egressManagement).toMatchObject({
      mode: "terraform-none",
      basis: expect.stringContaining("inferred from the AWS provider's behaviour"),
    });
    expect(group.egressManagement.basis).toContain("after_unknown.egress = true");
  });

  it("Terraform 1.1+: the configuration has no egress block", () => {
    const world = load(
      plan({
        version: "1.9.5",
        changes: [{ address: "aws_security_group.app", after: {}, unknown: { egress: true, ingress: true } }],
        configuration: sgConfig(),
      }),
    );
    expect(world.securityGroups.get("aws_security_group.app")!.egressManagement).toMatchObject({
      mode: "terraform-none",
      basis: expect.stringContaining("the configuration (Terraform 1.9.5) has no egress block"),
    });
  });

  it("an existing group shows egress = []", () => {
    const world = load(
      plan({
        version: "0.12.24",
        changes: [{ address: "aws_security_group.app", actions: ["no-op"], after: { id: "sg-1", egress: [], ingress: [] } }],
      }),
    );
    expect(world.securityGroups.get("aws_security_group.app")!.egressManagement).toMatchObject({
      mode: "terraform-none",
      basis: expect.stringContaining("egress = [] for the existing group"),
    });
  });

  it("Terraform 1.1+: egress blocks whose values are computed are inline rules, not unknown", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_security_group.endpoints", after: {}, unknown: { id: true } },
          {
            address: "aws_security_group.app",
            after: {
              egress: [
                { from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: [], ipv6_cidr_blocks: [], prefix_list_ids: [], self: false },
              ],
            },
            unknown: { egress: [{ security_groups: true }] },
          },
        ],
        configuration: sgConfig({ egress: refs("aws_security_group.endpoints.id", "aws_security_group.endpoints") }),
      }),
    );
    const group = world.securityGroups.get("aws_security_group.app")!;
    expect(group.egressManagement.mode).toBe("inline");
    expect(group.egress).toMatchObject([
      {
        protocol: { value: "tcp" },
        fromPort: { value: 443 },
        peer: { value: { kind: "security-group", group: { value: "aws_security_group.endpoints" } } },
      },
    ]);
  });

  it("standalone egress rules (aws_security_group_rule, aws_vpc_security_group_egress_rule) give egress", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_security_group.app", after: {}, unknown: { id: true, egress: true } },
          { address: "aws_security_group.db", after: {}, unknown: { id: true, egress: true } },
          {
            address: "aws_security_group_rule.out",
            after: { type: "egress", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] },
            unknown: { security_group_id: true },
          },
          {
            address: "aws_vpc_security_group_egress_rule.https",
            after: { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.0.0.0/16" },
            unknown: { security_group_id: true },
          },
          {
            address: "aws_security_group_rule.in",
            after: { type: "ingress", protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] },
            unknown: { security_group_id: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_security_group.app"),
              resource("aws_security_group.db"),
              resource("aws_security_group_rule.out", { security_group_id: refs("aws_security_group.app.id", "aws_security_group.app") }),
              resource("aws_vpc_security_group_egress_rule.https", {
                security_group_id: refs("aws_security_group.app.id", "aws_security_group.app"),
              }),
              resource("aws_security_group_rule.in", { security_group_id: refs("aws_security_group.db.id", "aws_security_group.db") }),
            ],
          },
        },
      }),
    );
    const app = world.securityGroups.get("aws_security_group.app")!;
    expect(app.egressManagement).toMatchObject({ mode: "standalone", basis: expect.stringContaining("aws_security_group_rule.out") });
    expect(
      app.egress.map(
        (r) =>
          `${r.protocol.kind === "known" && r.protocol.value} ${r.fromPort.kind === "known" && r.fromPort.value}-${r.toPort.kind === "known" && r.toPort.value}`,
      ),
    ).toEqual(["all 0-65535", "tcp 443-443"]);
    // An ingress rule does not restore egress.
    expect(world.securityGroups.get("aws_security_group.db")!.egressManagement.mode).toBe("terraform-none");
    expect(world.securityGroups.get("aws_security_group.db")!.ingress).toHaveLength(1);
  });
});

describe("rules and instances that name a group by count.index (the plan JSON does not say which)", () => {
  // fixtures/terraform/count-indexed-groups: three instances, each with a group of its own whose only egress
  // is an aws_security_group_rule; both name the group as aws_security_group.instance[count.index].
  const text = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/count-indexed-groups/plan.json"), "utf8");

  it("no group is said to have no egress: a rule of the fleet may be its own", () => {
    const world = load(text);
    for (const i of [0, 1, 2]) {
      const group = world.securityGroups.get(`aws_security_group.instance[${i}]`)!;
      expect(group.egressManagement).toEqual({
        mode: "unknown",
        basis:
          "aws_security_group_rule.instance_https[0] and 2 more rules like it add egress rules to one of the 3 instances of aws_security_group.instance, picked by count.index, and the plan JSON does not say which: this group may be one",
      });
      expect(group.egress.map((r) => r.peer.kind)).toEqual(["unknown"]);
    }
  });

  it("an instance is in one of the groups, not in all of them", () => {
    const world = load(text);
    const groups = world.instances.get("aws_instance.app[1]")!.securityGroups;
    expect(groups.kind).toBe("known");
    if (groups.kind !== "known") return;
    expect(groups.value).toHaveLength(1);
    expect(groups.value[0]).toMatchObject({
      kind: "unknown",
      reason: {
        code: "unresolved",
        message:
          "vpc_security_group_ids of aws_instance.app[1] names one of the 3 instances of aws_security_group.instance (aws_security_group.instance[0], aws_security_group.instance[1], aws_security_group.instance[2]) by count.index, and the plan JSON does not say which",
      },
    });
  });
});
