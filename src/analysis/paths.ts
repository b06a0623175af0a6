/**
 * The per-instance, per-service path from the agent to a service: which way the traffic goes
 * (interface endpoint, private hosted zone, or the internet through NAT/IGW) and a verdict with
 * evidence for every hop. Computed once per instance and shared by all rules.
 */
import {
  DEPLOYMENT_REGION,
  type HubDeclaration,
  type Instance,
  isKnown,
  known,
  knownValue,
  type NetworkAcl,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type Subnet,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
  type Vpc,
  type VpcEndpoint,
  type World,
} from "../model/index.js";
import { cidrContains, isPrivateAddressSpace, parseIpv4Cidr } from "./cidr.js";
import type { HubClaim } from "./evidence.js";
import { evaluateNetworkAcl } from "./network-acls.js";
import { EPHEMERAL, HTTPS, NAT_GATEWAY_PORTS, type PortRange } from "./ports.js";
import { evaluateSecurityGroups, type TrafficPeer } from "./security-groups.js";
import { parseServiceName, type ServiceId } from "./services.js";
import { type Check, dedupeReasons, type Evidence, fail, pass, undecided, type Verdict } from "./verdict.js";

export type HopId =
  | "subnet"
  | "endpoint-type"
  | "endpoint-region"
  | "endpoint-state"
  | "endpoint-policy"
  | "vpc-dns-support"
  | "vpc-dns-hostnames"
  | "endpoint-private-dns"
  | "custom-dns"
  | "hosted-zone"
  | "route"
  | "nat-gateway"
  | "internet-gateway"
  | "public-ip"
  | "instance-sg-egress"
  | "endpoint-sg-ingress"
  | "nacl-instance-outbound"
  | "nacl-instance-inbound"
  | "nacl-endpoint-inbound"
  | "nacl-endpoint-outbound"
  | "nacl-nat-inbound"
  | "nacl-nat-outbound"
  /** Centralised endpoints: what lies behind the hub's attachment (its endpoint security group, policy, ACLs). */
  | "hub-endpoint"
  /** Centralised egress: the hub's way from the attachment to the internet. */
  | "hub-egress";

export interface Hop extends Check {
  id: HopId;
  /** The element responsible for this hop (where a fix would go). */
  subject?: Ref;
}

export type RouteKind = "endpoint" | "gateway-endpoint" | "hosted-zone" | "internet" | "none" | "unknown";

export interface ServicePath {
  service: ServiceId;
  route: RouteKind;
  endpoint?: Ref;
  hops: Hop[];
  verdict: Verdict;
}

export interface Placement {
  subnet: Value<Ref>;
  paths: ServicePath[];
}

function hop(id: HopId, check: Check, subject?: Ref): Hop {
  return subject ? { id, subject, ...check } : { id, ...check };
}

function verdictOf(hops: Hop[]): Verdict {
  if (hops.some((h) => h.verdict === "fail")) return "fail";
  if (hops.some((h) => h.verdict === "unknown")) return "unknown";
  return "pass";
}

const rank: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

/** The best of several alternative paths: pass over unknown over fail. */
function best(paths: ServicePath[]): ServicePath {
  return paths.reduce((a, b) => (rank[b.verdict] < rank[a.verdict] ? b : a));
}

// ------------------------------------------------------------------ lookups

export function lookup<T>(map: Map<Ref, T>, ref: Value<Ref>, what: string): Value<T> {
  if (!isKnown(ref)) return ref;
  const element = map.get(ref.value);
  return element ? known(element) : unknown("outside", `${what} ${ref.value} is not defined in this input`);
}

/** Subnet CIDR ranges, for use as traffic peers. */
function subnetRanges(world: World, subnets: ValueList<Ref>): Value<string[]> {
  if (!isKnown(subnets)) return subnets;
  const out: string[] = [];
  for (const s of subnets.value) {
    const subnet = lookup(world.subnets, s, "subnet");
    if (!isKnown(subnet)) return subnet;
    if (!isKnown(subnet.value.cidrBlock)) return subnet.value.cidrBlock;
    out.push(subnet.value.cidrBlock.value);
  }
  return known(out);
}

function regionMatches(endpointRegion: string, world: World): Value<boolean> {
  if (endpointRegion === DEPLOYMENT_REGION) return known(true);
  const region = world.assumptions.region;
  if (!isKnown(region)) {
    return unknown("parameter", `the endpoint names region ${endpointRegion} and the deployment region is not known`, "pass --region");
  }
  return known(region.value === endpointRegion);
}

interface EndpointIndex {
  /** "vpc|service" → endpoints. */
  byVpcService: Map<string, VpcEndpoint[]>;
  /** service ("" when the service name is unknown) → reasons some endpoint's VPC or service is unknown. */
  undecidedByService: Map<string, UnknownReason[]>;
  /** The same, only for endpoints that may be an interface endpoint with private DNS (which takes the name over). */
  takeoverByService: Map<string, UnknownReason[]>;
  /** The same, for endpoints whose security groups are not known either (live: endpoints that could not be read). */
  groupsUnknownByService: Map<string, UnknownReason[]>;
}

const endpointIndexes = new WeakMap<World, EndpointIndex>();

/** Endpoints indexed once per world by VPC and service, so paths cost no scan per instance. */
function endpointIndex(world: World): EndpointIndex {
  let index = endpointIndexes.get(world);
  if (index) return index;
  index = { byVpcService: new Map(), undecidedByService: new Map(), takeoverByService: new Map(), groupsUnknownByService: new Map() };
  let endpoint: VpcEndpoint | undefined;
  const undecidedFor = (service: string, reason: UnknownReason) => {
    const list = index!.undecidedByService.get(service) ?? [];
    list.push(reason);
    index!.undecidedByService.set(service, list);
    if (endpoint && mayTakeNameOver(endpoint)) {
      const takeover = index!.takeoverByService.get(service) ?? [];
      takeover.push(reason);
      index!.takeoverByService.set(service, takeover);
    }
    if (endpoint && !isKnown(endpoint.securityGroups)) {
      const groups = index!.groupsUnknownByService.get(service) ?? [];
      groups.push(endpoint.securityGroups.reason);
      index!.groupsUnknownByService.set(service, groups);
    }
  };
  for (const e of world.vpcEndpoints.values()) {
    endpoint = e;
    const name = knownValue(e.serviceName);
    const service = name === undefined ? "" : (parseServiceName(name)?.service ?? undefined);
    if (service === undefined) continue; // not an AWS service endpoint
    if (name === undefined && !isKnown(e.serviceName)) {
      undecidedFor("", e.serviceName.reason);
      continue;
    }
    if (!isKnown(e.vpc)) {
      undecidedFor(service, e.vpc.reason);
      continue;
    }
    if (e.conditional) {
      undecidedFor(service, e.conditional);
      continue;
    }
    const key = `${e.vpc.value}|${service}`;
    const list = index.byVpcService.get(key) ?? [];
    list.push(e);
    index.byVpcService.set(key, list);
  }
  endpointIndexes.set(world, index);
  return index;
}

