/**
 * The way to a service's public address: the subnet's route to a NAT gateway (itself routed to an
 * internet gateway), to an internet gateway with a public IP, or to a declared hub; then TCP 443 out.
 */
import {
  type HubDeclaration,
  type Instance,
  isKnown,
  known,
  knownValue,
  type RouteTable,
  type RouteTarget,
  type Subnet,
  type Value,
  type World,
} from "../../model/index.js";
import { NAT_GATEWAY_PORTS } from "../ports.js";
import { routeTargetText } from "../reason-text.js";
import type { ServiceId } from "../services.js";
import { type Check, type Evidence, fail, pass, undecided } from "../verdict.js";
import { blockPublicAccessHop } from "./block-public-access.js";
import { resolverHop } from "./dns.js";
import { type Hop, hop, type InstanceSide, lookup, type ServicePath, verdictOf } from "./hops.js";
import { declaredHub, hubEgressHop } from "./hubs.js";
import { type AclPeer, clientLegs, crossesSubnet, serverLegs } from "./network-acl-legs.js";
import { blackholeEvidence, defaultRoute, oneOf, routesToInternetGateway, targetFacts } from "./routes.js";
import { egressToAnywhereHop, instanceEgressHop } from "./security-group-hops.js";

/**
 * The path to the service's public address by the subnet's route table. Where routes more specific than
 * 0.0.0.0/0 make the address decide between targets, each target gives a path; when they disagree, the route is unknown.
 */
export function internetPath(world: World, side: InstanceSide, service: ServiceId, hubs: readonly HubDeclaration[]): ServicePath {
  const hops: Hop[] = [];
  const resolver = resolverHop(world, side.vpc);
  const table = lookup(world.routeTables, side.subnet.routeTable, "route table");
  if (!isKnown(table)) {
    hops.push(hop("route", undecided([table.reason]), side.subnet.key), egressToAnywhereHop(world, side.instance));
    if (resolver) hops.push(resolver);
    return { service, route: "unknown", hops, verdict: verdictOf(hops) };
  }
  const route = defaultRoute(table.value);
  const routeSubject = table.value.isMain ? side.subnet.key : table.value.key;
  if (route.check.verdict !== "pass") {
    hops.push(hop("route", route.check, routeSubject), egressToAnywhereHop(world, side.instance));
    if (route.check.verdict === "unknown" && resolver) hops.push(resolver);
    return { service, route: route.check.verdict === "fail" ? "none" : "unknown", hops, verdict: verdictOf(hops) };
  }
  const paths = route.targets.map((target) =>
    target === null
      ? internetPathVia(
          world,
          side,
          service,
          table.value,
          hop("route", fail([{ code: "route-missing", args: { routeTable: table.value.name }, origin: table.value.origin }]), routeSubject),
          null,
          hubs,
        )
      : internetPathVia(world, side, service, table.value, hop("route", route.check, routeSubject), target, hubs),
  );
  const chosen = oneOf(paths, (p) => p.verdict, route.split);
  if ("hops" in chosen) return chosen;
  // The service's address decides which way the packet goes, and the ways disagree.
  hops.push(hop("route", undecided([chosen]), table.value.key), egressToAnywhereHop(world, side.instance));
  if (resolver) hops.push(resolver);
  return { service, route: "unknown", hops, verdict: verdictOf(hops) };
}

