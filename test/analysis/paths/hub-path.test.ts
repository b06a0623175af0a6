/**
 * Centralised endpoints (src/analysis/paths/hub-path.ts, hubs.ts): a private hosted zone, or a hub declared
 * in .ssm-doctor.yaml, sends the service's name to an endpoint in a hub VPC. The instance's side is judged
 * hop by hop; the hub's side is taken from a declaration in a template and is unknown otherwise.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { HubClaim } from "../../../src/analysis/evidence.js";
import { type Evidence, fail, pass, undecided } from "../../../src/analysis/verdict.js";
import { type HubDeclaration, known, unknown, type World } from "../../../src/model/index.js";
import { origin } from "../helpers.js";
import { addEndpoint, addRouteTable, codesOf, hopOf, hopsOf, pathOf, smallWorld, toGateway, update } from "./small-world.js";

const HUB: HubDeclaration = {
  name: "network-hub",
  attachments: ["tgw-hub"],
  cidr: "10.100.0.0/16",
  account: "444455556666",
  endpoints: ["ssm"],
  internet: false,
  file: ".ssm-doctor.yaml",
};
const TO_HUB = ["instance-sg-egress pass", "nacl-instance-outbound pass", "nacl-instance-inbound pass"];
const declared = (claim: HubClaim): Evidence => ({ code: "hub-declared", args: { hub: "network-hub", file: ".ssm-doctor.yaml", claim } });

function withZone(world: World, ownerAccount?: string): World {
  world.hostedZones.set("phz-ssm", {
    key: "phz-ssm",
    name: "phz-ssm",
    origin: origin("phz-ssm"),
    zoneName: known("ssm.us-east-1.amazonaws.com"),
    vpcs: known([known("vpc")]),
    ...(ownerAccount ? { ownerAccount } : {}),
  });
  return world;
}

/** The private subnet keeps its NAT route and sends the hub's range to a transit gateway. */
function routedToHub(world: World, destination = "10.100.0.0/16", transitGateway = "tgw-hub"): World {
  addRouteTable(world, "rt-private", [
    ["0.0.0.0/0", toGateway("nat-gateway", "nat")],
    [destination, { kind: "transit-gateway", id: transitGateway }],
  ]);
  return world;
}

let world: World;
beforeEach(() => {
  world = smallWorld();
});

