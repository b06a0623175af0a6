/**
 * The way to a service's public address (src/analysis/paths/internet-path.ts, routes.ts): the subnet's
 * route to a NAT gateway or an internet gateway, the public IP, the VPC resolver, the instance's security
 * groups and the ACLs of the instance's and the NAT gateway's subnets. No endpoint in these worlds.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { targetFacts } from "../../../src/analysis/paths/routes.js";
import { routeTargetText } from "../../../src/analysis/reason-text.js";
import { fail, pass, undecided } from "../../../src/analysis/verdict.js";
import { type HubDeclaration, known, type RouteTarget, unknown, type World } from "../../../src/model/index.js";
import { entry, list, origin } from "../helpers.js";
import { addAcl, addRouteTable, codesOf, hopOf, hopsOf, pathOf, reasonCodesOf, smallWorld, toGateway, update } from "./small-world.js";

const TO_THE_INTERNET = ["instance-sg-egress pass", "nacl-instance-outbound pass", "nacl-instance-inbound pass"];
/** The NAT gateway's subnet serves the instance (in, out), then is a client of the internet (out, in). */
const NAT_SUBNET = ["nacl-nat-inbound pass", "nacl-nat-outbound pass", "nacl-nat-outbound pass", "nacl-nat-inbound pass"];

let world: World;
beforeEach(() => {
  world = smallWorld();
});

