/** Route tables from plans: inline routes, aws_route, and the reference a computed target comes from. */
import { describe, expect, it } from "vitest";
import { load, plan, refs, resource } from "./helpers.js";

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