/** Whether an endpoint may be an interface endpoint serving private DNS, as far as its own values say. */
function mayTakeNameOver(e: VpcEndpoint): boolean {
  const type = knownValue(e.endpointType);
  return (type === undefined || type === "Interface") && knownValue(e.privateDnsEnabled) !== false;
}

/**
 * Interface/gateway endpoints in the VPC for the service; also why some endpoint might be one and is not
 * known (`undecided`), the subset of those reasons for endpoints that may take the service's name over, and
 * for endpoints whose security groups are not known.
 */
export function endpointsFor(
  world: World,
  vpc: Ref,
  service: ServiceId,
): { endpoints: VpcEndpoint[]; undecided: UnknownReason[]; takeover: UnknownReason[]; groupsUnknown: UnknownReason[] } {
  const index = endpointIndex(world);
  const both = (m: Map<string, UnknownReason[]>) => [...(m.get(service) ?? []), ...(m.get("") ?? [])];
  return {
    endpoints: index.byVpcService.get(`${vpc}|${service}`) ?? [],
    undecided: both(index.undecidedByService),
    takeover: both(index.takeoverByService),
    groupsUnknown: both(index.groupsUnknownByService),
  };
}

// ------------------------------------------------------------------ DNS

/** Does `<svc>.<region>.amazonaws.com` resolve to this interface endpoint from inside the VPC? */
function dnsHops(world: World, vpc: Vpc, endpoint: VpcEndpoint): Hop[] {
  const hops: Hop[] = [vpcDnsSupportHop(vpc)];
  const hostnames = vpc.enableDnsHostnames;
  hops.push(
    hop(
      "vpc-dns-hostnames",
      !isKnown(hostnames)
        ? undecided([hostnames.reason])
        : hostnames.value
          ? pass()
          : fail([
              {
                code: "vpc-attribute-false",
                args: { vpc: vpc.name, attribute: "enableDnsHostnames", defaulted: hostnames.provenance === "default" },
                origin: hostnames.origin ?? vpc.origin,
              },
            ]),
      vpc.key,
    ),
  );
  const privateDns = endpoint.privateDnsEnabled;
  hops.push(
    hop(
      "endpoint-private-dns",
      !isKnown(privateDns)
        ? undecided([privateDns.reason])
        : privateDns.value
          ? pass()
          : fail([
              {
                code: "endpoint-private-dns-off",
                args: { endpoint: endpoint.name, defaulted: privateDns.provenance === "default" },
                origin: privateDns.origin ?? endpoint.origin,
              },
            ]),
      endpoint.key,
    ),
  );
  const custom = customDnsServers(world, vpc);
  if (custom) hops.push(hop("custom-dns", custom, knownValue(vpc.dhcpOptions) ?? vpc.key));
  return hops;
}

/** A DHCP option set without AmazonProvidedDNS: the resolver must forward amazonaws.com; we cannot see it. */
export function customDnsServers(world: World, vpc: Vpc): Check | undefined {
  const ref = vpc.dhcpOptions;
  if (!isKnown(ref)) return undecided([ref.reason]);
  if (ref.value === null) return undefined;
  const options = world.dhcpOptions.get(ref.value);
  if (!options) return undecided([{ code: "outside", message: `DHCP options ${ref.value} are not defined in this input` }]);
  const servers = options.domainNameServers;
  if (!isKnown(servers)) return undecided([servers.reason]);
  if (servers.value.some((s) => s.toLowerCase() === "amazonprovideddns")) return undefined;
  return undecided(
    [
      {
        code: "outside",
        message: `the VPC uses the DNS servers ${servers.value.join(", ")}, which must forward amazonaws.com to the VPC resolver`,
        decide: "check the conditional forwarder on those DNS servers",
      },
    ],
    [{ code: "custom-dns-servers", args: { options: options.name, servers: servers.value }, origin: options.origin }],
  );
}

// ------------------------------------------------------------------ network ACLs

function aclOf(world: World, subnet: Subnet): Value<NetworkAcl> {
  return lookup(world.networkAcls, subnet.networkAcl, "network ACL");
}

interface AclLeg {
  id: HopId;
  subnet: Subnet;
  direction: "inbound" | "outbound";
  ports: PortRange;
  peer: Value<string[]>;
  internet?: boolean;
  label: string;
}

function aclHop(world: World, leg: AclLeg): Hop {
  const acl = aclOf(world, leg.subnet);
  if (!isKnown(acl)) return hop(leg.id, undecided([acl.reason]));
  const check = evaluateNetworkAcl(acl.value, leg.direction, "tcp", leg.ports, leg.peer, { internet: leg.internet, label: leg.label });
  return hop(leg.id, check, acl.value.key);
}

/** Where one end of an HTTPS connection is, for the ACL of the other end's subnet. */
interface Peer {
  ranges: Value<string[]>;
  internet?: boolean;
  label: string;
}

/** The client's subnet sends to 443 and takes the replies on its ephemeral ports (a NAT gateway's: 1024-65535). */
function clientLegs(world: World, subnet: Subnet, ids: readonly [HopId, HopId], server: Peer, replyPorts: PortRange = EPHEMERAL): Hop[] {
  const to = { peer: server.ranges, internet: server.internet, label: server.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "outbound", ports: HTTPS, ...to }),
    aclHop(world, { id: ids[1], subnet, direction: "inbound", ports: replyPorts, ...to }),
  ];
}

