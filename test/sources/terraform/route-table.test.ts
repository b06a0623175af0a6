/** Route tables from plans: inline routes, aws_route, and the reference a computed target comes from. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint, load, plan, refs, resource, twoVpcs } from "./helpers.js";

describe("routes", () => {
  it("an inline route's computed NAT gateway id comes from the configuration's reference; aws_route adds to a table", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_nat_gateway.nat", after: { connectivity_type: "public" }, unknown: { id: true, subnet_id: true } },
          { address: "aws_internet_gateway.igw", after: {}, unknown: { id: true } },
          {
            address: "aws_route_table.private",
            after: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "", nat_gateway_id: "" }] },
            unknown: { id: true, route: [{ nat_gateway_id: true }] },
          },
          { address: "aws_route_table.public", after: {}, unknown: { id: true, route: true } },
          {
            address: "aws_route.public",
            after: { destination_cidr_block: "0.0.0.0/0" },
            unknown: { route_table_id: true, gateway_id: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_route_table.private", { route: refs("aws_nat_gateway.nat.id", "aws_nat_gateway.nat") }),
              resource("aws_route_table.public"),
              resource("aws_route.public", {
                route_table_id: refs("aws_route_table.public.id", "aws_route_table.public"),
                gateway_id: refs("aws_internet_gateway.igw.id", "aws_internet_gateway.igw"),
              }),
            ],
          },
        },
      }),
    );
    expect(world.routeTables.get("aws_route_table.private")!.routes.map((r) => r.target)).toMatchObject([
      { kind: "known", value: { kind: "nat-gateway", gateway: { kind: "known", value: "aws_nat_gateway.nat" } } },
    ]);
    expect(world.routeTables.get("aws_route_table.public")!.routes.map((r) => r.target)).toMatchObject([
      { kind: "known", value: { kind: "internet-gateway", gateway: { kind: "known", value: "aws_internet_gateway.igw" } } },
    ]);
  });

  it("one expression for several inline routes: each target takes the reference of its own kind", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_nat_gateway.nat", after: {}, unknown: { id: true } },
          { address: "aws_internet_gateway.igw", after: {}, unknown: { id: true } },
          {
            address: "aws_route_table.mixed",
            after: {
              route: [
                { cidr_block: "0.0.0.0/0", gateway_id: "", nat_gateway_id: null },
                { cidr_block: "192.168.0.0/16", gateway_id: null, nat_gateway_id: "" },
              ],
            },
            unknown: { id: true, route: [{ nat_gateway_id: true }, { gateway_id: true }] },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_route_table.mixed", {
                route: refs("aws_nat_gateway.nat.id", "aws_nat_gateway.nat", "aws_internet_gateway.igw.id", "aws_internet_gateway.igw"),
              }),
            ],
          },
        },
      }),
    );
    expect(world.routeTables.get("aws_route_table.mixed")!.routes.map((r) => r.target)).toMatchObject([
      { value: { kind: "nat-gateway", gateway: { kind: "known", value: "aws_nat_gateway.nat" } } },
      { value: { kind: "internet-gateway", gateway: { kind: "known", value: "aws_internet_gateway.igw" } } },
    ]);
  });
});

describe("route table associations whose subnet the plan cannot follow", () => {
  // fixtures/terraform/route-table-subnet-from-data-source: the table to the NAT gateway is the VPC's main table;
  // a table without routes is associated with a subnet named by a data.aws_subnet read at apply.
  const fixture = readFileSync(
    join(import.meta.dirname, "../../../fixtures/terraform/route-table-subnet-from-data-source/plan.json"),
    "utf8",
  );

  it("the subnets of the table's VPC without a table of their own may be that one: their table is not known", () => {
    const world = load(fixture);
    expect(world.subnets.get("aws_subnet.private")!.routeTable).toMatchObject({
      kind: "unknown",
      reason: {
        message:
          "subnet_id of aws_route_table_association.isolated is not known: data.aws_subnet.isolated is read from the account when Terraform applies; this subnet may be associated with aws_route_table.isolated",
      },
    });
    // The public subnet has its own association.
    expect(world.subnets.get("aws_subnet.public")!.routeTable).toMatchObject({ kind: "known", value: "aws_route_table.public" });
  });

  it("the path is unknown and the instance does not pass", () => {
    const result = lint(fixture);
    expect(result.findings.find((f) => f.ruleId === "SD201")?.verdict).toBe("unknown");
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
  });

  it("an association the configuration does not describe may name a subnet of any VPC, with the computed reason", () => {
    const two = twoVpcs();
    const world = load(
      plan({
        changes: [
          ...two.changes,
          { address: "aws_route_table.t", after: {}, unknown: { id: true, vpc_id: true } },
          { address: "aws_route_table_association.x", after: {}, unknown: { id: true, subnet_id: true, route_table_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [...two.resources, resource("aws_route_table.t", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") })],
          },
        },
      }),
    );
    for (const subnet of ["aws_subnet.a", "aws_subnet.c"])
      expect(world.subnets.get(subnet)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: {
          message: "subnet_id of aws_route_table_association.x is known only after apply; this subnet may be associated with a route table",
        },
      });
  });

  it("an association in a VPC the plan does not make leaves the plan's own VPCs alone", () => {
    // aws_subnet.e is made in an existing VPC (a literal id), as is the table the association names.
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.v", after: {}, unknown: { id: true } },
          { address: "aws_subnet.a", after: {}, unknown: { id: true, vpc_id: true } },
          { address: "aws_subnet.e", after: { vpc_id: "vpc-0123456789abcdef0" }, unknown: { id: true } },
          { address: "aws_route_table.t", after: { vpc_id: "vpc-0123456789abcdef0" }, unknown: { id: true } },
          { address: "data.aws_subnet.s", after: {}, unknown: { id: true } },
          { address: "aws_route_table_association.x", after: {}, unknown: { id: true, subnet_id: true, route_table_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_subnet.a", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("aws_subnet.e", { vpc_id: { constant_value: "vpc-0123456789abcdef0" } }),
              resource("aws_route_table.t", { vpc_id: { constant_value: "vpc-0123456789abcdef0" } }),
              resource("data.aws_subnet.s"),
              resource("aws_route_table_association.x", {
                route_table_id: refs("aws_route_table.t.id", "aws_route_table.t"),
                subnet_id: refs("data.aws_subnet.s.id", "data.aws_subnet.s"),
              }),
            ],
          },
        },
      }),
    );
    expect(world.subnets.get("aws_subnet.a")!.routeTable).toMatchObject({
      kind: "known",
      value: "aws_vpc.v#main-rtb",
      provenance: "default",
    });
    expect(world.subnets.get("aws_subnet.e")!.routeTable).toMatchObject({
      kind: "unknown",
      reason: {
        message:
          "subnet_id of aws_route_table_association.x is not known: data.aws_subnet.s is read from the account when Terraform applies; this subnet may be associated with aws_route_table.t",
      },
    });
  });

  it("a VPC of the plan that exists already may hold a table the plan does not make", () => {
    // aws_vpc.v is in the plan with its id (no change); the association names a table by its id.
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.v", actions: ["no-op"], after: { id: "vpc-0aaa" } },
          { address: "aws_vpc.n", after: {}, unknown: { id: true } },
          { address: "aws_subnet.a", after: { vpc_id: "vpc-0aaa" }, unknown: { id: true } },
          { address: "aws_subnet.b", after: {}, unknown: { id: true, vpc_id: true } },
          { address: "data.aws_subnet.s", after: {}, unknown: { id: true } },
          { address: "aws_route_table_association.x", after: { route_table_id: "rtb-0111" }, unknown: { id: true, subnet_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_subnet.a", { vpc_id: { constant_value: "vpc-0aaa" } }),
              resource("aws_subnet.b", { vpc_id: refs("aws_vpc.n.id", "aws_vpc.n") }),
              resource("data.aws_subnet.s"),
              resource("aws_route_table_association.x", {
                route_table_id: { constant_value: "rtb-0111" },
                subnet_id: refs("data.aws_subnet.s.id", "data.aws_subnet.s"),
              }),
            ],
          },
        },
      }),
    );
    expect(world.subnets.get("aws_subnet.a")!.routeTable).toMatchObject({
      kind: "unknown",
      reason: { message: expect.stringMatching(/^subnet_id of aws_route_table_association\.x is not known/) },
    });
    // A VPC the plan creates cannot hold a table that exists already.
    expect(world.subnets.get("aws_subnet.b")!.routeTable).toMatchObject({ kind: "known", value: "aws_vpc.n#main-rtb" });
  });
});

describe("route table associations that name their subnet by each.value", () => {
  it("for_each over a resource's instances: each subnet may be any association's, not on the main table for certain", () => {
    // fixtures/terraform/for-each-route-table-associations: for_each = aws_subnet.private, subnet_id = each.value.id.
    const world = load(
      readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/for-each-route-table-associations/plan.json"), "utf8"),
    );
    for (const key of ["a", "b"])
      expect(world.subnets.get(`aws_subnet.private["${key}"]`)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: {
          message: expect.stringContaining(
            "one of the 2 instances of the for_each of aws_route_table_association.isolated, picked by each.value",
          ),
        },
      });
    expect(world.subnets.get("aws_subnet.public")!.routeTable).toMatchObject({ kind: "known", value: "aws_route_table.public" });
  });

  it("for_each over a map of several subnets: each may be any of them, and a subnet it does not name keeps its table", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.v", after: {}, unknown: { id: true } },
          ...["a", "b", "c"].map((s) => ({ address: `aws_subnet.${s}`, after: {}, unknown: { id: true, vpc_id: true } })),
          { address: "aws_route_table.t", after: {}, unknown: { id: true, vpc_id: true } },
          ...["x", "y"].map((k) => ({
            address: `aws_route_table_association.n["${k}"]`,
            index: k,
            after: {},
            unknown: { id: true, subnet_id: true, route_table_id: true },
          })),
        ],
        configuration: {
          root_module: {
            resources: [
              ...["a", "b", "c"].map((s) => resource(`aws_subnet.${s}`, { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") })),
              resource("aws_route_table.t", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource(
                "aws_route_table_association.n",
                { route_table_id: refs("aws_route_table.t.id", "aws_route_table.t"), subnet_id: refs("each.value.id", "each.value") },
                { for_each_expression: refs("aws_subnet.a", "aws_subnet.b") },
              ),
            ],
          },
        },
      }),
    );
    for (const s of ["a", "b"])
      expect(world.subnets.get(`aws_subnet.${s}`)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: {
          message: expect.stringContaining("one of the 2 instances of the for_each of aws_route_table_association.n, picked by each.value"),
        },
      });
    expect(world.subnets.get("aws_subnet.c")!.routeTable).toMatchObject({ kind: "known", value: "aws_vpc.v#main-rtb" });
  });

  /** `count = N` on aws_subnet.a and on an association naming `aws_subnet.a[count.index].id`; aws_subnet.b beside them. */
  const countPicked = (n: number) =>
    load(
      plan({
        changes: [
          { address: "aws_vpc.v", after: {}, unknown: { id: true } },
          ...Array.from({ length: n }, (_, i) => ({
            address: `aws_subnet.a[${i}]`,
            index: i,
            after: {},
            unknown: { id: true, vpc_id: true },
          })),
          { address: "aws_subnet.b", after: {}, unknown: { id: true, vpc_id: true } },
          { address: "aws_route_table.t", after: {}, unknown: { id: true, vpc_id: true } },
          ...Array.from({ length: n }, (_, i) => ({
            address: `aws_route_table_association.x[${i}]`,
            index: i,
            after: {},
            unknown: { id: true, subnet_id: true, route_table_id: true },
          })),
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_subnet.a", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("aws_subnet.b", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("aws_route_table.t", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
              resource("aws_route_table_association.x", {
                route_table_id: refs("aws_route_table.t.id", "aws_route_table.t"),
                subnet_id: refs("aws_subnet.a", "count.index"),
              }),
            ],
          },
        },
      }),
    );

  it("count.index among one instance decides it: the subnet is named, and a subnet beside it keeps its table", () => {
    // `count = var.on ? 1 : 0` on both.
    const world = countPicked(1);
    expect(world.subnets.get("aws_subnet.a[0]")!.routeTable).toMatchObject({ kind: "known", value: "aws_route_table.t" });
    expect(world.subnets.get("aws_subnet.b")!.routeTable).toMatchObject({ kind: "known", value: "aws_vpc.v#main-rtb" });
  });

  it("count.index among several instances: those are candidates, and a subnet beside them keeps its table", () => {
    const world = countPicked(2);
    for (const i of [0, 1])
      expect(world.subnets.get(`aws_subnet.a[${i}]`)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: { message: expect.stringContaining("one of the 2 instances of aws_subnet.a, picked by count.index") },
      });
    expect(world.subnets.get("aws_subnet.b")!.routeTable).toMatchObject({ kind: "known", value: "aws_vpc.v#main-rtb" });
  });
});
