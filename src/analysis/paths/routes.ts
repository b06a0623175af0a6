/** Where a route table sends a packet to a public AWS address, and whether that leads to an internet gateway. */
import {
  isKnown,
  knownValue,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type UnknownReason,
  type Value,
  type World,
} from "../../model/index.js";
import { isPrivateAddressSpace, parseIpv4Cidr } from "../cidr.js";
import type { RouteTargetFacts } from "../evidence.js";
import { routeTargetText } from "../reason-text.js";
import { type Check, fail, pass, undecided, type Verdict } from "../verdict.js";
import { lookup } from "./hops.js";

interface DefaultRoute {
  check: Check;
  /**
   * When the check passes: where a packet to the service's public address goes. Several targets when
   * routes more specific than 0.0.0.0/0 cover public addresses (the service's may lie in them or not:
   * routes are chosen by longest prefix); null = an address no route covers.
   */
  targets: (RouteTarget | null)[];
  /** Why the address decides, for when the targets disagree. */
  split?: UnknownReason;
}

/** The route a packet to a public AWS address takes from this table. */
export function defaultRoute(table: RouteTable): DefaultRoute {
  const unknowns: UnknownReason[] = [];
  let found: Route | undefined;
  const specific: { cidr: string; target: Value<RouteTarget> }[] = [];
  /** Reasons a more specific public route leaves the service's route undecided. */
  const undecidedSpecific: UnknownReason[] = [];
  for (const route of table.routes) {
    const dest = route.destination;
    if (route.conditional) unknowns.push(route.conditional);
    if (!isKnown(dest)) {
      unknowns.push(dest.reason);
      continue;
    }
    if (dest.value.kind === "prefix-list") {
      // A gateway endpoint's route names its service's list (S3, DynamoDB), which holds no other service's addresses.
      // Any other list may hold the service's address and take it elsewhere: more specific than 0.0.0.0/0 for it.
      if (isKnown(route.target) && route.target.value.kind === "vpc-endpoint") continue;
      if (route.conditional) undecidedSpecific.push(route.conditional);
      else specific.push({ cidr: `prefix list ${dest.value.id}`, target: route.target });
      continue;
    }
    if (dest.value.kind !== "ipv4") continue;
    const cidr = parseIpv4Cidr(dest.value.cidr);
    if (!cidr || (cidr.prefix > 0 && isPrivateAddressSpace(cidr))) continue;
    if (route.conditional) {
      if (cidr.prefix > 0) undecidedSpecific.push(route.conditional);
      continue;
    }
    if (cidr.prefix === 0) found = route;
    else specific.push({ cidr: dest.value.cidr, target: route.target });
  }
  const targets: (RouteTarget | null)[] = [];
  const add = (t: RouteTarget | null) => {
    if (!targets.some((x) => JSON.stringify(x) === JSON.stringify(t))) targets.push(t);
  };
  for (const r of specific) {
    if (!isKnown(r.target)) undecidedSpecific.push(r.target.reason);
    else add(r.target.value);
  }
  if (undecidedSpecific.length > 0) return { check: undecided(undecidedSpecific), targets: [] };
  const split: UnknownReason | undefined = specific[0] && {
    code: "unsupported",
    message: `${table.name} routes ${specific.map((r) => r.cidr).join(", ")} apart from 0.0.0.0/0; whether the service's public addresses fall inside is not known`,
    decide: "check those ranges against the service's published address ranges, or route them like 0.0.0.0/0",
  };
  if (found) {
    if (!isKnown(found.target)) return { check: undecided([found.target.reason]), targets: [] };
    add(found.target.value);
    return {
      check: pass([{ code: "route-default", args: { routeTable: table.name }, origin: found.origin }]),
      targets,
      ...(split ? { split } : {}),
    };
  }
  if (unknowns.length > 0) return { check: undecided(unknowns), targets: [] };
  if (!table.routesComplete) {
    return { check: undecided([{ code: "outside", message: `the routes of ${table.name} are not all known` }]), targets: [] };
  }
  const missing = fail([{ code: "route-missing", args: { routeTable: table.name }, origin: table.origin }]);
  if (!split) return { check: missing, targets: [] };
  add(null);
  return { check: pass(), targets, split };
}