/** The server's subnet admits 443 and sends the replies back to the client's ephemeral ports. */
function serverLegs(world: World, subnet: Subnet, ids: readonly [HopId, HopId], client: Peer): Hop[] {
  const from = { peer: client.ranges, internet: client.internet, label: client.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "inbound", ports: HTTPS, ...from }),
    aclHop(world, { id: ids[1], subnet, direction: "outbound", ports: EPHEMERAL, ...from }),
  ];
}

/** Subnets of the same ACL need no check between them? No: ACLs apply when traffic crosses subnets; same subnet skips. */
function crossesSubnet(a: Subnet, b: Subnet): boolean {
  return a.key !== b.key;
}

// ------------------------------------------------------------------ endpoint path

interface InstanceSide {
  instance: Instance;
  subnet: Subnet;
  vpc: Vpc;
  /** Where the instance's address lies: its private IP, else its subnet. */
  ranges: Value<string[]>;
}

function endpointGroups(endpoint: VpcEndpoint, vpc: Vpc): ValueList<Ref> {
  const groups = endpoint.securityGroups;
  if (isKnown(groups) && groups.value.length === 0) return known([known(vpc.defaultSecurityGroup)]);
  return groups;
}

function endpointPath(
  world: World,
  side: InstanceSide,
  endpoint: VpcEndpoint,
  service: ServiceId,
  requiredActions: readonly string[],
  policyCheck: PolicyCheck,
): ServicePath {
  const hops: Hop[] = [];
  const type = endpoint.endpointType;
  const gatewayAllowed = service === "s3";
  if (!isKnown(type)) hops.push(hop("endpoint-type", undecided([type.reason]), endpoint.key));
  else if (type.value === "Interface" || (gatewayAllowed && type.value === "Gateway"))
    hops.push(hop("endpoint-type", pass(), endpoint.key));
  else {
    hops.push(
      hop(
        "endpoint-type",
        fail([
          {
            code: "endpoint-type",
            args: { endpoint: endpoint.name, type: type.value, defaulted: type.provenance === "default", service },
            origin: type.origin ?? endpoint.origin,
          },
        ]),
        endpoint.key,
      ),
    );
    return { service, route: "endpoint", endpoint: endpoint.key, hops, verdict: "fail" };
  }
  const parsed = parseServiceName(knownValue(endpoint.serviceName) ?? "");
  if (parsed) {
    const matches = regionMatches(parsed.region, world);
    if (!isKnown(matches)) hops.push(hop("endpoint-region", undecided([matches.reason]), endpoint.key));
    else if (!matches.value) {
      hops.push(
        hop(
          "endpoint-region",
          fail([
            {
              code: "endpoint-region",
              args: { endpoint: endpoint.name, region: parsed.region, deployment: knownValue(world.assumptions.region) ?? "?" },
              origin: endpoint.serviceName.kind === "known" ? (endpoint.serviceName.origin ?? endpoint.origin) : endpoint.origin,
            },
          ]),
          endpoint.key,
        ),
      );
      return { service, route: "endpoint", endpoint: endpoint.key, hops, verdict: "fail" };
    }
  }
  if (endpoint.state) {
    const state = endpoint.state;
    hops.push(
      hop(
        "endpoint-state",
        !isKnown(state)
          ? undecided([state.reason])
          : state.value.toLowerCase() === "available"
            ? pass()
            : fail([{ code: "endpoint-state", args: { endpoint: endpoint.name, state: state.value }, origin: endpoint.origin }]),
        endpoint.key,
      ),
    );
  }
  const policy = policyCheck(endpoint, requiredActions);
  if (policy) hops.push(hop("endpoint-policy", policy, endpoint.key));

  if (isKnown(type) && type.value === "Gateway") {
    // S3 gateway endpoint: the subnet's route table must be associated; traffic leaves by prefix list.
    const tables = endpoint.routeTables;
    const rt = side.subnet.routeTable;
    let check: Check;
    if (!isKnown(tables)) check = undecided([tables.reason]);
    else if (!isKnown(rt)) check = undecided([rt.reason]);
    else if (tables.value.some((t) => isKnown(t) && t.value === rt.value)) check = pass();
    else if (tables.value.some((t) => !isKnown(t))) check = undecided(tables.value.flatMap((t) => (isKnown(t) ? [] : [t.reason])));
    else
      check = fail([
        { code: "gateway-endpoint-not-routed", args: { endpoint: endpoint.name, routeTable: rt.value }, origin: endpoint.origin },
      ]);
    hops.push(hop("route", check, endpoint.key));
    const peer: TrafficPeer = { ranges: known([]), groups: known([]), internet: true, label: `the ${service} service (gateway endpoint)` };
    hops.push(
      hop(
        "instance-sg-egress",
        evaluateSecurityGroups(world, side.instance.securityGroups, "egress", peer, "tcp", HTTPS),
        firstGroup(side.instance.securityGroups),
      ),
    );
    return { service, route: "gateway-endpoint", endpoint: endpoint.key, hops, verdict: verdictOf(hops) };
  }

  hops.push(...dnsHops(world, side.vpc, endpoint));

  // Security groups on both ends.
  const endpointRanges = endpoint.networkInterfaceAddresses ?? subnetRanges(world, endpoint.subnets);
  const groups = endpointGroups(endpoint, side.vpc);
  const toEndpoint: TrafficPeer = { ranges: endpointRanges, groups, label: `the ${service} endpoint's network interfaces` };
  hops.push(
    hop(
      "instance-sg-egress",
      evaluateSecurityGroups(world, side.instance.securityGroups, "egress", toEndpoint, "tcp", HTTPS),
      firstGroup(side.instance.securityGroups),
    ),
  );
  const fromInstance: TrafficPeer = { ranges: side.ranges, groups: side.instance.securityGroups, label: side.instance.name };
  hops.push(
    hop(
      "endpoint-sg-ingress",
      evaluateSecurityGroups(world, groups, "ingress", fromInstance, "tcp", HTTPS),
      // Without security groups of its own the endpoint gets the VPC default group: the fix is on the endpoint.
      isKnown(endpoint.securityGroups) && endpoint.securityGroups.value.length === 0 ? endpoint.key : (firstGroup(groups) ?? endpoint.key),
    ),
  );

  // Network ACLs: the instance's subnet and each endpoint subnet, both directions.
  const endpointSubnets = knownValue(endpoint.subnets);
  const crossing: Subnet[] = [];
  const unseen: UnknownReason[] = [];
  if (endpointSubnets) {
    for (const s of endpointSubnets) {
      const subnet = lookup(world.subnets, s, "subnet");
      if (!isKnown(subnet)) unseen.push(subnet.reason);
      else if (crossesSubnet(subnet.value, side.subnet)) crossing.push(subnet.value);
    }
  }
  const instancePeer: Peer = { ranges: side.ranges, label: side.instance.name };
  if (crossing.length > 0 || !endpointSubnets) {
    // Only the interfaces in other subnets meet the instance subnet's ACL: traffic within a subnet never does.
    const crossingRanges = endpointSubnets && unseen.length === 0 ? rangesWithin(endpointRanges, crossing) : endpointRanges;
    const endpointPeer: Peer = { ranges: crossingRanges, label: `the ${service} endpoint's subnets` };
    const legs = clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], endpointPeer);
    const subnets = endpoint.subnets;
    // Without the endpoint's subnets, it may sit in the instance's own: then the ACL is never met.
    if (!isKnown(subnets))
      hops.push(...legs.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: [subnets.reason] } : h)));
    else hops.push(...legs);
  }
  for (const subnet of crossing) hops.push(...serverLegs(world, subnet, ["nacl-endpoint-inbound", "nacl-endpoint-outbound"], instancePeer));
  // An endpoint subnet we cannot see: its ACL (and whether it is the instance's own subnet) is not known.
  if (unseen.length > 0) {
    if (crossing.length === 0 && endpointSubnets)
      hops.push(
        ...clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], {
          ranges: endpointRanges,
          label: `the ${service} endpoint's subnets`,
        }),
      );
    hops.push(
      hop("nacl-endpoint-inbound", undecided(unseen), endpoint.key),
      hop("nacl-endpoint-outbound", undecided(unseen), endpoint.key),
    );
  }
  // Subnets not known at all: neither their ACLs nor whether the reply may leave them is known.
  if (!endpointSubnets) {
    const subnets = endpoint.subnets;
    const reasons = isKnown(subnets) ? [] : [subnets.reason];
    hops.push(
      hop("nacl-endpoint-inbound", undecided(reasons), endpoint.key),
      hop("nacl-endpoint-outbound", undecided(reasons), endpoint.key),
    );
  }
  return { service, route: "endpoint", endpoint: endpoint.key, hops, verdict: verdictOf(hops) };
}