describe("through a NAT gateway", () => {
  it("passes every hop, with the default route and the NAT subnet's route to the internet gateway as evidence", () => {
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ service: "ssm", route: "internet", verdict: "pass" });
    expect(path.endpoint).toBeUndefined();
    expect(hopsOf(path)).toEqual(["route pass", "nat-gateway pass", ...TO_THE_INTERNET, ...NAT_SUBNET]);
    expect(hopOf(path, "route")).toEqual({
      id: "route",
      subject: "rt-private",
      ...pass([{ code: "route-default", args: { routeTable: "rt-private" }, origin: origin("rt-private-route-0") }]),
    });
    expect(hopOf(path, "nat-gateway")).toEqual({
      id: "nat-gateway",
      subject: "nat",
      ...pass([{ code: "route-to-igw", args: { routeTable: "rt-public", gateway: "igw" } }]),
    });
    expect(hopOf(path, "nacl-nat-inbound", 1).evidence[0]!.args).toMatchObject({ direction: "inbound" });
  });

  it("in the instance's own subnet fails (that subnet routes back to it) and adds no NAT subnet legs", () => {
    update(world.natGateways, "nat", { subnet: known("private") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["route pass", "nat-gateway fail", ...TO_THE_INTERNET]);
    expect(codesOf(hopOf(path, "nat-gateway"))).toEqual(["nat-without-igw", "nat-subnet-not-public"]);
  });

  it("that is private fails: it never reaches the internet", () => {
    update(world.natGateways, "nat", { connectivity: known("private") });
    const path = pathOf(world, "ssm");
    expect(path.verdict).toBe("fail");
    expect(hopOf(path, "nat-gateway")).toEqual({
      id: "nat-gateway",
      subject: "nat",
      ...fail([{ code: "nat-private", args: { gateway: "nat" }, origin: origin("nat") }]),
    });
    expect(hopsOf(path)).toEqual(["route pass", "nat-gateway fail", ...TO_THE_INTERNET]);
  });

  it("whose subnet routes nowhere fails on the NAT subnet's route table, saying so first", () => {
    update(world.routeTables, "rt-public", { routes: [] });
    const nat = hopOf(pathOf(world, "ssm"), "nat-gateway");
    expect(nat).toMatchObject({ verdict: "fail", subject: "rt-public" });
    expect(codesOf(nat)).toEqual(["nat-without-igw", "route-missing"]);
    expect(nat.evidence[0]!.args).toEqual({ gateway: "nat", subnet: "public", routeTable: "rt-public" });
  });

  it("whose subnet uses the main route table points the fix at the subnet", () => {
    update(world.routeTables, "rt-public", { routes: [], isMain: true });
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway").subject).toBe("public");
  });

  it("whose subnet routes to a detached internet gateway fails on the gateway", () => {
    update(world.internetGateways, "igw", { vpc: known(null) });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path).slice(0, 2)).toEqual(["route pass", "internet-gateway fail"]);
    expect(hopOf(path, "internet-gateway")).toEqual({
      id: "internet-gateway",
      subject: "igw",
      ...fail([{ code: "igw-detached", args: { gateway: "igw" }, origin: origin("igw") }]),
    });
  });

  it("whose subnet routes to another NAT gateway fails: the NAT gateway's subnet is not public", () => {
    update(world.routeTables, "rt-public", { routes: world.routeTables.get("rt-private")!.routes });
    const nat = hopOf(pathOf(world, "ssm"), "nat-gateway");
    expect(nat.verdict).toBe("fail");
    expect(nat.evidence.map((e) => [e.code, "target" in e.args ? e.args.target : undefined])).toEqual([
      ["nat-without-igw", undefined],
      ["nat-subnet-not-public", "nat-gateway"],
    ]);
  });

  it("whose subnet routes to a network the input does not show is unknown (centralised egress)", () => {
    const outside: [RouteTarget, string][] = [
      [{ kind: "transit-gateway", id: "tgw-1" }, "transit gateway tgw-1"],
      [{ kind: "peering", id: "pcx-1" }, "peering connection pcx-1"],
      [{ kind: "virtual-private-gateway", id: "vgw-1" }, "virtual private gateway vgw-1"],
      [{ kind: "instance", id: "i-nat" }, "instance i-nat (a NAT instance?)"],
      [{ kind: "network-interface", id: "eni-1" }, "network interface eni-1"],
      [{ kind: "other", description: "a core network" }, "a core network"],
    ];
    for (const [target, text] of outside) {
      world = smallWorld();
      addRouteTable(world, "rt-public", [["0.0.0.0/0", target]]);
      const nat = hopOf(pathOf(world, "ssm"), "nat-gateway");
      expect(nat.verdict).toBe("unknown");
      expect(nat.evidence).toEqual([{ code: "route-elsewhere", args: { routeTable: "rt-public", target: targetFacts(target) } }]);
      expect(routeTargetText(targetFacts(target))).toBe(text);
      expect(reasonCodesOf(nat)).toEqual(["outside"]);
    }
  });

  it("that is not in the input, or whose subnet or route table is not, is unknown", () => {
    update(world.routeTables, "rt-private", { routes: [] });
    addRouteTable(world, "rt-private", [["0.0.0.0/0", toGateway("nat-gateway", "nat-elsewhere")]]);
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway")).toEqual({
      id: "nat-gateway",
      ...undecided([{ code: "outside", message: "NAT gateway nat-elsewhere is not defined in this input" }]),
    });
    world = smallWorld();
    update(world.natGateways, "nat", { subnet: unknown("computed", "subnet later") });
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway")).toEqual({
      id: "nat-gateway",
      subject: "nat",
      ...undecided([{ code: "computed", message: "subnet later" }]),
    });
    world = smallWorld();
    update(world.subnets, "public", { routeTable: known("rt-elsewhere") });
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway").unknowns).toEqual([
      { code: "outside", message: "route table rt-elsewhere is not defined in this input" },
    ]);
  });

  it("whose subnet's internet gateway is not in the input, or its attachment not known, is unknown", () => {
    update(world.routeTables, "rt-public", { routes: [] });
    addRouteTable(world, "rt-public", [["0.0.0.0/0", toGateway("internet-gateway", "igw-elsewhere")]]);
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway").unknowns).toEqual([
      { code: "outside", message: "internet gateway igw-elsewhere is not defined in this input" },
    ]);
    world = smallWorld();
    update(world.internetGateways, "igw", { vpc: unknown("computed", "attachment later") });
    expect(hopOf(pathOf(world, "ssm"), "nat-gateway").unknowns).toEqual([{ code: "computed", message: "attachment later" }]);
  });

  it("checks the NAT gateway's subnet ACL both as the instance's server and as the internet's client", () => {
    addAcl(world, "acl-public", [
      entry(100, false, "allow", "10.0.1.0/24", "tcp", [443, 443]),
      entry(110, false, "allow", "0.0.0.0/0", "tcp", [1024, 65535]),
      entry(100, true, "allow", "0.0.0.0/0", "tcp", [443, 443]),
    ]);
    update(world.subnets, "public", { networkAcl: known("acl-public") });
    const path = pathOf(world, "ssm");
    // Out to the instance's ephemeral ports is not allowed: only 443 leaves the NAT gateway's subnet.
    expect(hopsOf(path).slice(-4)).toEqual([
      "nacl-nat-inbound pass",
      "nacl-nat-outbound fail",
      "nacl-nat-outbound pass",
      "nacl-nat-inbound pass",
    ]);
    expect(hopOf(path, "nacl-nat-outbound").evidence[0]!.args).toMatchObject({
      acl: "acl-public",
      direction: "outbound",
      ports: "32768-65535",
    });
  });
});