/** The internet path through one route target; null = no route (the service's address outside every route). */
function internetPathVia(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  table: RouteTable,
  routeHop: Hop,
  target: RouteTarget | null,
  hubs: readonly HubDeclaration[],
): ServicePath {
  if (target === null) {
    return { service, route: "none", hops: [routeHop, egressToAnywhereHop(world, side.instance)], verdict: "fail" };
  }
  if (target.kind === "other" && target.blackhole) {
    const dropped = hop("route", fail([blackholeEvidence(table, target)]), table.isMain ? side.subnet.key : table.key);
    return { service, route: "none", hops: [dropped, egressToAnywhereHop(world, side.instance)], verdict: "fail" };
  }
  const resolver = resolverHop(world, side.vpc);
  const resolverHops = resolver ? [resolver] : [];
  const hub = declaredHub(hubs, target, (h) => h.internet);
  let exit: InternetExit;
  if (target.kind === "internet-gateway") {
    const blocked = blockPublicAccessHop(world, side.subnet, "internet-gateway");
    exit = {
      hops: [internetGatewayHop(world, side, table, target), publicIpHop(side.instance, side.subnet), ...(blocked ? [blocked] : [])],
    };
  } else if (target.kind === "nat-gateway") {
    exit = natGatewayExit(world, target);
    const blocked = exit.natSubnet ? blockPublicAccessHop(world, exit.natSubnet, "nat-gateway") : undefined;
    if (blocked) exit.hops.push(blocked);
  } else if (hub) {
    // Centralised egress the team declared: the hub takes the traffic on to the internet.
    exit = { hops: [hubEgressHop(world, side, hub, target)] };
  } else {
    const hops = [routeHop, routeElsewhereHop(table, target), egressToAnywhereHop(world, side.instance), ...resolverHops];
    return { service, route: "unknown", hops, verdict: verdictOf(hops) };
  }
  const hops = [routeHop, ...exit.hops, ...resolverHops, ...internetTrafficHops(world, side, exit.natSubnet)];
  return { service, route: "internet", hops, verdict: verdictOf(hops) };
}

/** The hops of the way out of the VPC (gateway, public address); the NAT gateway's subnet when the way is one. */
interface InternetExit {
  hops: Hop[];
  natSubnet?: Subnet;
}

/** The internet gateway the subnet routes to must be attached to the instance's VPC. */
function internetGatewayHop(
  world: World,
  side: InstanceSide,
  table: RouteTable,
  target: Extract<RouteTarget, { kind: "internet-gateway" }>,
): Hop {
  const igw = lookup(world.internetGateways, target.gateway, "internet gateway");
  if (!isKnown(igw)) return hop("internet-gateway", undecided([igw.reason]));
  const gateway = igw.value;
  const attached = gateway.vpc;
  if (!isKnown(attached)) return hop("internet-gateway", undecided([attached.reason]), gateway.key);
  if (attached.value === null || attached.value !== side.vpc.key)
    return hop("internet-gateway", fail([{ code: "igw-detached", args: { gateway: gateway.name }, origin: gateway.origin }]), gateway.key);
  return hop("internet-gateway", pass([{ code: "route-to-igw", args: { routeTable: table.name, gateway: gateway.name } }]), gateway.key);
}

/** A public NAT gateway in a subnet whose route table leads to an internet gateway attached to its VPC. */
function natGatewayExit(world: World, target: Extract<RouteTarget, { kind: "nat-gateway" }>): InternetExit {
  const nat = lookup(world.natGateways, target.gateway, "NAT gateway");
  if (!isKnown(nat)) return { hops: [hop("nat-gateway", undecided([nat.reason]))] };
  const gateway = nat.value;
  const connectivity = gateway.connectivity;
  if (isKnown(connectivity) && connectivity.value === "private") {
    const evidence: Evidence = { code: "nat-private", args: { gateway: gateway.name }, origin: connectivity.origin ?? gateway.origin };
    return { hops: [hop("nat-gateway", fail([evidence]), gateway.key)] };
  }
  // Live: a NAT gateway that is pending, failed or being deleted carries no traffic (EC2 API, NatGateway.State).
  const state = gateway.state;
  if (state && !isKnown(state)) return { hops: [hop("nat-gateway", undecided([state.reason]), gateway.key)] };
  if (state && state.value !== "available") {
    const evidence: Evidence = { code: "nat-state", args: { gateway: gateway.name, state: state.value }, origin: gateway.origin };
    return { hops: [hop("nat-gateway", fail([evidence]), gateway.key)] };
  }
  const subnet = lookup(world.subnets, gateway.subnet, "subnet");
  if (!isKnown(subnet)) return { hops: [hop("nat-gateway", undecided([subnet.reason]), gateway.key)] };
  const natSubnet = subnet.value;
  const natTable = lookup(world.routeTables, natSubnet.routeTable, "route table");
  if (!isKnown(natTable)) return { hops: [hop("nat-gateway", undecided([natTable.reason]), gateway.key)], natSubnet };
  const { check, detached } = routesToInternetGateway(world, natTable.value, knownValue(natSubnet.vpc));
  if (detached) return { hops: [hop("internet-gateway", check, detached)], natSubnet };
  if (check.verdict !== "fail") return { hops: [hop("nat-gateway", check, gateway.key)], natSubnet };
  // The fix goes on the NAT gateway's route table (or its subnet, when that uses the main table).
  const withNat: Check = {
    ...check,
    evidence: [
      {
        code: "nat-without-igw",
        args: { gateway: gateway.name, subnet: natSubnet.name, routeTable: natTable.value.name },
        origin: gateway.origin,
      },
      ...check.evidence,
    ],
  };
  return { hops: [hop("nat-gateway", withNat, natTable.value.isMain ? natSubnet.key : natTable.value.key)], natSubnet };
}

