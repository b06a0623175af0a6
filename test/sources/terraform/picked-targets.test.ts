/** Attachments and associations that name their target by count.index: which one is not in the plan JSON, so no candidate looks complete. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint, load } from "./helpers.js";

// fixtures/terraform/count-indexed-attachments: two roles made by count, each given AmazonSSMManagedInstanceCore
// by an attachment naming aws_iam_role.instance[count.index]; the instance's profile names the first role.
const text = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/count-indexed-attachments/plan.json"), "utf8");

describe("role attachments picked by count.index", () => {
  it("each candidate role gets a policy that is not known, never none", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      const role = world.roles.get(`aws_iam_role.instance[${i}]`)!;
      expect(role.managedPolicies).toMatchObject({ kind: "known", value: [] });
      expect(role.inlinePolicies).toHaveLength(1);
      expect(role.inlinePolicies[0]).toMatchObject({
        name: "attached by aws_iam_role_policy_attachment.core[0]",
        document: {
          kind: "unknown",
          reason: {
            code: "unresolved",
            message:
              "aws_iam_role_policy_attachment.core[0] and 1 more like it attach policies to one of the 2 instances of aws_iam_role.instance, picked by count.index, and the plan JSON does not say which: this role may be one",
          },
        },
      });
    }
  });
});

describe("route table associations picked by count.index", () => {
  // fixtures/terraform/count-indexed-route-tables: two subnets made by count, each associated with the table to
  // the internet gateway by aws_route_table_association.public[count.index]; the instance is in the first.
  const plan = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/count-indexed-route-tables/plan.json"), "utf8");

  it("each candidate subnet's route table is not known, rather than the main table", () => {
    const world = load(plan);
    for (const i of [0, 1])
      expect(world.subnets.get(`aws_subnet.public[${i}]`)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: {
          code: "unresolved",
          message:
            "aws_route_table_association.public[0] and 1 more like it associate route tables with one of the 2 instances of aws_subnet.public, picked by count.index, and the plan JSON does not say which: this subnet may be one",
        },
      });
    // Their network ACL is the default one: no association names a subnet there.
    expect(world.subnets.get("aws_subnet.public[0]")!.networkAcl.kind).toBe("known");
  });
});

/** The committed real plan of a fixture. */
const fixturePlan = (name: string) => readFileSync(join(import.meta.dirname, `../../../fixtures/terraform/${name}/plan.json`), "utf8");

describe("endpoint associations picked by each.key", () => {
  // fixtures/terraform/count-indexed-endpoint-associations: endpoints made by for_each without subnets or groups of
  // their own; each gets both from associations naming aws_vpc_endpoint.ssm[each.key].
  const text = fixturePlan("count-indexed-endpoint-associations");

  it("each candidate endpoint's subnets and groups hold one that is not known, never none", () => {
    const world = load(text);
    for (const service of ["ssm", "ssmmessages"]) {
      const endpoint = world.vpcEndpoints.get(`aws_vpc_endpoint.ssm["${service}"]`)!;
      for (const [list, what, association] of [
        [endpoint.subnets, "subnets", "aws_vpc_endpoint_subnet_association"],
        [endpoint.securityGroups, "security groups", "aws_vpc_endpoint_security_group_association"],
      ] as const)
        expect(list).toMatchObject({
          kind: "known",
          value: [
            {
              kind: "unknown",
              reason: {
                code: "unresolved",
                message: `${association}.ssm["ssm"] and 1 more like it associate ${what} with one of the 2 instances of aws_vpc_endpoint.ssm, picked by each.key, and the plan JSON does not say which: this endpoint may be one`,
              },
            },
          ],
        });
      // No route table association picks it: the list stays as the endpoint has it.
      expect(endpoint.routeTables).toMatchObject({ kind: "known", value: [] });
    }
  });

  it("the instance is unknown, not failed for the VPC default group or a missing subnet", () => {
    const result = lint(text);
    expect(result.findings.filter((f) => f.verdict === "fail" && f.instances.length > 0)).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
  });
});

describe("routes picked by count.index", () => {
  // fixtures/terraform/count-indexed-routes: aws_route.private_nat_gateway[count.index] names its table as
  // element(aws_route_table.private[*].id, count.index), as the terraform-aws-modules VPC module does.
  const text = fixturePlan("count-indexed-routes");

  it("each candidate table gets a route whose destination and target are not known", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      const routes = world.routeTables.get(`aws_route_table.private[${i}]`)!.routes;
      expect(routes).toHaveLength(1);
      const reason = {
        code: "unresolved",
        message:
          "aws_route.private_nat_gateway[0] and 1 more like it add routes to one of the 2 instances of aws_route_table.private, picked by count.index, and the plan JSON does not say which: this route table may be one",
      };
      expect(routes[0]).toMatchObject({ destination: { kind: "unknown", reason }, target: { kind: "unknown", reason } });
    }
    // The public table's own route is untouched.
    expect(world.routeTables.get("aws_route_table.public")!.routes).toHaveLength(1);
    expect(world.routeTables.get("aws_route_table.public")!.routes[0]!.target.kind).toBe("known");
  });

  it("the path to the service is unknown, not 'no route to the internet'", () => {
    const result = lint(text);
    expect(result.findings.filter((f) => f.verdict === "fail" && f.instances.length > 0)).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === "SD201")?.verdict).toBe("unknown");
  });
});