describe("through an internet gateway", () => {
  beforeEach(() => {
    update(world.instances, "i-app", { subnets: list(["public"]) });
  });

  it("passes with the subnet's public IP on launch, and the public IP hop names the subnet", () => {
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "internet", verdict: "pass" });
    expect(hopsOf(path)).toEqual(["route pass", "internet-gateway pass", "public-ip pass", ...TO_THE_INTERNET]);
    expect(hopOf(path, "internet-gateway")).toEqual({
      id: "internet-gateway",
      subject: "igw",
      ...pass([{ code: "route-to-igw", args: { routeTable: "rt-public", gateway: "igw" } }]),
    });
    expect(hopOf(path, "public-ip").subject).toBe("public");
  });

  it("judges the instance's own public IP setting before the subnet's", () => {
    update(world.instances, "i-app", { associatePublicIp: known(true) });
    update(world.subnets, "public", { mapPublicIpOnLaunch: known(false) });
    expect(hopOf(pathOf(world, "ssm"), "public-ip")).toEqual({ id: "public-ip", subject: "i-app", ...pass() });
    update(world.instances, "i-app", { associatePublicIp: known(false) });
    expect(hopOf(pathOf(world, "ssm"), "public-ip")).toEqual({
      id: "public-ip",
      subject: "i-app",
      ...fail([{ code: "no-public-ip", args: { instance: "i-app", setting: "explicit" }, origin: origin("i-app") }]),
    });
    update(world.instances, "i-app", { associatePublicIp: unknown("computed", "later") });
    expect(hopOf(pathOf(world, "ssm"), "public-ip")).toMatchObject({ verdict: "unknown", subject: "i-app" });
  });

  it("fails without a public IP from the subnet, and is unknown when the subnet's setting is not known", () => {
    update(world.subnets, "public", { mapPublicIpOnLaunch: known(false) });
    expect(hopOf(pathOf(world, "ssm"), "public-ip")).toEqual({
      id: "public-ip",
      subject: "public",
      ...fail([{ code: "no-public-ip", args: { instance: "i-app", subnet: "public", setting: "subnet" }, origin: origin("public") }]),
    });
    update(world.subnets, "public", { mapPublicIpOnLaunch: unknown("computed", "later") });
    expect(hopOf(pathOf(world, "ssm"), "public-ip")).toMatchObject({ verdict: "unknown", subject: "public" });
  });

  it("fails on a gateway attached elsewhere, and is unknown on one not in the input or not known to be attached", () => {
    update(world.internetGateways, "igw", { vpc: known("vpc-other") });
    expect(hopOf(pathOf(world, "ssm"), "internet-gateway")).toMatchObject({ verdict: "fail", subject: "igw" });
    update(world.internetGateways, "igw", { vpc: unknown("computed", "attachment later") });
    expect(hopOf(pathOf(world, "ssm"), "internet-gateway")).toMatchObject({ verdict: "unknown", subject: "igw" });
    addRouteTable(world, "rt-public", [["0.0.0.0/0", toGateway("internet-gateway", "igw-elsewhere")]]);
    expect(hopOf(pathOf(world, "ssm"), "internet-gateway")).toEqual({
      id: "internet-gateway",
      ...undecided([{ code: "outside", message: "internet gateway igw-elsewhere is not defined in this input" }]),
    });
  });
});

