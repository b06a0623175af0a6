/**
 * Centralised endpoints: a private hosted zone (or a declared hub) sends the service's name to an endpoint
 * in a hub VPC; the instance's side of that way (route, security group, ACLs, DNS) is judged hop by hop.
 */
import {
  type HubDeclaration,
  isKnown,
  known,
  knownValue,
  type Route,
  type RouteTable,
  type RouteTarget,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { cidrContains, parseIpv4Cidr } from "../cidr.js";
import { routeTargetText } from "../reason-text.js";
import type { TrafficPeer } from "../security-groups.js";
import type { ServiceId } from "../services.js";
import { type Check, fail, pass, undecided } from "../verdict.js";
import { customDnsServers, vpcDnsSupportHop } from "./dns.js";
import { endpointsFor } from "./endpoints.js";
import { bestPath, type Hop, hop, type InstanceSide, lookup, type ServicePath, verdictOf } from "./hops.js";
import { hostedZoneOf } from "./hosted-zones.js";
import { declaredEvidence, HUB_SETTING, hubAttachmentsOf, hubEndpointHop, isHubTarget } from "./hubs.js";
import { clientLegs } from "./network-acl-legs.js";
import { targetFacts } from "./routes.js";
import { instanceEgressHop } from "./security-group-hops.js";

interface HubRoute {
  check: Check;
  /** Where the hub is, when only the route says it (no declared range). */
  ranges?: Value<string[]>;
}

/**
 * The route from the instance's subnet to the hub: with a known hub range, the longest prefix that contains
 * all of it must go to a transit gateway or peering connection (the declared one, when declared); without
 * one, some route to a transit gateway or peering connection must exist, and its destination is the hub.
 */
function hubRoute(table: RouteTable, hub: HubDeclaration | undefined): HubRoute {
  const wanted = hub?.cidr ? parseIpv4Cidr(hub.cidr) : undefined;
  const unknowns: UnknownReason[] = [];
  let found: { route: Route; prefix: number; cidr: string } | undefined;
  const toHubs: { route: Route; prefix: number; cidr: string; target: RouteTarget }[] = [];
  for (const route of table.routes) {
    if (route.conditional) {
      unknowns.push(route.conditional);
      continue;
    }
    const dest = route.destination;
    if (!isKnown(dest)) {
      unknowns.push(dest.reason);
      continue;
    }
    if (dest.value.kind !== "ipv4") continue;
    const c = parseIpv4Cidr(dest.value.cidr);
    if (!c) continue;
    if (wanted) {
      if (cidrContains(c, wanted) && (!found || c.prefix > found.prefix)) found = { route, prefix: c.prefix, cidr: dest.value.cidr };
    } else if (!isKnown(route.target)) unknowns.push(route.target.reason);
    else if (isHubTarget(route.target.value)) toHubs.push({ route, prefix: c.prefix, cidr: dest.value.cidr, target: route.target.value });
  }
  const towards = hub?.cidr ?? "the hub";
  if (found) {
    const target = found.route.target;
    if (!isKnown(target)) return { check: undecided([target.reason]) };
    const t = target.value;
    const args = { routeTable: table.name, destination: found.cidr, target: targetFacts(t) };
    if (!isHubTarget(t)) {
      return { check: fail([{ code: "route-not-to-hub", args: { ...args, hub: towards }, origin: found.route.origin }]) };
    }
    if (hub && !hub.attachments.includes(t.id)) {
      return {
        check: undecided(
          [
            {
              code: "outside",
              message: `${table.name} sends ${found.cidr} to ${routeTargetText(targetFacts(t))}, which the declaration of the hub ${hub.name} does not name`,
              decide: `add ${t.id} to the hub ${hub.name} in ${hub.file}, if it leads there`,
            },
          ],
          [{ code: "route-to-hub", args, origin: found.route.origin }],
        ),
      };
    }
    return { check: pass([{ code: "route-to-hub", args, origin: found.route.origin }]) };
  }
  if (!wanted && toHubs.length > 0) {
    const ranges: Value<string[]> = toHubs.some((r) => r.prefix === 0)
      ? unknown(
          "outside",
          "the hub's address range is not known (the route to it covers every address)",
          `declare the hub with its cidr in ${HUB_SETTING}`,
        )
      : known(toHubs.map((r) => r.cidr));
    return {
      check: pass(
        toHubs.map((r) => ({
          code: "route-to-hub",
          args: { routeTable: table.name, destination: r.cidr, target: targetFacts(r.target) },
          origin: r.route.origin,
        })),
      ),
      ranges,
    };
  }
  if (unknowns.length > 0) return { check: undecided(unknowns) };
  if (!table.routesComplete) return { check: undecided([{ code: "outside", message: `the routes of ${table.name} are not all known` }]) };
  return { check: fail([{ code: "route-no-hub", args: { routeTable: table.name, destination: towards }, origin: table.origin }]) };
}

/** The path to an endpoint in a hub VPC (centralised endpoints), hop by hop on the instance's side. */
function hubEndpointPath(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  zone: Hop,
  hub: HubDeclaration | undefined,
  owner?: string,
): ServicePath {
  const hops: Hop[] = [zone, vpcDnsSupportHop(side.vpc)];
  let ranges: Value<string[]> = hub?.cidr
    ? known([hub.cidr])
    : unknown("outside", "the hub's address range is not known", `declare the hub with its cidr in ${HUB_SETTING}`);
  const table = lookup(world.routeTables, side.subnet.routeTable, "route table");
  if (!isKnown(table)) hops.push(hop("route", undecided([table.reason]), side.subnet.key));
  else {
    const route = hubRoute(table.value, hub);
    hops.push(hop("route", route.check, table.value.isMain ? side.subnet.key : table.value.key));
    if (route.ranges) ranges = route.ranges;
  }
  const label = `the hub's ${service} endpoint`;
  const toHub: TrafficPeer = {
    ranges,
    groups: unknown("outside", "the hub endpoint's security groups are outside this input"),
    label,
  };
  hops.push(instanceEgressHop(world, side.instance, toHub));
  hops.push(...clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], { ranges, label }, side.replyPorts));
  hops.push(hubEndpointHop(world, side, service, hub, owner));
  // DNS servers of the VPC's own must forward to the VPC resolver, which alone answers from the zone (SD403).
  const custom = customDnsServers(world, side.vpc);
  if (custom) hops.push(hop("custom-dns", custom, knownValue(side.vpc.dhcpOptions) ?? side.vpc.key));
  return { service, route: "hosted-zone", hops, verdict: verdictOf(hops) };
}