describe("a private hosted zone for the service", () => {
  it("sends the name to the hub: the instance's side passes, the hub's side is unknown without a declaration", () => {
    routedToHub(withZone(world));
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "hosted-zone", verdict: "unknown" });
    expect(path.endpoint).toBeUndefined();
    expect(hopsOf(path)).toEqual(["hosted-zone pass", "vpc-dns-support pass", "route pass", ...TO_HUB, "hub-endpoint unknown"]);
    expect(hopOf(path, "hosted-zone")).toMatchObject({ subject: "phz-ssm", evidence: [{ code: "hosted-zone" }] });
    expect(hopOf(path, "route")).toEqual({
      id: "route",
      subject: "rt-private",
      ...pass([
        {
          code: "route-to-hub",
          args: { routeTable: "rt-private", destination: "10.100.0.0/16", target: { kind: "transit-gateway", id: "tgw-hub" } },
          origin: origin("rt-private-route-1"),
        },
      ]),
    });
    expect(hopOf(path, "hub-endpoint")).toEqual({
      id: "hub-endpoint",
      subject: "vpc",
      ...undecided([
        {
          code: "outside",
          message: "the ssm endpoint is in the hub, outside this input",
          decide:
            "in the hub's account: check its endpoint security group admits 10.0.0.0/16 on 443, its endpoint policy allows the agent's actions, and its network ACLs pass 443 and the replies",
        },
      ]),
    });
  });

  it("shared from the hub's account says which account, live", () => {
    const live = routedToHub(withZone(smallWorld({ source: "live" }), "444455556666"));
    expect(hopOf(pathOf(live, "ssm"), "hub-endpoint").unknowns?.[0]).toMatchObject({
      message: "the ssm endpoint is in the hub (account 444455556666), outside this account",
      decide: expect.stringMatching(/^in account 444455556666: /),
    });
  });

  it("without any route to a transit gateway or peering connection fails on the route", () => {
    withZone(world);
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "route")).toEqual({
      id: "route",
      subject: "rt-private",
      ...fail([{ code: "route-no-hub", args: { routeTable: "rt-private", destination: "the hub" }, origin: origin("rt-private") }]),
    });
    expect(path.verdict).toBe("fail");
  });

  it("with only a default route to the hub does not know the hub's range", () => {
    withZone(world);
    addRouteTable(world, "rt-private", [["0.0.0.0/0", { kind: "peering", id: "pcx-hub" }]]);
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "route").evidence[0]!.args).toEqual({
      routeTable: "rt-private",
      destination: "0.0.0.0/0",
      target: { kind: "peering", id: "pcx-hub" },
    });
    expect(hopOf(path, "route").verdict).toBe("pass");
  });

  it("is unknown on the route when a route, its destination or the table's routes are not known", () => {
    withZone(world);
    const conditional = { code: "condition" as const, message: "exists only when Spoke" };
    const nat = world.routeTables.get("rt-private")!.routes[0]!;
    update(world.routeTables, "rt-private", { routes: [{ ...nat, conditional }] });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([conditional]);
    update(world.routeTables, "rt-private", { routes: [{ ...nat, destination: unknown("parameter", "DestinationCidrBlock") }] });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([{ code: "parameter", message: "DestinationCidrBlock" }]);
    update(world.routeTables, "rt-private", { routes: [{ ...nat, target: unknown("computed", "target later") }] });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([{ code: "computed", message: "target later" }]);
    update(world.routeTables, "rt-private", { routes: [], routesComplete: false });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([
      { code: "outside", message: "the routes of rt-private are not all known" },
    ]);
    update(world.subnets, "private", { routeTable: known("rt-elsewhere") });
    expect(hopOf(pathOf(world, "ssm"), "route")).toMatchObject({ verdict: "unknown", subject: "private" });
  });

  it("behind DNS servers of the VPC's own adds the custom-dns hop", () => {
    routedToHub(withZone(world));
    world.dhcpOptions.set("dopt", { key: "dopt", name: "dopt", origin: origin("dopt"), domainNameServers: known(["10.0.0.10"]) });
    update(world.vpcs, "vpc", { dhcpOptions: known("dopt") });
    expect(hopsOf(pathOf(world, "ssm")).at(-1)).toBe("custom-dns unknown");
  });

  it("answered by the VPC's own endpoint stands for the endpoint's private DNS", () => {
    withZone(world);
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: known(false) });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "endpoint", endpoint: "vpce-ssm", verdict: "pass" });
    expect(hopsOf(path).slice(0, 3)).toEqual(["endpoint-type pass", "vpc-dns-support pass", "hosted-zone pass"]);
    expect(hopsOf(path)).not.toContain("vpc-dns-hostnames pass");
  });

  it("answered by an endpoint that stops at its type puts the zone after it", () => {
    withZone(world);
    update(world.routeTables, "rt-private", { routes: [] });
    addEndpoint(world, "vpce-ssm", "ssm", { endpointType: known("GatewayLoadBalancer") });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(["endpoint-type fail", "hosted-zone pass"]);
  });
});

