/**
 * The way through a VPC endpoint of the instance's VPC: the endpoint itself (type, region, state,
 * policy), then for an interface endpoint its private DNS, the security groups at both ends and the
 * network ACLs of both subnets; for an S3 gateway endpoint the route table association.
 */
import {
  DEPLOYMENT_REGION,
  isKnown,
  known,
  knownValue,
  type Ref,
  type Subnet,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
  type Vpc,
  type VpcEndpoint,
  type World,
} from "../../model/index.js";
import { cidrContains, parseIpv4Cidr } from "../cidr.js";
import { HTTPS } from "../ports.js";
import { evaluateSecurityGroups } from "../security-groups.js";
import { parseServiceName, type ServiceId } from "../services.js";
import { type Check, fail, pass, undecided } from "../verdict.js";
import { endpointDnsHops } from "./dns.js";
import { firstGroup, type Hop, hop, type InstanceSide, lookup, type PolicyCheck, type ServicePath, verdictOf } from "./hops.js";
import { type AclPeer, clientLegs, crossesSubnet, serverLegs } from "./network-acl-legs.js";
import { instanceEgressHop } from "./security-group-hops.js";

/** The path through one VPC endpoint of the instance's VPC for the service. */
export function endpointPath(
  world: World,
  side: InstanceSide,
  endpoint: VpcEndpoint,
  service: ServiceId,
  requiredActions: readonly string[],
  policyCheck: PolicyCheck,
): ServicePath {
  const path = (hops: Hop[], route: ServicePath["route"] = "endpoint"): ServicePath => ({
    service,
    route,
    endpoint: endpoint.key,
    hops,
    verdict: verdictOf(hops),
  });
  // A wrong type or region ends the path there: nothing behind it is ever reached.
  const type = endpointTypeHop(endpoint, service);
  if (type.verdict === "fail") return path([type]);
  const hops: Hop[] = [type];
  const region = endpointRegionHop(world, endpoint);
  if (region) {
    hops.push(region);
    if (region.verdict === "fail") return path(hops);
  }
  const state = endpointStateHop(endpoint);
  if (state) hops.push(state);
  const policy = policyCheck(endpoint, requiredActions);
  if (policy) hops.push(hop("endpoint-policy", policy, endpoint.key));

  if (knownValue(endpoint.endpointType) === "Gateway") {
    // S3 gateway endpoint: the subnet's route table must be associated; traffic leaves by prefix list, to the
    // service's public addresses, which the subnet's network ACL must let out and back in ("Gateway endpoints for
    // Amazon S3", AWS PrivateLink guide).
    const label = `the ${service} service (gateway endpoint)`;
    hops.push(
      hop("route", gatewayEndpointRouted(side, endpoint), endpoint.key),
      instanceEgressHop(world, side.instance, { ranges: known([]), groups: known([]), internet: true, label }),
      ...clientLegs(world, side.subnet, INSTANCE_LEGS, { ranges: known(["0.0.0.0/0"]), internet: true, label }, side.replyPorts),
    );
    return path(hops, "gateway-endpoint");
  }

  const dns = endpointDnsHops(world, side.vpc, endpoint);
  const none = withoutInterfaces(endpoint, service);
  // Without a subnet the endpoint has no network interface: the name may still be its (private DNS), but nothing answers.
  if (none) return path([...hops, ...dns, none]);
  const endpointRanges = endpoint.networkInterfaceAddresses ?? subnetRanges(world, endpoint.subnets);
  hops.push(
    ...dns,
    ...endpointSecurityGroupHops(world, side, endpoint, service, endpointRanges),
    ...endpointAclHops(world, side, endpoint, service, endpointRanges),
  );
  return path(hops);
}

/**
 * A failing hop when an interface endpoint is known to name no subnet (and, live, to have no network interface): it
 * places a network interface in each subnet it names, and none is there to answer.
 */
function withoutInterfaces(endpoint: VpcEndpoint, service: ServiceId): Hop | undefined {
  const subnets = endpoint.subnets;
  if (!isKnown(subnets) || subnets.value.length > 0) return undefined;
  const addresses = endpoint.networkInterfaceAddresses;
  if (addresses && (!isKnown(addresses) || addresses.value.length > 0)) return undefined;
  return hop(
    "route",
    fail([{ code: "endpoint-no-subnets", args: { endpoint: endpoint.name, service }, origin: subnets.origin ?? endpoint.origin }]),
    endpoint.key,
  );
}