/** A route to a network the input does not show (transit gateway, peering, appliance): where it leads is not known. */
function routeElsewhereHop(table: RouteTable, target: RouteTarget): Hop {
  return hop(
    "route",
    undecided(
      [
        {
          code: "outside",
          message: `0.0.0.0/0 goes to ${routeTargetText(targetFacts(target))}; whether that reaches the internet is outside this input`,
          decide: "check the egress of that network, add interface endpoints, or declare the hub it leads to (hubs in .ssm-doctor.yaml)",
        },
      ],
      [{ code: "route-elsewhere", args: { routeTable: table.name, target: targetFacts(target) } }],
    ),
    table.key,
  );
}

/** TCP 443 to the internet: the instance's security groups, its subnet's ACL, and the NAT gateway subnet's ACL. */
function internetTrafficHops(world: World, side: InstanceSide, natSubnet: Subnet | undefined): Hop[] {
  const internet: Value<string[]> = known(["0.0.0.0/0"]);
  const theInternet: AclPeer = { ranges: internet, internet: true, label: "the internet" };
  const hops = [
    instanceEgressHop(world, side.instance, { ranges: internet, groups: known([]), internet: true, label: "the internet" }),
    ...clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], theInternet, side.replyPorts),
  ];
  if (natSubnet && crossesSubnet(natSubnet, side.subnet)) {
    // The NAT gateway's subnet serves the instance and is itself a client of the internet.
    hops.push(
      ...serverLegs(
        world,
        natSubnet,
        ["nacl-nat-inbound", "nacl-nat-outbound"],
        { ranges: side.ranges, label: side.instance.name },
        side.replyPorts,
      ),
      ...clientLegs(world, natSubnet, ["nacl-nat-outbound", "nacl-nat-inbound"], theInternet, NAT_GATEWAY_PORTS),
    );
  }
  return hops;
}

/** An instance behind an internet gateway needs a public IP: its own setting, else its subnet's. */
function publicIpHop(instance: Instance, subnet: Subnet): Hop {
  const explicit = instance.associatePublicIp;
  if (!isKnown(explicit)) return hop("public-ip", undecided([explicit.reason]), instance.key);
  if (explicit.value === true) return hop("public-ip", pass(), instance.key);
  if (explicit.value === false)
    return hop(
      "public-ip",
      fail([{ code: "no-public-ip", args: { instance: instance.name, setting: "explicit" }, origin: explicit.origin ?? instance.origin }]),
      instance.key,
    );
  const map = subnet.mapPublicIpOnLaunch;
  if (!isKnown(map)) return hop("public-ip", undecided([map.reason]), subnet.key);
  if (map.value) return hop("public-ip", pass(), subnet.key);
  return hop(
    "public-ip",
    fail([
      {
        code: "no-public-ip",
        args: { instance: instance.name, subnet: subnet.name, setting: "subnet" },
        origin: map.origin ?? subnet.origin,
      },
    ]),
    subnet.key,
  );
}