describe("the subnet's route", () => {
  it("missing fails the path (route none) and still judges the instance's egress", () => {
    update(world.routeTables, "rt-private", { routes: [] });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "none", verdict: "fail" });
    expect(hopsOf(path)).toEqual(["route fail", "instance-sg-egress pass"]);
    expect(hopOf(path, "route")).toEqual({
      id: "route",
      subject: "rt-private",
      ...fail([{ code: "route-missing", args: { routeTable: "rt-private" }, origin: origin("rt-private") }]),
    });
  });

  it("of a subnet on the main route table points the fix at the subnet", () => {
    update(world.subnets, "private", { routeTable: known("rt-main") });
    expect(hopOf(pathOf(world, "ssm"), "route").subject).toBe("private");
  });

  it("of a table whose routes are not all known, or not known, is unknown (route unknown)", () => {
    update(world.routeTables, "rt-private", { routes: [], routesComplete: false });
    let path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "unknown", verdict: "unknown" });
    expect(hopOf(path, "route").unknowns).toEqual([{ code: "outside", message: "the routes of rt-private are not all known" }]);
    update(world.routeTables, "rt-private", {
      routes: [
        { destination: unknown("parameter", "DestinationCidrBlock"), target: known(toGateway("nat-gateway", "nat")), origin: origin("r") },
      ],
    });
    path = pathOf(world, "ssm");
    expect(hopOf(path, "route").unknowns).toEqual([{ code: "parameter", message: "DestinationCidrBlock" }]);
  });

  it("to a target that is not known is unknown; a conditional default route leaves the way unknown", () => {
    update(world.routeTables, "rt-private", {
      routes: [
        {
          destination: known({ kind: "ipv4" as const, cidr: "0.0.0.0/0" }),
          target: unknown("computed", "gateway later"),
          origin: origin("r"),
        },
      ],
    });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([{ code: "computed", message: "gateway later" }]);
    const conditional = { code: "condition" as const, message: "exists only when IsProd" };
    update(world.routeTables, "rt-private", {
      routes: [{ ...world.routeTables.get("rt-public")!.routes[0]!, target: known(toGateway("nat-gateway", "nat")), conditional }],
    });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([conditional]);
  });

  it("of a table not in the input is unknown on the subnet", () => {
    update(world.subnets, "private", { routeTable: known("rt-elsewhere") });
    const path = pathOf(world, "ssm");
    expect(path.route).toBe("unknown");
    expect(hopsOf(path)).toEqual(["route unknown", "instance-sg-egress pass"]);
    expect(hopOf(path, "route").subject).toBe("private");
  });

  it("to a network the input does not show is unknown, naming where it goes", () => {
    const targets: [RouteTarget, string][] = [
      [{ kind: "transit-gateway", id: "tgw-1" }, "transit gateway tgw-1"],
      [{ kind: "vpc-endpoint", id: "vpce-fw" }, "VPC endpoint vpce-fw"],
      [{ kind: "egress-only-internet-gateway" }, "an egress-only internet gateway (IPv6 only)"],
      [{ kind: "local" }, "the local VPC"],
    ];
    for (const [target, text] of targets) {
      addRouteTable(world, "rt-private", [["0.0.0.0/0", target]]);
      const path = pathOf(world, "ssm");
      expect(path).toMatchObject({ route: "unknown", verdict: "unknown" });
      expect(hopsOf(path)).toEqual(["route pass", "route unknown", "instance-sg-egress pass"]);
      const elsewhere = hopOf(path, "route", 1);
      expect(elsewhere.subject).toBe("rt-private");
      expect(elsewhere.evidence).toEqual([{ code: "route-elsewhere", args: { routeTable: "rt-private", target: targetFacts(target) } }]);
      expect(routeTargetText(targetFacts(target))).toBe(text);
    }
  });

  it("to a transit gateway of a hub declared for egress passes on the declaration in a template, and is unknown live", () => {
    const hub: HubDeclaration = {
      name: "egress-hub",
      attachments: ["tgw-1"],
      account: "111122223333",
      endpoints: [],
      internet: true,
      file: ".ssm-doctor.yaml",
    };
    addRouteTable(world, "rt-private", [["0.0.0.0/0", { kind: "transit-gateway", id: "tgw-1" }]]);
    const path = pathOf(world, "ssm", { hubs: [hub] });
    expect(path).toMatchObject({ route: "internet", verdict: "pass" });
    expect(hopsOf(path)).toEqual(["route pass", "hub-egress pass", ...TO_THE_INTERNET]);
    expect(hopOf(path, "hub-egress").evidence).toEqual([
      {
        code: "hub-declared",
        args: {
          hub: "egress-hub",
          file: ".ssm-doctor.yaml",
          claim: { kind: "egress", via: { kind: "transit-gateway", id: "tgw-1" }, fromSpokes: true },
        },
      },
    ]);
    const live = smallWorld({ source: "live" });
    addRouteTable(live, "rt-private", [["0.0.0.0/0", { kind: "transit-gateway", id: "tgw-1" }]]);
    const hopLive = hopOf(pathOf(live, "ssm", { hubs: [hub] }), "hub-egress");
    expect(hopLive).toMatchObject({ verdict: "unknown", subject: "vpc" });
    expect(hopLive.unknowns?.[0]?.decide).toBe(
      "in account 111122223333: check that the hub sends 10.0.0.0/16 on to the internet (NAT gateway, firewall) for TCP 443",
    );
  });

  it("to a hub declared for egress without an account, live, says the hub's account", () => {
    const hub: HubDeclaration = { name: "egress-hub", attachments: ["pcx-1"], endpoints: [], internet: true, file: ".ssm-doctor.yaml" };
    const live = smallWorld({ source: "live" });
    addRouteTable(live, "rt-private", [["0.0.0.0/0", { kind: "peering", id: "pcx-1" }]]);
    expect(hopOf(pathOf(live, "ssm", { hubs: [hub] }), "hub-egress").unknowns).toEqual([
      {
        code: "outside",
        message: "the way on from peering connection pcx-1 to the internet is in the hub egress-hub, outside this account",
        decide: "in the hub's account: check that the hub sends 10.0.0.0/16 on to the internet (NAT gateway, firewall) for TCP 443",
      },
    ]);
  });
});