/** An interface endpoint serves every service; a gateway endpoint only S3. */
function endpointTypeHop(endpoint: VpcEndpoint, service: ServiceId): Hop {
  const type = endpoint.endpointType;
  if (!isKnown(type)) return hop("endpoint-type", undecided([type.reason]), endpoint.key);
  if (type.value === "Interface" || (service === "s3" && type.value === "Gateway")) return hop("endpoint-type", pass(), endpoint.key);
  return hop(
    "endpoint-type",
    fail([
      {
        code: "endpoint-type",
        args: { endpoint: endpoint.name, type: type.value, defaulted: type.provenance === "default", service },
        origin: type.origin ?? endpoint.origin,
      },
    ]),
    endpoint.key,
  );
}

/** The region the endpoint's service name names, against the deployment's; no hop when they match. */
function endpointRegionHop(world: World, endpoint: VpcEndpoint): Hop | undefined {
  const parsed = parseServiceName(knownValue(endpoint.serviceName) ?? "");
  if (!parsed) return undefined;
  const matches = regionMatches(parsed.region, world);
  if (!isKnown(matches)) return hop("endpoint-region", undecided([matches.reason]), endpoint.key);
  if (matches.value) return undefined;
  return hop(
    "endpoint-region",
    fail([
      {
        code: "endpoint-region",
        args: { endpoint: endpoint.name, region: parsed.region, deployment: knownValue(world.assumptions.region) ?? "?" },
        origin: endpoint.serviceName.kind === "known" ? (endpoint.serviceName.origin ?? endpoint.origin) : endpoint.origin,
      },
    ]),
    endpoint.key,
  );
}

/** Whether the endpoint's region is the deployment's (a placeholder for the deployment's own always is). */
function regionMatches(endpointRegion: string, world: World): Value<boolean> {
  if (endpointRegion === DEPLOYMENT_REGION) return known(true);
  const region = world.assumptions.region;
  if (!isKnown(region)) {
    return unknown("parameter", `the endpoint names region ${endpointRegion} and the deployment region is not known`, "pass --region");
  }
  return known(region.value === endpointRegion);
}

/** The endpoint's state, where the input tells it (live): only an available endpoint answers. */
function endpointStateHop(endpoint: VpcEndpoint): Hop | undefined {
  const state = endpoint.state;
  if (!state) return undefined;
  return hop(
    "endpoint-state",
    !isKnown(state)
      ? undecided([state.reason])
      : state.value.toLowerCase() === "available"
        ? pass()
        : fail([{ code: "endpoint-state", args: { endpoint: endpoint.name, state: state.value }, origin: endpoint.origin }]),
    endpoint.key,
  );
}

/** Whether the gateway endpoint is associated with the route table of the instance's subnet. */
function gatewayEndpointRouted(side: InstanceSide, endpoint: VpcEndpoint): Check {
  const tables = endpoint.routeTables;
  const subnetTable = side.subnet.routeTable;
  if (!isKnown(tables)) return undecided([tables.reason]);
  if (!isKnown(subnetTable)) return undecided([subnetTable.reason]);
  if (tables.value.some((t) => isKnown(t) && t.value === subnetTable.value)) return pass();
  if (tables.value.some((t) => !isKnown(t))) return undecided(tables.value.flatMap((t) => (isKnown(t) ? [] : [t.reason])));
  return fail([
    { code: "gateway-endpoint-not-routed", args: { endpoint: endpoint.name, routeTable: subnetTable.value }, origin: endpoint.origin },
  ]);
}