/** The ranges that lie in one of the subnets; all of them when a subnet's CIDR is not known or none lies in one. */
function rangesWithin(ranges: Value<string[]>, subnets: Subnet[]): Value<string[]> {
  if (!isKnown(ranges)) return ranges;
  const blocks = subnets.map((s) => (isKnown(s.cidrBlock) ? parseIpv4Cidr(s.cidrBlock.value) : undefined));
  if (blocks.some((b) => !b)) return ranges;
  const inside = ranges.value.filter((r) => {
    const c = parseIpv4Cidr(r);
    return c !== undefined && blocks.some((b) => cidrContains(b!, c));
  });
  return inside.length > 0 ? known(inside) : ranges;
}

function firstGroup(groups: ValueList<Ref>): Ref | undefined {
  const list = knownValue(groups);
  if (!list) return undefined;
  for (const g of list) if (isKnown(g)) return g.value;
  return undefined;
}

// ------------------------------------------------------------------ internet path

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
function defaultRoute(table: RouteTable): DefaultRoute {
  const unknowns: UnknownReason[] = [];
  let found: import("../model/index.js").Route | undefined;
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
function oneOf<T>(alternatives: T[], verdict: (a: T) => Verdict, split: UnknownReason | undefined): T | UnknownReason {
  const first = alternatives[0]!;
  if (alternatives.every((a) => verdict(a) === verdict(first))) return first;
  return split ?? { code: "unresolved", message: "the service's address decides which route applies" };
}

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

/** Route targets that hand traffic to another network, whose own way to the internet the input does not show. */
const LEADS_OUTSIDE: ReadonlySet<RouteTarget["kind"]> = new Set([
  "transit-gateway",
  "peering",
  "virtual-private-gateway",
  "instance",
  "network-interface",
  "other",
]);

/** Whether a route table sends the service's address to an internet gateway attached to the VPC; names a detached gateway. */
function routesToInternetGateway(world: World, table: RouteTable, vpc: Ref | undefined): { check: Check; detached?: Ref } {
  const route = defaultRoute(table);
  if (route.check.verdict !== "pass") return { check: route.check };
  const chosen = oneOf(
    route.targets.map((t) => toInternetGateway(world, table, vpc, t)),
    (a) => a.check.verdict,
    route.split,
  );
  return "check" in chosen ? chosen : { check: undecided([chosen]) };
}

function toInternetGateway(
  world: World,
  table: RouteTable,
  vpc: Ref | undefined,
  target: RouteTarget | null,
): { check: Check; detached?: Ref } {
  if (target === null) return { check: fail([{ code: "route-missing", args: { routeTable: table.name }, origin: table.origin }]) };
  if (LEADS_OUTSIDE.has(target.kind)) {
    // Centralised egress: the NAT gateway's traffic goes on to another network, whose way out is not in the input.
    return {
      check: undecided(
        [
          {
            code: "outside",
            message: `the NAT gateway's subnet routes the service's address to ${describeTarget(target)}; whether that reaches the internet is outside this input`,
            decide: "check the egress of that network, or add interface endpoints",
          },
        ],
        [{ code: "route-elsewhere", args: { routeTable: table.name, target: describeTarget(target) } }],
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

function internetPath(world: World, side: InstanceSide, service: ServiceId, hubs: readonly HubDeclaration[]): ServicePath {
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
  const hops: Hop[] = [routeHop];
  const resolver = resolverHop(world, side.vpc);
  if (target === null) {
    hops.push(egressToAnywhereHop(world, side.instance));
    return { service, route: "none", hops, verdict: "fail" };
  }
  const internet: Value<string[]> = known(["0.0.0.0/0"]);
  let natSubnet: Subnet | undefined;
  if (target.kind === "internet-gateway") {
    const igw = lookup(world.internetGateways, target.gateway, "internet gateway");
    if (!isKnown(igw)) hops.push(hop("internet-gateway", undecided([igw.reason])));
    else {
      const attached = igw.value.vpc;
      if (!isKnown(attached)) hops.push(hop("internet-gateway", undecided([attached.reason]), igw.value.key));
      else if (attached.value === null || attached.value !== side.vpc.key)
        hops.push(
          hop(
            "internet-gateway",
            fail([{ code: "igw-detached", args: { gateway: igw.value.name }, origin: igw.value.origin }]),
            igw.value.key,
          ),
        );
      else
        hops.push(
          hop(
            "internet-gateway",
            pass([{ code: "route-to-igw", args: { routeTable: table.name, gateway: igw.value.name } }]),
            igw.value.key,
          ),
        );
    }
    hops.push(publicIpHop(side.instance, side.subnet));
  } else if (target.kind === "nat-gateway") {
    const nat = lookup(world.natGateways, target.gateway, "NAT gateway");
    if (!isKnown(nat)) hops.push(hop("nat-gateway", undecided([nat.reason])));
    else {
      const n = nat.value;
      const connectivity = n.connectivity;
      if (isKnown(connectivity) && connectivity.value === "private") {
        hops.push(
          hop("nat-gateway", fail([{ code: "nat-private", args: { gateway: n.name }, origin: connectivity.origin ?? n.origin }]), n.key),
        );
      } else {
        const subnet = lookup(world.subnets, n.subnet, "subnet");
        if (!isKnown(subnet)) hops.push(hop("nat-gateway", undecided([subnet.reason]), n.key));
        else {
          natSubnet = subnet.value;
          const natTable = lookup(world.routeTables, subnet.value.routeTable, "route table");
          if (!isKnown(natTable)) hops.push(hop("nat-gateway", undecided([natTable.reason]), n.key));
          else {
            const { check, detached } = routesToInternetGateway(world, natTable.value, knownValue(subnet.value.vpc));
            if (detached) hops.push(hop("internet-gateway", check, detached));
            else {
              const withNat: Check =
                check.verdict === "fail"
                  ? {
                      ...check,
                      evidence: [
                        {
                          code: "nat-without-igw",
                          args: { gateway: n.name, subnet: subnet.value.name, routeTable: natTable.value.name },
                          origin: n.origin,
                        },
                        ...check.evidence,
                      ],
                    }
                  : check;
              hops.push(
                hop(
                  "nat-gateway",
                  withNat,
                  check.verdict === "fail" ? (natTable.value.isMain ? subnet.value.key : natTable.value.key) : n.key,
                ),
              );
            }
          }
        }
      }
    }
  } else if (declaredHub(hubs, target, (h) => h.internet)) {
    // Centralised egress the team declared: the hub takes the traffic on to the internet.
    hops.push(hubEgressHop(world, side, declaredHub(hubs, target, (h) => h.internet)!, target));
  } else {
    hops.push(
      hop(
        "route",
        undecided(
          [
            {
              code: "outside",
              message: `0.0.0.0/0 goes to ${describeTarget(target)}; whether that reaches the internet is outside this input`,
              decide:
                "check the egress of that network, add interface endpoints, or declare the hub it leads to (hubs in .ssm-doctor.yaml)",
            },
          ],
          [{ code: "route-elsewhere", args: { routeTable: table.name, target: describeTarget(target) } }],
        ),
        table.key,
      ),
      egressToAnywhereHop(world, side.instance),
    );
    if (resolver) hops.push(resolver);
    return { service, route: "unknown", hops, verdict: verdictOf(hops) };
  }

  if (resolver) hops.push(resolver);
  const toInternet: TrafficPeer = { ranges: internet, groups: known([]), internet: true, label: "the internet" };
  hops.push(
    hop(
      "instance-sg-egress",
      evaluateSecurityGroups(world, side.instance.securityGroups, "egress", toInternet, "tcp", HTTPS),
      firstGroup(side.instance.securityGroups),
    ),
  );
  const theInternet: Peer = { ranges: internet, internet: true, label: "the internet" };
  hops.push(...clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], theInternet));
  if (natSubnet && crossesSubnet(natSubnet, side.subnet)) {
    // The NAT gateway's subnet serves the instance and is itself a client of the internet.
    hops.push(
      ...serverLegs(world, natSubnet, ["nacl-nat-inbound", "nacl-nat-outbound"], { ranges: side.ranges, label: side.instance.name }),
    );
    hops.push(...clientLegs(world, natSubnet, ["nacl-nat-outbound", "nacl-nat-inbound"], theInternet, NAT_GATEWAY_PORTS));
  }
  return { service, route: "internet", hops, verdict: verdictOf(hops) };
}

/**
 * The VPC resolver answers only with enableDnsSupport on; when the DHCP options hand out the Amazon-provided
 * DNS (the default option set, or one that lists AmazonProvidedDNS) nothing resolves without it, whichever way
 * the traffic goes. DNS servers of the VPC's own resolve public names themselves (SD403 warns about them).
 */
function resolverHop(world: World, vpc: Vpc): Hop | undefined {
  const support = vpc.enableDnsSupport;
  if (isKnown(support) && support.value) return undefined;
  const servers = resolverServers(world, vpc);
  if (servers.kind === "custom") return undefined;
  if (!isKnown(support)) return hop("vpc-dns-support", undecided([support.reason]), vpc.key);
  if (servers.kind === "unknown")
    return hop(
      "vpc-dns-support",
      undecided(
        [
          {
            code: servers.reason.code,
            message: `${vpc.name} has enableDnsSupport false, and whether its DHCP options name DNS servers of their own is not known (${servers.reason.message})`,
            ...(servers.reason.decide ? { decide: servers.reason.decide } : {}),
          },
        ],
        [{ code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin }],
      ),
      vpc.key,
    );
  return hop(
    "vpc-dns-support",
    fail([{ code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin }]),
    vpc.key,
  );
}

/** Whether the VPC's instances ask the Amazon-provided DNS (the VPC resolver) or servers of their own. */
function resolverServers(world: World, vpc: Vpc): { kind: "amazon" } | { kind: "custom" } | { kind: "unknown"; reason: UnknownReason } {
  const ref = vpc.dhcpOptions;
  if (!isKnown(ref)) return { kind: "unknown", reason: ref.reason };
  if (ref.value === null) return { kind: "amazon" };
  const options = world.dhcpOptions.get(ref.value);
  if (!options) return { kind: "unknown", reason: { code: "outside", message: `DHCP options ${ref.value} are not defined in this input` } };
  const servers = options.domainNameServers;
  if (!isKnown(servers)) return { kind: "unknown", reason: servers.reason };
  return servers.value.some((s) => s.toLowerCase() === "amazonprovideddns") ? { kind: "amazon" } : { kind: "custom" };
}

/** The VPC resolver itself, always shown: private hosted zones are answered by it alone. */
function vpcDnsSupportHop(vpc: Vpc): Hop {
  const support = vpc.enableDnsSupport;
  return hop(
    "vpc-dns-support",
    !isKnown(support)
      ? undecided([support.reason])
      : support.value
        ? pass()
        : fail([
            { code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin },
          ]),
    vpc.key,
  );
}

function describeTarget(t: import("../model/index.js").RouteTarget): string {
  switch (t.kind) {
    case "internet-gateway":
      return `internet gateway ${knownValue(t.gateway) ?? "(not known)"}`;
    case "nat-gateway":
      return `NAT gateway ${knownValue(t.gateway) ?? "(not known)"}`;
    case "transit-gateway":
      return `transit gateway ${t.id}`;
    case "peering":
      return `peering connection ${t.id}`;
    case "instance":
      return `instance ${t.id} (a NAT instance?)`;
    case "network-interface":
      return `network interface ${t.id}`;
    case "virtual-private-gateway":
      return `virtual private gateway ${t.id}`;
    case "vpc-endpoint":
      return `VPC endpoint ${t.id}`;
    case "egress-only-internet-gateway":
      return "an egress-only internet gateway (IPv6 only)";
    case "local":
      return "the local VPC";
    case "other":
      return t.description;
  }
}

// ------------------------------------------------------------------ hosted zones, hubs

/** Where hub declarations live, for messages. */
const HUB_SETTING = "hubs in .ssm-doctor.yaml";

interface ZoneMatch {
  check: Check;
  zone: Ref;
  owner?: string;
}

/** A private hosted zone named `<svc>.<region>.amazonaws.com` associated with the VPC: it takes the service's name over. */
function hostedZoneOf(world: World, vpc: Ref, service: ServiceId): ZoneMatch | undefined {
  const region = knownValue(world.assumptions.region);
  for (const zone of world.hostedZones.values()) {
    const name = knownValue(zone.zoneName);
    if (!name) continue;
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name);
    if (!m || m[1] !== service) continue;
    if (region && m[2] !== region) continue;
    const vpcs = knownValue(zone.vpcs);
    if (!vpcs) continue;
    if (vpcs.some((v) => isKnown(v) && v.value === vpc)) {
      const check = pass([{ code: "hosted-zone", args: { zone: zone.name, name }, origin: zone.origin }]);
      return zone.ownerAccount ? { check, zone: zone.key, owner: zone.ownerAccount } : { check, zone: zone.key };
    }
  }
  return undefined;
}

export function hostedZoneFor(world: World, vpc: Ref, service: ServiceId): Check | undefined {
  return hostedZoneOf(world, vpc, service)?.check;
}

function isHubTarget(t: RouteTarget): t is Extract<RouteTarget, { kind: "transit-gateway" | "peering" }> {
  return t.kind === "transit-gateway" || t.kind === "peering";
}

/** The declared hub a transit gateway or peering route leads to, among those `wanted` accepts. */
function declaredHub(
  hubs: readonly HubDeclaration[],
  target: RouteTarget,
  wanted: (h: HubDeclaration) => boolean,
): HubDeclaration | undefined {
  if (!isHubTarget(target)) return undefined;
  return hubs.find((h) => wanted(h) && h.attachments.includes(target.id));
}

function declaredEvidence(hub: HubDeclaration, claim: HubClaim): Evidence {
  return { code: "hub-declared", args: { hub: hub.name, file: hub.file, claim } };
}

const hubAttachmentsByVpc = new WeakMap<World, Map<Ref, Set<string>>>();

/** Per VPC, the transit gateway and peering ids some route table of it routes to (indexed once per world). */
function hubAttachmentsOf(world: World, vpc: Ref): Set<string> {
  let index = hubAttachmentsByVpc.get(world);
  if (!index) {
    index = new Map();
    for (const table of world.routeTables.values()) {
      const owner = knownValue(table.vpc);
      if (!owner) continue;
      for (const route of table.routes) {
        const target = knownValue(route.target);
        if (!target || !isHubTarget(target)) continue;
        const set = index.get(owner) ?? new Set<string>();
        set.add(target.id);
        index.set(owner, set);
      }
    }
    hubAttachmentsByVpc.set(world, index);
  }
  return index.get(vpc) ?? new Set();
}

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
    const args = { routeTable: table.name, destination: found.cidr, target: describeTarget(t) };
    if (!isHubTarget(t)) {
      return { check: fail([{ code: "route-not-to-hub", args: { ...args, hub: towards }, origin: found.route.origin }]) };
    }
    if (hub && !hub.attachments.includes(t.id)) {
      return {
        check: undecided(
          [
            {
              code: "outside",
              message: `${table.name} sends ${found.cidr} to ${describeTarget(t)}, which the declaration of the hub ${hub.name} does not name`,
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
          args: { routeTable: table.name, destination: r.cidr, target: describeTarget(r.target) },
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

/** The spoke's address range, as the hub's endpoint security group must admit it. */
function spokeRange(side: InstanceSide): string {
  const vpc = knownValue(side.vpc.cidrBlocks);
  if (vpc && vpc.length > 0) return vpc.join(", ");
  return knownValue(side.subnet.cidrBlock) ?? `the range of ${side.vpc.name}`;
}

/**
 * The hub's side of a centralised endpoint (its endpoint security group, policy, ACLs) is in another account
 * or outside the input. A template or plan takes a declared hub at its word; a live check never does.
 */
function hubEndpointHop(world: World, side: InstanceSide, service: ServiceId, hub: HubDeclaration | undefined, owner?: string): Hop {
  if (hub && world.source !== "live") {
    return hop("hub-endpoint", pass([declaredEvidence(hub, { kind: "endpoint", service })]));
  }
  const account = hub?.account ?? owner;
  const where = account ? `in account ${account}` : "in the hub's account";
  return hop(
    "hub-endpoint",
    undecided([
      {
        code: "outside",
        message: `the ${service} endpoint is in the hub${hub ? ` ${hub.name}` : ""}${account ? ` (account ${account})` : ""}, outside this ${world.source === "live" ? "account" : "input"}`,
        decide: `${where}: check its endpoint security group admits ${spokeRange(side)} on 443, its endpoint policy allows the agent's actions, and its network ACLs pass 443 and the replies`,
      },
    ]),
    // One note per spoke VPC, however many instances it holds.
    side.vpc.key,
  );
}

function hubEgressHop(world: World, side: InstanceSide, hub: HubDeclaration, target: RouteTarget): Hop {
  const via = describeTarget(target);
  if (world.source !== "live") return hop("hub-egress", pass([declaredEvidence(hub, { kind: "egress", via, fromSpokes: true })]));
  const account = hub.account ? ` (account ${hub.account})` : "";
  return hop(
    "hub-egress",
    undecided(
      [
        {
          code: "outside",
          message: `the way on from ${via} to the internet is in the hub ${hub.name}${account}, outside this account`,
          decide: `${hub.account ? `in account ${hub.account}` : "in the hub's account"}: check that the hub sends ${spokeRange(side)} on to the internet (NAT gateway, firewall) for TCP 443`,
        },
      ],
      [declaredEvidence(hub, { kind: "egress", via, fromSpokes: false })],
    ),
    side.vpc.key,
  );
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
  hops.push(
    hop(
      "instance-sg-egress",
      evaluateSecurityGroups(world, side.instance.securityGroups, "egress", toHub, "tcp", HTTPS),
      firstGroup(side.instance.securityGroups),
    ),
  );
  hops.push(...clientLegs(world, side.subnet, ["nacl-instance-outbound", "nacl-instance-inbound"], { ranges, label }));
  hops.push(hubEndpointHop(world, side, service, hub, owner));
  // DNS servers of the VPC's own must forward to the VPC resolver, which alone answers from the zone (SD403).
  const custom = customDnsServers(world, side.vpc);
  if (custom) hops.push(hop("custom-dns", custom, knownValue(side.vpc.dhcpOptions) ?? side.vpc.key));
  return { service, route: "hosted-zone", hops, verdict: verdictOf(hops) };
}

/** An endpoint path whose name a private hosted zone answers: the zone stands for the endpoint's private DNS. */
function answeredByZone(path: ServicePath, zone: Hop): ServicePath {
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
function hubPath(
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
    return best(candidates.map((h) => hubEndpointPath(world, side, service, zoneHop, h, zone.owner)));
  }
  // Live, the zones associated with the VPC are read: a declaration cannot add one.
  if (world.source === "live" || serving.length === 0) return undefined;
  const attached = hubAttachmentsOf(world, side.vpc.key);
  const spokeOf = serving.filter((h) => h.attachments.some((a) => attached.has(a)));
  if (spokeOf.length === 0) return undefined;
  // An endpoint of the service in the VPC itself answers the name instead.
  if (endpointsFor(world, side.vpc.key, service).endpoints.length > 0) return undefined;
  return best(
    spokeOf.map((h) =>
      hubEndpointPath(world, side, service, hop("hosted-zone", pass([declaredEvidence(h, { kind: "hosted-zone", service })])), h),
    ),
  );
}

/**
 * Private hosted zones associated with the VPC whose name is not known (live: the zones could not be listed),
 * or zones of the service's name whose VPCs are not known: each may take the service's name over.
 */
export function undecidedHostedZones(world: World, vpc: Ref, service: ServiceId): UnknownReason[] {
  const region = knownValue(world.assumptions.region);
  const out: UnknownReason[] = [];
  for (const zone of world.hostedZones.values()) {
    const vpcs = zone.vpcs;
    const name = zone.zoneName;
    if (!isKnown(name)) {
      if (isKnown(vpcs) && vpcs.value.some((v) => isKnown(v) && v.value === vpc)) out.push(name.reason);
      continue;
    }
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name.value);
    if (!m || m[1] !== service || (region && m[2] !== region)) continue;
    if (!isKnown(vpcs)) out.push(vpcs.reason);
  }
  return out;
}

// ------------------------------------------------------------------ the path for one service

/** Hops that decide whether the service's name resolves to the endpoint at all. */
const TAKEOVER_HOPS: ReadonlySet<HopId> = new Set([
  "endpoint-type",
  "endpoint-region",
  "vpc-dns-support",
  "vpc-dns-hostnames",
  "endpoint-private-dns",
]);

export type PolicyCheck = (endpoint: VpcEndpoint, actions: readonly string[]) => Check | undefined;

export function servicePath(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  requiredActions: readonly string[],
  policyCheck: PolicyCheck,
  hubs: readonly HubDeclaration[] = [],
): ServicePath {
  const { endpoints, undecided: undecidedEndpoints, takeover, groupsUnknown } = endpointsFor(world, side.vpc.key, service);
  // Endpoints that could not be seen at all: if one is the way, its security groups decide, and they are not known.
  const unseenGroups: Hop[] =
    groupsUnknown.length > 0 ? [hop("endpoint-sg-ingress", undecided(dedupeReasons(groupsUnknown)), side.vpc.key)] : [];
  const viaEndpoints = endpoints.map((e) => endpointPath(world, side, e, service, requiredActions, policyCheck));
  // A private hosted zone for the service takes its name over: the endpoint it points at is the only way.
  const viaZone = (zone: Hop): ServicePath | undefined =>
    viaEndpoints.length > 0 ? best(viaEndpoints.map((p) => answeredByZone(p, zone))) : undefined;
  const viaHub = hubPath(world, side, service, hubs, viaZone);
  if (viaHub) return viaHub;

  const viaEndpoint = viaEndpoints.length > 0 ? best(viaEndpoints) : undefined;
  if (viaEndpoint?.verdict === "pass") return viaEndpoint;
  // An interface endpoint whose private DNS name is served takes the service's name over: the agent
  // connects to it and never to the internet, so a failure there (policy, security group, ACL) is final.
  const takesOver = (path: ServicePath) =>
    path.route === "endpoint" && !path.hops.some((h) => TAKEOVER_HOPS.has(h.id) && h.verdict === "fail");
  const decisive = viaEndpoints.filter(takesOver);
  const certain = decisive.filter((p) => p.hops.every((h) => !TAKEOVER_HOPS.has(h.id) || h.verdict === "pass"));
  if (certain.length > 0) return best(certain);

  // Without an endpoint the name answers to (wrong type or region, private DNS off), the name resolves
  // to the public service address and traffic takes the subnet's route to the internet.
  const viaInternet = internetPath(world, side, service, hubs);
  // Hosted zones that could not be seen may send the name to a centralised endpoint, whose side (and the
  // ACLs and routes toward it) would then decide: what the internet path shows is not the way known to be taken.
  const hiddenZones = undecidedHostedZones(world, side.vpc.key, service);
  const hiddenSides: Hop[] = [
    ...unseenGroups,
    ...(hiddenZones.length > 0 ? [hop("hub-endpoint", undecided(dedupeReasons(hiddenZones)), side.vpc.key)] : []),
  ];
  const takeoverHop = (reasons: UnknownReason[]): Hop =>
    hop(
      "route",
      undecided(
        dedupeReasons(reasons).map((r) => ({
          ...r,
          message: `an interface endpoint or private hosted zone may take the service name over, and it is not known: ${r.message}`,
        })),
      ),
      side.vpc.key,
    );
  if (decisive.length > 0) {
    // Whether the endpoint takes the name over is not known (its private DNS, the VPC's DNS settings):
    // a failure through it is certain only when the internet path fails too.
    const maybe = best(decisive);
    if (maybe.verdict !== "fail" || viaInternet.verdict === "fail") return maybe;
    const why = maybe.hops.filter((h) => TAKEOVER_HOPS.has(h.id) && h.verdict === "unknown").flatMap((h) => h.unknowns ?? []);
    return {
      ...maybe,
      hops: maybe.hops.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: why } : h)),
      verdict: "unknown",
    };
  }
  if (viaInternet.verdict === "pass") {
    // An endpoint or hosted zone we cannot see may answer to the name instead, and its security group,
    // ACLs and policy would decide: the internet path is then not the one known to be taken.
    const hidden = [...takeover, ...hiddenZones];
    if (hidden.length === 0) return viaInternet;
    return { service, route: "unknown", hops: [takeoverHop(hidden), ...viaInternet.hops, ...hiddenSides], verdict: "unknown" };
  }
  // Where the public name leads is not known (a transit gateway, a route outside the input): so is the
  // verdict, whatever is wrong with an endpoint the name does not reach.
  if (viaInternet.verdict === "unknown") return { ...viaInternet, hops: [...viaInternet.hops, ...hiddenSides] };
  // An endpoint (or hosted zone) whose VPC or service is not known may be the one the name answers to.
  const undecidedPaths = [...undecidedEndpoints, ...hiddenZones];
  if (undecidedPaths.length > 0 && viaInternet.verdict === "fail") {
    return {
      service,
      route: "unknown",
      hops: [
        ...viaInternet.hops.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: undecidedPaths } : h)),
        ...hiddenSides,
      ],
      verdict: "unknown",
    };
  }
  // Both ways fail: the endpoint is where the fix goes, enabling its DNS (or correcting it) is what the user meant.
  if (viaEndpoint) return viaEndpoint;
  if (hiddenZones.length > 0)
    return { service, route: "unknown", hops: [takeoverHop(hiddenZones), ...viaInternet.hops, ...hiddenSides], verdict: "unknown" };
  return viaInternet;
}

