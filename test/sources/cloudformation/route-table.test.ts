import { describe, expect, it } from "vitest";
import { load, NETWORK_TEMPLATE, v } from "./helpers.js";

describe("route tables and routes", () => {
  const world = load(NETWORK_TEMPLATE);

  it("reads internet gateway and NAT routes", () => {
    const pub = world.routeTables.get("PublicRt")!;
    expect(pub).toMatchObject({ isMain: false, routesComplete: true });
    expect(pub.routes).toHaveLength(1);
    expect(v(pub.routes[0]!.destination)).toEqual({ kind: "ipv4", cidr: "0.0.0.0/0" });
    const target = v(pub.routes[0]!.target);
    expect(target.kind === "internet-gateway" && v(target.gateway)).toBe("Igw");
    expect(pub.routes[0]!.origin.pointer).toBe("/Resources/PublicDefault");
    expect(v(world.internetGateways.get("Igw")!.vpc)).toBe("Vpc");
  });

  it("reads other targets, keeps conditional routes marked, drops false ones, ignores outside tables", () => {
    const routes = world.routeTables.get("PrivateRt")!.routes;
    expect(routes.map((r) => v(r.target).kind)).toEqual(["nat-gateway", "transit-gateway", "internet-gateway"]);
    const nat = v(routes[0]!.target);
    expect(nat.kind === "nat-gateway" && v(nat.gateway)).toBe("Nat");
    expect(v(routes[1]!.target)).toEqual({ kind: "transit-gateway", id: "tgw-0123" });
    expect(routes[1]!.conditional).toMatchObject({ code: "condition" });
    const literalIgw = v(routes[2]!.target);
    expect(literalIgw.kind === "internet-gateway" && literalIgw.gateway).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(v(routes[2]!.destination)).toEqual({ kind: "ipv6", cidr: "::/0" });
  });

  it("reads NAT gateways with the public default", () => {
    const nat = world.natGateways.get("Nat")!;
    expect(v(nat.subnet)).toBe("Public");
    expect(nat.connectivity).toEqual({ kind: "known", value: "public", provenance: "default" });
  });
});