/** An endpoint path whose name a private hosted zone answers: the zone stands for the endpoint's private DNS. */
export function answeredByZone(path: ServicePath, zone: Hop): ServicePath {
  const hops: Hop[] = [];
  for (const h of path.hops) {
    if (h.id === "vpc-dns-hostnames") continue;
    if (h.id === "endpoint-private-dns") hops.push(zone);
    else hops.push(h);
  }
  if (!hops.includes(zone)) hops.push(zone);
  return { ...path, hops, verdict: verdictOf(hops) };
}

/**
 * Centralised endpoints: a private hosted zone for the service associated with the VPC (live and static), or,
 * in a template or plan, a declared hub that serves the service to the VPCs routed to it. Undefined when the
 * name is not taken over.
 */
export function hubPath(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  hubs: readonly HubDeclaration[],
  viaLocal: (zone: Hop) => ServicePath | undefined,
): ServicePath | undefined {
  const serving = hubs.filter((h) => h.endpoints.includes(service));
  const zone = hostedZoneOf(world, side.vpc.key, service);
  if (zone) {
    // The VPC's own endpoint for the service is what the zone points at (the hub VPC itself, or a zone
    // made for endpoints without private DNS).
    const local = viaLocal(hop("hosted-zone", zone.check, zone.zone));
    if (local) return local;
    const zoneHop = hop("hosted-zone", zone.check, zone.zone);
    const candidates = serving.length > 0 ? serving : [undefined];
    return bestPath(candidates.map((h) => hubEndpointPath(world, side, service, zoneHop, h, zone.owner)));
  }
  // Live, the zones associated with the VPC are read: a declaration cannot add one.
  if (world.source === "live" || serving.length === 0) return undefined;
  const attached = hubAttachmentsOf(world, side.vpc.key);
  const spokeOf = serving.filter((h) => h.attachments.some((a) => attached.has(a)));
  if (spokeOf.length === 0) return undefined;
  // An endpoint of the service in the VPC itself answers the name instead.
  if (endpointsFor(world, side.vpc.key, service).endpoints.length > 0) return undefined;
  return bestPath(
    spokeOf.map((h) =>
      hubEndpointPath(world, side, service, hop("hosted-zone", pass([declaredEvidence(h, { kind: "hosted-zone", service })])), h),
    ),
  );
}
