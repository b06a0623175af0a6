/** Network ACLs from plans: inline entries, aws_network_acl_rule and subnet associations. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint, load, plan, refs, resource, twoVpcs } from "./helpers.js";

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

describe("network ACLs whose subnet_ids the plan cannot follow", () => {
  // fixtures/terraform/acl-subnets-from-data-source: the ACL that denies HTTPS takes its subnet_ids from a
  // data.aws_subnets read at apply; the instance's subnet may be one of them, or under the VPC's default ACL.
  const fixture = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/acl-subnets-from-data-source/plan.json"), "utf8");

  it("the subnet's ACL is not known, naming the ACL and the data source, rather than the default ACL", () => {
    const world = load(fixture);
    expect(world.subnets.get("aws_subnet.private")!.networkAcl).toMatchObject({
      kind: "unknown",
      reason: {
        message:
          "subnet_ids of aws_network_acl.private is not known: data.aws_subnets.private is read from the account when Terraform applies; this subnet may be one of them",
      },
    });
  });

  it("the HTTPS hop is unknown and the instance does not pass", () => {
    const result = lint(fixture);
    expect(result.findings.find((f) => f.ruleId === "SD304")?.verdict).toBe("unknown");
    expect(result.findings.filter((f) => f.verdict === "fail" && f.instances.length > 0)).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
  });

  // Two VPCs: v's subnets a and b, w's subnet c. ACLs in w take subnets from a data source; v's ACL lists a
  // and a data source.
  const text = (aclsInW: number) =>
    plan({
      changes: [
        { address: "aws_vpc.v", after: { cidr_block: "10.0.0.0/16" }, unknown: { id: true } },
        { address: "aws_vpc.w", after: { cidr_block: "10.1.0.0/16" }, unknown: { id: true } },
        ...["a", "b", "c"].map((s) => ({ address: `aws_subnet.${s}`, after: {}, unknown: { id: true, vpc_id: true } })),
        { address: "data.aws_subnets.more", after: {}, unknown: { id: true, ids: true } },
        {
          address: "aws_network_acl.mixed",
          after: { subnet_ids: [null, null] },
          unknown: { id: true, vpc_id: true, subnet_ids: [true, true] },
        },
        ...Array.from({ length: aclsInW }, (_, i) => ({
          address: `aws_network_acl.w${i}`,
          after: {},
          unknown: { id: true, vpc_id: true, subnet_ids: true },
        })),
      ],
      configuration: {
        root_module: {
          resources: [
            ...["a", "b"].map((s) => resource(`aws_subnet.${s}`, { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") })),
            resource("aws_subnet.c", { vpc_id: refs("aws_vpc.w.id", "aws_vpc.w") }),
            resource("data.aws_subnets.more"),
            resource("aws_network_acl.mixed", {
              vpc_id: refs("aws_vpc.v.id", "aws_vpc.v"),
              subnet_ids: refs("aws_subnet.a.id", "aws_subnet.a", "data.aws_subnets.more.ids", "data.aws_subnets.more"),
            }),
            ...Array.from({ length: aclsInW }, (_, i) =>
              resource(`aws_network_acl.w${i}`, {
                vpc_id: refs("aws_vpc.w.id", "aws_vpc.w"),
                subnet_ids: refs("data.aws_subnets.more.ids", "data.aws_subnets.more"),
              }),
            ),
          ],
        },
      },
    });

  it("a subnet the ACL names keeps it; another subnet of its VPC may be under it; a subnet of another VPC is not", () => {
    const world = load(text(0));
    const acl = (s: string) => world.subnets.get(`aws_subnet.${s}`)!.networkAcl;
    expect(acl("a")).toMatchObject({ kind: "known", value: "aws_network_acl.mixed" });
    expect(acl("b")).toMatchObject({
      kind: "unknown",
      reason: { message: expect.stringMatching(/^subnet_ids of aws_network_acl\.mixed is not known/) },
    });
    expect(acl("c")).toMatchObject({ kind: "known", value: "aws_vpc.w#default-acl", provenance: "default" });
  });

  it("several such ACLs in one VPC are named once, with how many more", () => {
    const world = load(text(3));
    expect(world.subnets.get("aws_subnet.c")!.networkAcl).toMatchObject({
      kind: "unknown",
      reason: { message: expect.stringMatching(/^subnet_ids of aws_network_acl\.w0 \(and 2 more like it\) is not known: /) },
    });
  });

  it("an aws_network_acl_association whose subnet comes from a data source leaves the subnets of the ACL's VPC unknown", () => {
    const two = twoVpcs();
    const world = load(
      plan({
        changes: [
          ...two.changes,
          { address: "aws_network_acl.n", after: {}, unknown: { id: true, vpc_id: true } },
          { address: "data.aws_subnet.s", after: {}, unknown: { id: true } },
          { address: "aws_network_acl_association.x", after: {}, unknown: { id: true, subnet_id: true, network_acl_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              ...two.resources,
              resource("aws_network_acl.n", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("data.aws_subnet.s"),
              resource("aws_network_acl_association.x", {
                network_acl_id: refs("aws_network_acl.n.id", "aws_network_acl.n"),
                subnet_id: refs("data.aws_subnet.s.id", "data.aws_subnet.s"),
              }),
            ],
          },
        },
      }),
    );
    expect(world.subnets.get("aws_subnet.a")!.networkAcl).toMatchObject({
      kind: "unknown",
      reason: {
        message:
          "subnet_id of aws_network_acl_association.x is not known: data.aws_subnet.s is read from the account when Terraform applies; this subnet may be associated with aws_network_acl.n",
      },
    });
    expect(world.subnets.get("aws_subnet.c")!.networkAcl).toMatchObject({
      kind: "known",
      value: "aws_vpc.w#default-acl",
      provenance: "default",
    });
  });
});