describe("a declared hub", () => {
  it("behind a zone, in a template, is taken at its word for the hub's side", () => {
    routedToHub(withZone(world));
    const path = pathOf(world, "ssm", { hubs: [HUB] });
    expect(path).toMatchObject({ route: "hosted-zone", verdict: "pass" });
    expect(hopOf(path, "hub-endpoint")).toEqual({
      id: "hub-endpoint",
      ...pass([declared({ kind: "endpoint", service: "ssm" })]),
    });
  });

  it("behind a zone, live, is never taken at its word", () => {
    const live = routedToHub(withZone(smallWorld({ source: "live" })));
    const hub = hopOf(pathOf(live, "ssm", { hubs: [HUB] }), "hub-endpoint");
    expect(hub.verdict).toBe("unknown");
    expect(hub.unknowns?.[0]?.message).toBe("the ssm endpoint is in the hub network-hub (account 444455556666), outside this account");
  });

  it("answers the name for a spoke routed to it in a template, without a zone", () => {
    routedToHub(world);
    const path = pathOf(world, "ssm", { hubs: [HUB] });
    expect(path).toMatchObject({ route: "hosted-zone", verdict: "pass" });
    expect(hopsOf(path)).toEqual(["hosted-zone pass", "vpc-dns-support pass", "route pass", ...TO_HUB, "hub-endpoint pass"]);
    expect(hopOf(path, "hosted-zone")).toEqual({
      id: "hosted-zone",
      ...pass([declared({ kind: "hosted-zone", service: "ssm" })]),
    });
  });

  it("is not the way for a service it does not serve, a VPC not routed to it, a VPC with its own endpoint, or live", () => {
    routedToHub(world);
    expect(pathOf(world, "ssmmessages", { hubs: [HUB] }).route).toBe("internet");
    expect(pathOf(smallWorld(), "ssm", { hubs: [HUB] }).route).toBe("internet");
    const live = routedToHub(smallWorld({ source: "live" }));
    expect(pathOf(live, "ssm", { hubs: [HUB] }).route).toBe("internet");
    addEndpoint(world, "vpce-ssm", "ssm");
    expect(pathOf(world, "ssm", { hubs: [HUB] }).route).toBe("endpoint");
  });

  it("whose range the subnet routes elsewhere fails on the route", () => {
    withZone(world);
    const route = hopOf(pathOf(world, "ssm", { hubs: [HUB] }), "route");
    expect(route).toEqual({
      id: "route",
      subject: "rt-private",
      ...fail([
        {
          code: "route-not-to-hub",
          args: { routeTable: "rt-private", destination: "0.0.0.0/0", target: { kind: "nat-gateway", id: "nat" }, hub: "10.100.0.0/16" },
          origin: origin("rt-private-route-0"),
        },
      ]),
    });
  });

  it("whose range the subnet routes to a transit gateway the declaration does not name is unknown, saying how to decide", () => {
    routedToHub(withZone(world), "10.100.0.0/16", "tgw-other");
    const route = hopOf(pathOf(world, "ssm", { hubs: [HUB] }), "route");
    expect(route.verdict).toBe("unknown");
    expect(codesOf(route)).toEqual(["route-to-hub"]);
    expect(route.unknowns).toEqual([
      {
        code: "outside",
        message: "rt-private sends 10.100.0.0/16 to transit gateway tgw-other, which the declaration of the hub network-hub does not name",
        decide: "add tgw-other to the hub network-hub in .ssm-doctor.yaml, if it leads there",
      },
    ]);
  });

  it("routes by the longest prefix that holds all of the hub's range", () => {
    withZone(world);
    addRouteTable(world, "rt-private", [
      ["0.0.0.0/0", toGateway("nat-gateway", "nat")],
      ["10.0.0.0/8", { kind: "transit-gateway", id: "tgw-hub" }],
      ["10.100.0.0/24", toGateway("nat-gateway", "nat")],
    ]);
    expect(hopOf(pathOf(world, "ssm", { hubs: [HUB] }), "route").evidence[0]!.args).toHaveProperty("destination", "10.0.0.0/8");
  });

  it("whose range the subnet routes to an internet gateway fails, naming the gateway", () => {
    withZone(world);
    addRouteTable(world, "rt-private", [["0.0.0.0/0", toGateway("internet-gateway", "igw")]]);
    const ipv6 = {
      destination: known({ kind: "ipv6" as const, cidr: "2600::/16" }),
      target: known({ kind: "transit-gateway" as const, id: "tgw-hub" }),
      origin: origin("r"),
    };
    update(world.routeTables, "rt-private", { routes: [...world.routeTables.get("rt-private")!.routes, ipv6] });
    const route = hopOf(pathOf(world, "ssm", { hubs: [HUB] }), "route");
    expect(route.evidence[0]!.args).toMatchObject({ destination: "0.0.0.0/0", target: { kind: "internet-gateway", id: "igw" } });
  });

  it("is unknown when the route that holds its range has a target that is not known", () => {
    withZone(world);
    update(world.routeTables, "rt-private", {
      routes: [
        {
          destination: known({ kind: "ipv4" as const, cidr: "10.100.0.0/16" }),
          target: unknown("computed", "tgw later"),
          origin: origin("r"),
        },
      ],
    });
    expect(hopOf(pathOf(world, "ssm", { hubs: [HUB] }), "route").unknowns).toEqual([{ code: "computed", message: "tgw later" }]);
  });
});
