/** Following configuration references: modules (var. up through arguments, outputs down), count/for_each, dedupe, VPC defaults. */
import { describe, expect, it } from "vitest";
import { parseReference, parseTraversal } from "../../../src/sources/terraform/addresses.js";
import { constant, load, plan, refs, resource } from "./helpers.js";

const keys = (v: { kind: string; value?: unknown }) =>
  v.kind === "known" ? (v.value as { kind: string; value?: string }[]).map((x) => (x.kind === "known" ? x.value : `?`)) : v.kind;

describe("addresses", () => {
  it("parses traversals with quoted keys that hold dots and brackets", () => {
    expect(parseTraversal('module.a["x.y[0]"].aws_sg.b[0].id')).toEqual([
      { name: "module" },
      { name: "a" },
      { index: "x.y[0]" },
      { name: "aws_sg" },
      { name: "b" },
      { index: 0 },
      { name: "id" },
    ]);
  });

  it("classifies references", () => {
    expect(parseReference("aws_sg.x.id")).toEqual({ kind: "resource", mode: "managed", type: "aws_sg", name: "x", attribute: ["id"] });
    expect(parseReference('aws_sg.x["k"]')).toEqual({
      kind: "resource",
      mode: "managed",
      type: "aws_sg",
      name: "x",
      index: "k",
      attribute: [],
    });
    expect(parseReference("data.aws_ami.u.id")).toMatchObject({ kind: "resource", mode: "data", type: "aws_ami" });
    expect(parseReference("var.subnet_ids")).toEqual({ kind: "variable", name: "subnet_ids" });
    expect(parseReference("module.vpc.private_subnets")).toEqual({ kind: "module-output", module: "vpc", output: "private_subnets" });
    expect(parseReference("module.app[0].sg")).toEqual({ kind: "module-output", module: "app", index: 0, output: "sg" });
    expect(parseReference("local.x")).toEqual({ kind: "other", text: "local.x" });
    expect(parseReference("each.value")).toEqual({ kind: "other", text: "each.value" });
  });
});