/** Security groups on both ends: the instance's let 443 out to the endpoint, the endpoint's let it in. */
function endpointSecurityGroupHops(
  world: World,
  side: InstanceSide,
  endpoint: VpcEndpoint,
  service: ServiceId,
  endpointRanges: Value<string[]>,
): Hop[] {
  const groups = endpointGroups(endpoint, side.vpc);
  const egress = instanceEgressHop(world, side.instance, {
    ranges: endpointRanges,
    groups,
    label: `the ${service} endpoint's network interfaces`,
  });
  const ingress = hop(
    "endpoint-sg-ingress",
    evaluateSecurityGroups(
      world,
      groups,
      "ingress",
      { ranges: side.ranges, groups: side.instance.securityGroups, label: side.instance.name },
      "tcp",
      HTTPS,
    ),
    // Without security groups of its own the endpoint gets the VPC default group: the fix is on the endpoint.
    isKnown(endpoint.securityGroups) && endpoint.securityGroups.value.length === 0 ? endpoint.key : (firstGroup(groups) ?? endpoint.key),
  );
  return [egress, ingress];
}

/** The endpoint's security groups; one without any gets the VPC's default group. */
function endpointGroups(endpoint: VpcEndpoint, vpc: Vpc): ValueList<Ref> {
  const groups = endpoint.securityGroups;
  if (isKnown(groups) && groups.value.length === 0) return known([known(vpc.defaultSecurityGroup)]);
  return groups;
}

const INSTANCE_LEGS = ["nacl-instance-outbound", "nacl-instance-inbound"] as const;
const ENDPOINT_LEGS = ["nacl-endpoint-inbound", "nacl-endpoint-outbound"] as const;

/**
 * Network ACLs: the instance's subnet and each endpoint subnet, both directions. Only traffic that crosses
 * from one subnet to another meets them.
 */
function endpointAclHops(
  world: World,
  side: InstanceSide,
  endpoint: VpcEndpoint,
  service: ServiceId,
  endpointRanges: Value<string[]>,
): Hop[] {
  const label = `the ${service} endpoint's subnets`;
  const subnets = endpoint.subnets;
  if (!isKnown(subnets)) {
    // Without the endpoint's subnets, it may sit in the instance's own: then the ACL is never met, and
    // neither the endpoint subnets' ACLs nor whether the reply may leave them is known.
    const legs = clientLegs(world, side.subnet, INSTANCE_LEGS, { ranges: endpointRanges, label }, side.replyPorts);
    return [
      ...legs.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: [subnets.reason] } : h)),
      hop("nacl-endpoint-inbound", undecided([subnets.reason]), endpoint.key),
      hop("nacl-endpoint-outbound", undecided([subnets.reason]), endpoint.key),
    ];
  }
  const { crossing, unseen } = endpointSubnetsApart(world, side.subnet, subnets.value);
  const hops: Hop[] = [];
  if (crossing.length > 0 || unseen.length > 0) {
    // Only the interfaces in other subnets meet the instance subnet's ACL: traffic within a subnet never does.
    const ranges = unseen.length === 0 ? rangesWithin(endpointRanges, crossing) : endpointRanges;
    hops.push(...clientLegs(world, side.subnet, INSTANCE_LEGS, { ranges, label }, side.replyPorts));
  }
  const instancePeer: AclPeer = { ranges: side.ranges, label: side.instance.name };
  for (const subnet of crossing) hops.push(...serverLegs(world, subnet, ENDPOINT_LEGS, instancePeer, side.replyPorts));
  // An endpoint subnet we cannot see: its ACL (and whether it is the instance's own subnet) is not known.
  if (unseen.length > 0) {
    hops.push(
      hop("nacl-endpoint-inbound", undecided(unseen), endpoint.key),
      hop("nacl-endpoint-outbound", undecided(unseen), endpoint.key),
    );
  }
  return hops;
}

/** The endpoint's subnets other than the instance's, and why the ones not in the input are not known. */
function endpointSubnetsApart(
  world: World,
  instanceSubnet: Subnet,
  endpointSubnets: Value<Ref>[],
): { crossing: Subnet[]; unseen: UnknownReason[] } {
  const crossing: Subnet[] = [];
  const unseen: UnknownReason[] = [];
  for (const ref of endpointSubnets) {
    const subnet = lookup(world.subnets, ref, "subnet");
    if (!isKnown(subnet)) unseen.push(subnet.reason);
    else if (crossesSubnet(subnet.value, instanceSubnet)) crossing.push(subnet.value);
  }
  return { crossing, unseen };
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