/** Alternatives of which one holds, not knowing which: the first when they agree, else unknown. */
export function oneOf<Alternative>(
  alternatives: Alternative[],
  verdict: (a: Alternative) => Verdict,
  split: UnknownReason | undefined,
): Alternative | UnknownReason {
  const first = alternatives[0]!;
  if (alternatives.every((a) => verdict(a) === verdict(first))) return first;
  return split ?? { code: "unresolved", message: "the service's address decides which route applies" };
}

/** Route targets that hand traffic to another network, whose own way to the internet the input does not show. */
const LEADS_OUTSIDE: ReadonlySet<RouteTarget["kind"]> = new Set([
  // A Gateway Load Balancer endpoint (AWS Network Firewall's, say): the appliance behind it routes on.
  "vpc-endpoint",
  "transit-gateway",
  "peering",
  "virtual-private-gateway",
  "instance",
  "network-interface",
  "other",
]);

/** Whether a route table sends the service's address to an internet gateway attached to the VPC; names a detached gateway. */
export function routesToInternetGateway(world: World, table: RouteTable, vpc: Ref | undefined): { check: Check; detached?: Ref } {
  const route = defaultRoute(table);
  if (route.check.verdict !== "pass") return { check: route.check };
  const chosen = oneOf(
    route.targets.map((t) => toInternetGateway(world, table, vpc, t)),
    (a) => a.check.verdict,
    route.split,
  );
  return "check" in chosen ? chosen : { check: undecided([chosen]) };
}

/** Whether one route target of the NAT gateway's subnet is an internet gateway attached to the VPC. */
function toInternetGateway(
  world: World,
  table: RouteTable,
  vpc: Ref | undefined,
  target: RouteTarget | null,
): { check: Check; detached?: Ref } {
  if (target === null) return { check: fail([{ code: "route-missing", args: { routeTable: table.name }, origin: table.origin }]) };
  if (target.kind === "other" && target.blackhole) return { check: fail([blackholeEvidence(table, target)]) };
  if (LEADS_OUTSIDE.has(target.kind)) {
    // Centralised egress: the NAT gateway's traffic goes on to another network, whose way out is not in the input.
    return {
      check: undecided(
        [
          {
            code: "outside",
            message: `the NAT gateway's subnet routes the service's address to ${routeTargetText(targetFacts(target))}; whether that reaches the internet is outside this input`,
            decide: "check the egress of that network, or add interface endpoints",
          },
        ],
        [{ code: "route-elsewhere", args: { routeTable: table.name, target: targetFacts(target) } }],
      ),
    };
  }
  if (target.kind !== "internet-gateway") {
    return {
      check: fail([{ code: "nat-subnet-not-public", args: { routeTable: table.name, target: target.kind }, origin: table.origin }]),
    };
  }
  const igw = lookup(world.internetGateways, target.gateway, "internet gateway");
  if (!isKnown(igw)) return { check: undecided([igw.reason]) };
  const attached = igw.value.vpc;
  if (!isKnown(attached)) return { check: undecided([attached.reason]) };
  if (attached.value === null || (vpc && attached.value !== vpc)) {
    return {
      check: fail([{ code: "igw-detached", args: { gateway: igw.value.name }, origin: igw.value.origin }]),
      detached: igw.value.key,
    };
  }
  return { check: pass([{ code: "route-to-igw", args: { routeTable: table.name, gateway: igw.value.name } }]) };
}

/** A route whose target is gone: AWS drops what it matches. */
export function blackholeEvidence(table: RouteTable, target: Extract<RouteTarget, { kind: "other" }>) {
  return { code: "route-blackhole" as const, args: { routeTable: table.name, target: target.description }, origin: table.origin };
}

/** A route target as evidence names it: its kind and id (the model's key of a gateway in the input). */
export function targetFacts(t: RouteTarget): RouteTargetFacts {
  switch (t.kind) {
    case "internet-gateway":
    case "nat-gateway":
      return { kind: t.kind, id: knownValue(t.gateway) ?? null };
    case "egress-only-internet-gateway":
    case "local":
      return { kind: t.kind, id: null };
    case "other":
      return t;
    default:
      return { kind: t.kind, id: t.id };
  }
}