// ------------------------------------------------------------------ placements

export function placementsOf(
  world: World,
  instance: Instance,
  services: ServiceId[],
  actionsOf: (s: ServiceId) => readonly string[],
  policyCheck: PolicyCheck,
  hubs: readonly HubDeclaration[] = [],
): Placement[] {
  const subnets = instance.subnets;
  if (!isKnown(subnets)) {
    return [{ subnet: subnets, paths: services.map((service) => unknownPath(world, instance, service, subnets.reason, instance.key)) }];
  }
  if (subnets.value.length === 0) {
    const reason: UnknownReason = { code: "outside", message: `${instance.name} names no subnet` };
    return [
      { subnet: unknown("outside", reason.message), paths: services.map((s) => unknownPath(world, instance, s, reason, instance.key)) },
    ];
  }
  return subnets.value.map((ref) => {
    const subnet = lookup(world.subnets, ref, "subnet");
    if (!isKnown(subnet)) return { subnet: ref, paths: services.map((s) => unknownPath(world, instance, s, subnet.reason, instance.key)) };
    const vpc = lookup(world.vpcs, subnet.value.vpc, "VPC");
    if (!isKnown(vpc)) return { subnet: ref, paths: services.map((s) => unknownPath(world, instance, s, vpc.reason, subnet.value.key)) };
    const ranges = instanceRanges(instance, subnet.value);
    const side: InstanceSide = { instance, subnet: subnet.value, vpc: vpc.value, ranges };
    return { subnet: ref, paths: services.map((s) => servicePath(world, side, s, actionsOf(s), policyCheck, hubs)) };
  });
}