describe("routes that do not decide", () => {
  it("IPv6 destinations, and a gateway endpoint's prefix list, leave the default route alone", () => {
    const route = (destination: { kind: "ipv6"; cidr: string } | { kind: "prefix-list"; id: string }, target: RouteTarget) => ({
      destination: known(destination),
      target: known(target),
      origin: origin("r"),
    });
    const nat = world.routeTables.get("rt-private")!.routes[0]!;
    update(world.routeTables, "rt-private", {
      routes: [
        route({ kind: "ipv6", cidr: "::/0" }, { kind: "transit-gateway", id: "tgw-1" }),
        route({ kind: "prefix-list", id: "pl-s3" }, { kind: "vpc-endpoint", id: "vpce-s3" }),
        nat,
      ],
    });
    expect(pathOf(world, "ssm")).toMatchObject({ route: "internet", verdict: "pass" });
  });

  it("a customer prefix list routed elsewhere may hold the service's address: the route is unknown", () => {
    const nat = world.routeTables.get("rt-private")!.routes[0]!;
    update(world.routeTables, "rt-private", {
      routes: [
        {
          destination: known({ kind: "prefix-list" as const, id: "pl-1" }),
          target: known({ kind: "transit-gateway", id: "tgw-1" } as RouteTarget),
          origin: origin("r"),
        },
        nat,
      ],
    });
    expect(pathOf(world, "ssm").verdict).toBe("unknown");
  });

  it("a conditional route to a public range leaves the route to the service's address unknown", () => {
    const conditional = { code: "condition" as const, message: "exists only when Inspect" };
    const nat = world.routeTables.get("rt-private")!.routes[0]!;
    update(world.routeTables, "rt-private", {
      routes: [
        nat,
        {
          destination: known({ kind: "ipv4" as const, cidr: "52.0.0.0/8" }),
          target: known(toGateway("nat-gateway", "nat")),
          origin: origin("r"),
          conditional,
        },
      ],
    });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([conditional]);
  });
});