describe("references", () => {
  it("a reference to a count resource links to all its instances; an indexed one to that instance", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_subnet.private[0]", index: 0, after: { cidr_block: "10.0.1.0/24" }, unknown: { id: true, vpc_id: true } },
          { address: "aws_subnet.private[1]", index: 1, after: { cidr_block: "10.0.2.0/24" }, unknown: { id: true, vpc_id: true } },
          { address: "aws_vpc_endpoint.ssm", after: { service_name: "com.amazonaws.us-east-1.ssm" }, unknown: { subnet_ids: true } },
          { address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" }, unknown: { subnet_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_subnet.private", {}, { count_expression: constant(2) }),
              resource("aws_vpc_endpoint.ssm", { subnet_ids: refs("aws_subnet.private") }),
              resource("aws_instance.a", { subnet_id: refs("aws_subnet.private[1].id", "aws_subnet.private[1]", "aws_subnet.private") }),
            ],
          },
        },
      }),
    );
    // Terraform lists every prefix of a traversal, so an indexed form beside the bare one names that instance.
    expect(keys(world.vpcEndpoints.get("aws_vpc_endpoint.ssm")!.subnets)).toEqual(["aws_subnet.private[0]", "aws_subnet.private[1]"]);
    expect(keys(world.instances.get("aws_instance.a")!.subnets)).toEqual(["aws_subnet.private[1]"]);
  });

  it("aws_sg.x.id and aws_sg.x are one reference; for_each instances keep their keys", () => {
    const world = load(
      plan({
        changes: [
          { address: 'aws_security_group.sg["a"]', index: "a", after: {}, unknown: { id: true } },
          { address: 'aws_security_group.sg["b"]', index: "b", after: {}, unknown: { id: true } },
          { address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" }, unknown: { vpc_security_group_ids: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_instance.a", { vpc_security_group_ids: refs('aws_security_group.sg["b"].id', 'aws_security_group.sg["b"]') }),
            ],
          },
        },
      }),
    );
    expect(keys(world.instances.get("aws_instance.a")!.securityGroups)).toEqual(['aws_security_group.sg["b"]']);
  });

  it("var. goes up through module arguments and module outputs go down, recursively", () => {
    const text = plan({
      changes: [
        { address: "module.net.aws_vpc.this", module: "module.net", after: { cidr_block: "10.0.0.0/16" }, unknown: { id: true } },
        {
          address: "module.net.aws_subnet.this",
          module: "module.net",
          after: { cidr_block: "10.0.1.0/24" },
          unknown: { id: true, vpc_id: true },
        },
        {
          address: 'module.app["web"].module.box.aws_instance.this',
          module: 'module.app["web"].module.box',
          after: { ami: "ami-0123456789abcdef0" },
          unknown: { subnet_id: true },
        },
      ],
      configuration: {
        root_module: {
          module_calls: {
            net: {
              source: "./net",
              module: {
                resources: [resource("aws_vpc.this"), resource("aws_subnet.this", { vpc_id: refs("aws_vpc.this.id", "aws_vpc.this") })],
                outputs: { subnet_id: { expression: refs("aws_subnet.this.id", "aws_subnet.this") } },
              },
            },
            app: {
              source: "./app",
              expressions: { subnet: refs("module.net.subnet_id", "module.net") },
              for_each_expression: constant(["web"]),
              module: {
                variables: { subnet: {} },
                module_calls: {
                  box: {
                    source: "./box",
                    expressions: { where: refs("var.subnet") },
                    module: { variables: { where: {} }, resources: [resource("aws_instance.this", { subnet_id: refs("var.where") })] },
                  },
                },
              },
            },
          },
        },
      },
    });
    const world = load(text);
    expect(keys(world.instances.get('module.app["web"].module.box.aws_instance.this')!.subnets)).toEqual(["module.net.aws_subnet.this"]);
    expect(world.subnets.get("module.net.aws_subnet.this")!.vpc).toMatchObject({ kind: "known", value: "module.net.aws_vpc.this" });
  });

  it("a variable with a value is a constant: an id of the plan is that element, another id is outside", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_subnet.existing", actions: ["no-op"], after: { id: "subnet-0aaa", cidr_block: "10.0.1.0/24" } },
          { address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" }, unknown: { subnet_id: true } },
          { address: "aws_instance.b", after: { ami: "ami-0123456789abcdef0", subnet_id: "subnet-0bbb" } },
        ],
        variables: { subnet: "subnet-0aaa" },
        configuration: {
          root_module: { variables: { subnet: {} }, resources: [resource("aws_instance.a", { subnet_id: refs("var.subnet") })] },
        },
      }),
    );
    expect(keys(world.instances.get("aws_instance.a")!.subnets)).toEqual(["aws_subnet.existing"]);
    const b = world.instances.get("aws_instance.b")!.subnets;
    expect(b.kind === "known" && b.value[0]).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: expect.stringContaining("subnet-0bbb") },
    });
  });

  it("aws_vpc.x.default_security_group_id is the VPC's default group; aws_default_security_group adopts it", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.main", after: { cidr_block: "10.0.0.0/16" }, unknown: { id: true, default_security_group_id: true } },
          { address: "aws_default_security_group.d", after: {}, unknown: { vpc_id: true, egress: true, ingress: true } },
          {
            address: "aws_vpc_endpoint.ssm",
            after: { service_name: "com.amazonaws.us-east-1.ssm" },
            unknown: { security_group_ids: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_vpc.main"),
              resource("aws_default_security_group.d", { vpc_id: refs("aws_vpc.main.id", "aws_vpc.main") }),
              resource("aws_vpc_endpoint.ssm", { security_group_ids: refs("aws_vpc.main.default_security_group_id", "aws_vpc.main") }),
            ],
          },
        },
      }),
    );
    expect(keys(world.vpcEndpoints.get("aws_vpc_endpoint.ssm")!.securityGroups)).toEqual(["aws_vpc.main#default-sg"]);
    const adopted = world.securityGroups.get("aws_vpc.main#default-sg")!;
    expect(adopted.origin.id).toBe("aws_default_security_group.d");
    expect(adopted.egress).toEqual([]);
    expect(adopted.egressManagement.mode).toBe("terraform-none");
    expect(adopted.egressManagement.basis).toMatch(/aws_default_security_group removes every rule/);
  });

  it("a reference that cannot be followed says why (locals are not in the plan JSON)", () => {
    const world = load(
      plan({
        changes: [{ address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" }, unknown: { subnet_id: true } }],
        configuration: { root_module: { resources: [resource("aws_instance.a", { subnet_id: refs("local.subnet") })] } },
      }),
    );
    const subnets = world.instances.get("aws_instance.a")!.subnets;
    expect(subnets.kind === "known" && subnets.value[0]).toMatchObject({
      kind: "unknown",
      reason: { message: expect.stringContaining("local.subnet") },
    });
  });
});