function instanceRanges(instance: Instance, subnet: Subnet): Value<string[]> {
  const ip = instance.privateIp ? knownValue(instance.privateIp) : undefined;
  if (ip) return known([`${ip}/32`]);
  return isKnown(subnet.cidrBlock) ? known([subnet.cidrBlock.value]) : subnet.cidrBlock;
}

/**
 * When the destination is not known (subnet or route outside the input), the instance's egress can still
 * be judged: 443 to 0.0.0.0/0 reaches wherever the service is; no 443 rule at all reaches nowhere.
 */
function egressToAnywhereHop(world: World, instance: Instance): Hop {
  const peer: TrafficPeer = {
    ranges: unknown("outside", "where the Systems Manager endpoints are depends on the unknown path"),
    groups: unknown("outside", "which security groups the endpoints have depends on the unknown path"),
    label: "the Systems Manager endpoints or the internet",
  };
  return hop(
    "instance-sg-egress",
    evaluateSecurityGroups(world, instance.securityGroups, "egress", peer, "tcp", HTTPS),
    firstGroup(instance.securityGroups),
  );
}

function unknownPath(world: World, instance: Instance, service: ServiceId, reason: UnknownReason, subject: Ref): ServicePath {
  const hops = [hop("subnet", undecided([reason]), subject), egressToAnywhereHop(world, instance)];
  return { service, route: "unknown", hops, verdict: verdictOf(hops) };
}

export type { InstanceSide };