describe("the VPC resolver", () => {
  it("without DNS support fails the internet path when the Amazon-provided DNS answers", () => {
    update(world.vpcs, "vpc", { enableDnsSupport: known(false) });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["route pass", "nat-gateway pass", "vpc-dns-support fail", ...TO_THE_INTERNET, ...NAT_SUBNET]);
    expect(hopOf(path, "vpc-dns-support").subject).toBe("vpc");
  });

  it("is not needed with DNS servers of the VPC's own, and is unknown when the DHCP options are not known", () => {
    update(world.vpcs, "vpc", { enableDnsSupport: known(false), dhcpOptions: known("dopt") });
    world.dhcpOptions.set("dopt", { key: "dopt", name: "dopt", origin: origin("dopt"), domainNameServers: known(["10.0.0.10"]) });
    expect(hopsOf(pathOf(world, "ssm"))).not.toContain("vpc-dns-support fail");
    world.dhcpOptions.set("dopt", { key: "dopt", name: "dopt", origin: origin("dopt"), domainNameServers: known(["AmazonProvidedDNS"]) });
    expect(hopOf(pathOf(world, "ssm"), "vpc-dns-support").verdict).toBe("fail");
    world.dhcpOptions.set("dopt", {
      key: "dopt",
      name: "dopt",
      origin: origin("dopt"),
      domainNameServers: unknown("computed", "servers later"),
    });
    const resolver = hopOf(pathOf(world, "ssm"), "vpc-dns-support");
    expect(resolver.verdict).toBe("unknown");
    expect(resolver.unknowns).toEqual([
      {
        code: "computed",
        message: "vpc has enableDnsSupport false, and whether its DHCP options name DNS servers of their own is not known (servers later)",
      },
    ]);
    expect(codesOf(resolver)).toEqual(["vpc-attribute-false"]);
    world.dhcpOptions.delete("dopt");
    expect(hopOf(pathOf(world, "ssm"), "vpc-dns-support").unknowns?.[0]?.code).toBe("outside");
    update(world.vpcs, "vpc", { dhcpOptions: unknown("parameter", "DhcpOptionsId") });
    expect(hopOf(pathOf(world, "ssm"), "vpc-dns-support").unknowns?.[0]?.message).toBe(
      "vpc has enableDnsSupport false, and whether its DHCP options name DNS servers of their own is not known (DhcpOptionsId)",
    );
  });

  it("is unknown when DNS support is not known, also beside a route that is not known", () => {
    update(world.vpcs, "vpc", { enableDnsSupport: unknown("parameter", "EnableDnsSupport") });
    expect(hopOf(pathOf(world, "ssm"), "vpc-dns-support").unknowns).toEqual([{ code: "parameter", message: "EnableDnsSupport" }]);
    update(world.routeTables, "rt-private", { routes: [], routesComplete: false });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(["route unknown", "instance-sg-egress pass", "vpc-dns-support unknown"]);
    update(world.subnets, "private", { routeTable: known("rt-elsewhere") });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(["route unknown", "instance-sg-egress pass", "vpc-dns-support unknown"]);
  });
});