describe("VPC attachments and associations picked by count.index", () => {
  // fixtures/terraform/count-indexed-vpc-associations: two VPCs made by count; their internet gateways, DHCP options
  // and a private hosted zone named after ssm are attached or associated by resources naming them by count.index.
  const text = fixturePlan("count-indexed-vpc-associations");
  const told = (resources: string, action: string, among: string, element: string) =>
    `${resources} and 1 more like it ${action} one of the 2 instances of ${among}, picked by count.index, and the plan JSON does not say which: this ${element} may be one`;

  it("gateways, DHCP options, zones and main tables that may be named are not known, never absent", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      expect(world.internetGateways.get(`aws_internet_gateway.main[${i}]`)!.vpc).toMatchObject({
        kind: "unknown",
        reason: {
          message: told("aws_internet_gateway_attachment.main[0]", "attach a VPC to", "aws_internet_gateway.main", "internet gateway"),
        },
      });
      expect(world.vpcs.get(`aws_vpc.main[${i}]`)!.dhcpOptions).toMatchObject({
        kind: "unknown",
        reason: { message: told("aws_vpc_dhcp_options_association.corporate[0]", "associate DHCP options with", "aws_vpc.main", "VPC") },
      });
      const zone = world.hostedZones.get(`aws_route53_zone.shadow[${i}]`)!;
      expect(zone.vpcs).toMatchObject({
        kind: "known",
        value: [
          { kind: "known", value: "aws_vpc.shared" },
          {
            kind: "unknown",
            reason: {
              message: told("aws_route53_zone_association.shadow[0]", "associate VPCs with", "aws_route53_zone.shadow", "hosted zone"),
            },
          },
        ],
      });
    }
    // The VPC no association may name keeps the default DHCP options.
    expect(world.vpcs.get("aws_vpc.shared")!.dhcpOptions).toMatchObject({ kind: "known", value: null });
    // A subnet without a table of its own uses a main table that is not known; one with its own keeps it.
    expect(world.subnets.get("aws_subnet.other")!.routeTable).toMatchObject({
      kind: "unknown",
      reason: { message: told("aws_main_route_table_association.main[0]", "make a route table the main one of", "aws_vpc.main", "VPC") },
    });
    expect(world.subnets.get("aws_subnet.public")!.routeTable).toMatchObject({ kind: "known", value: "aws_route_table.public" });
  });

  it("the instance is unknown, and the zone that may take the ssm name over is named", () => {
    const result = lint(text);
    expect(result.findings.filter((f) => f.verdict === "fail" && f.instances.length > 0)).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const reasons = JSON.stringify(result.analysis);
    expect(reasons).toContain(
      told("aws_route53_zone_association.shadow[0]", "associate VPCs with", "aws_route53_zone.shadow", "hosted zone"),
    );
  });
});

describe("network ACL rules picked by count.index", () => {
  // fixtures/terraform/count-indexed-acl-rules: two ACLs made by count, given their entries by aws_network_acl_rule
  // resources naming aws_network_acl.private[count.index]; the instance's subnet uses the first ACL.
  const text = fixturePlan("count-indexed-acl-rules");

  it("each candidate ACL gets an entry per direction whose number, action and match are not known", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      const entries = world.networkAcls.get(`aws_network_acl.private[${i}]`)!.entries;
      expect(entries).toHaveLength(2);
      for (const [egress, rule, direction] of [
        [false, "replies_in", "ingress"],
        [true, "https_out", "egress"],
      ] as const) {
        const reason = {
          code: "unresolved",
          message: `aws_network_acl_rule.${rule}[0] and 1 more like it add ${direction} entries to one of the 2 instances of aws_network_acl.private, picked by count.index, and the plan JSON does not say which: this network ACL may be one`,
        };
        const unknownValue = { kind: "unknown", reason };
        expect(entries.find((e) => e.egress === egress)).toMatchObject({
          ruleNumber: unknownValue,
          action: unknownValue,
          protocol: unknownValue,
          cidr: unknownValue,
          portRange: unknownValue,
        });
      }
    }
  });

  it("the ACL hops are unknown, not denied", () => {
    const result = lint(text);
    expect(result.findings.filter((f) => f.verdict === "fail" && f.instances.length > 0)).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === "SD304")?.verdict).toBe("unknown");
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
  });
});

describe("VPC defaults managed by aws_default_* resources picked by count.index", () => {
  // fixtures/terraform/count-indexed-vpc-defaults: two VPCs made by count; aws_default_security_group,
  // aws_default_route_table and aws_default_network_acl name them by count.index.
  const text = fixturePlan("count-indexed-vpc-defaults");
  const told = (resource: string, what: string) =>
    `${resource}.main[0] and 1 more like it manage ${what} of one of the 2 instances of aws_vpc.main, picked by count.index, and the plan JSON does not say which: this VPC may be one`;

  it("each candidate VPC's defaults give way to rules, a route and entries that are not known", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      const vpc = `aws_vpc.main[${i}]`;
      const group = world.securityGroups.get(`${vpc}#default-sg`)!;
      expect(group).toMatchObject({
        ingress: [],
        egress: [],
        rulesComplete: { kind: "unknown", reason: { message: told("aws_default_security_group", "the default security group") } },
      });
      const route = { kind: "unknown", reason: { message: told("aws_default_route_table", "the main route table") } };
      expect(world.routeTables.get(`${vpc}#main-rtb`)!.routes).toMatchObject([{ destination: route, target: route }]);
      const entry = { kind: "unknown", reason: { message: told("aws_default_network_acl", "the default network ACL") } };
      expect(world.networkAcls.get(`${vpc}#default-acl`)!.entries).toMatchObject([
        { egress: false, ruleNumber: entry, action: entry },
        { egress: true, ruleNumber: entry, action: entry },
      ]);
    }
  });

  it("the instance is unknown: neither AWS's allow-all group nor a main table without a route out for certain", () => {
    const result = lint(text);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.find((f) => f.ruleId === "SD201")?.verdict).toBe("unknown");
  });
});
