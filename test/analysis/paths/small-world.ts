/**
 * A small hand-built network for the path tests, every piece named so a test reads like its drawing:
 *
 *   vpc 10.0.0.0/16 (DNS support and hostnames on, the default DHCP options)
 *   ├─ public    10.0.0.0/24  route table rt-public: 0.0.0.0/0 → igw (attached); nat lives here
 *   ├─ private   10.0.1.0/24  route table rt-private: 0.0.0.0/0 → nat; the instance i-app (10.0.1.10)
 *   └─ endpoints 10.0.2.0/24  route table rt-private; where endpoints put their interfaces
 *   every subnet uses acl-open (allow all, both ways); i-app has sg-app (egress TCP 443 anywhere);
 *   sg-endpoint admits TCP 443 from the VPC; sg-default admits only itself.
 *
 * Tests change one piece (`update`) and read the path for one service (`pathOf`).
 */
import { type HopId, type PolicyCheck, placementsOf, type ServicePath } from "../../../src/analysis/paths.js";
import type { ServiceId } from "../../../src/analysis/services.js";
import type { Check } from "../../../src/analysis/verdict.js";
import {
  assumedAgentVersion,
  defaulted,
  emptyWorld,
  type HubDeclaration,
  type Instance,
  known,
  type NetworkAclEntry,
  type Ref,
  type RouteTarget,
  type Value,
  type VpcEndpoint,
  type World,
} from "../../../src/model/index.js";
import { acl, egress, entry, group, ingress, list, origin } from "../helpers.js";

export const REGION = "us-east-1";
export const INSTANCE = "i-app";

export interface SmallWorldOptions {
  source?: World["source"];
  region?: Value<string>;
}

export function smallWorld(options: SmallWorldOptions = {}): World {
  const world = emptyWorld(options.source ?? "cloudformation", ["template.yaml"], {
    region: options.region ?? known(REGION),
    dhmc: defaulted({ enabled: false }),
    agentVersion: assumedAgentVersion(undefined),
  });
  world.vpcs.set("vpc", {
    key: "vpc",
    name: "vpc",
    origin: origin("vpc"),
    cidrBlocks: known(["10.0.0.0/16"]),
    enableDnsSupport: known(true),
    enableDnsHostnames: known(true),
    dhcpOptions: known(null),
    defaultSecurityGroup: "sg-default",
    mainRouteTable: "rt-main",
    defaultNetworkAcl: "acl-open",
  });
  addSubnet(world, "public", "10.0.0.0/24", "rt-public", true);
  addSubnet(world, "private", "10.0.1.0/24", "rt-private");
  addSubnet(world, "endpoints", "10.0.2.0/24", "rt-private");
  addRouteTable(world, "rt-main", [], true);
  addRouteTable(world, "rt-public", [["0.0.0.0/0", toGateway("internet-gateway", "igw")]]);
  addRouteTable(world, "rt-private", [["0.0.0.0/0", toGateway("nat-gateway", "nat")]]);
  world.internetGateways.set("igw", { key: "igw", name: "igw", origin: origin("igw"), vpc: known("vpc") });
  world.natGateways.set("nat", { key: "nat", name: "nat", origin: origin("nat"), subnet: known("public"), connectivity: known("public") });
  addAcl(world, "acl-open", [entry(100, false, "allow", "0.0.0.0/0", "-1"), entry(100, true, "allow", "0.0.0.0/0", "-1")]);
  const inVpc = { vpc: known("vpc") };
  world.securityGroups.set("sg-app", group("sg-app", [egress("tcp", 443, 443, "0.0.0.0/0")], inVpc));
  world.securityGroups.set("sg-endpoint", group("sg-endpoint", [ingress("tcp", 443, 443, "10.0.0.0/16")], inVpc));
  world.securityGroups.set(
    "sg-default",
    group("sg-default", [ingress("-1", 0, 65535, "sg:sg-default"), egress("-1", 0, 65535, "0.0.0.0/0")], { ...inVpc, isDefault: true }),
  );
  world.instances.set(INSTANCE, {
    key: INSTANCE,
    name: INSTANCE,
    origin: origin(INSTANCE),
    computeKind: "instance",
    image: known({ kind: "ssm-parameter", name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }),
    userData: known(null),
    subnets: list(["private"]),
    securityGroups: list(["sg-app"]),
    associatePublicIp: known(null),
    privateIp: known("10.0.1.10"),
    instanceProfile: known(null),
    metadata: { httpEndpoint: known("enabled"), httpTokens: known("required") },
  });
  return world;
}

export function addSubnet(world: World, key: Ref, cidr: string, routeTable: Ref, mapPublicIp = false): void {
  world.subnets.set(key, {
    key,
    name: key,
    origin: origin(key),
    vpc: known("vpc"),
    cidrBlock: known(cidr),
    availabilityZone: known(`${REGION}a`),
    mapPublicIpOnLaunch: known(mapPublicIp),
    routeTable: known(routeTable),
    networkAcl: known("acl-open"),
  });
}

export function toGateway(kind: "internet-gateway" | "nat-gateway", gateway: Ref): RouteTarget {
  return { kind, gateway: known(gateway) };
}

/** A route table of the VPC; each route is [IPv4 destination, target]. */
export function addRouteTable(world: World, key: Ref, routes: [string, RouteTarget][], isMain = false): void {
  world.routeTables.set(key, {
    key,
    name: key,
    origin: origin(key),
    vpc: known("vpc"),
    routes: routes.map(([cidr, target], i) => ({
      destination: known({ kind: "ipv4" as const, cidr }),
      target: known(target),
      origin: origin(`${key}-route-${i}`),
    })),
    routesComplete: true,
    isMain,
  });
}

export function addAcl(world: World, key: Ref, entries: NetworkAclEntry[]): void {
  world.networkAcls.set(key, acl(entries, { key, name: key, origin: origin(key), vpc: known("vpc") }));
}

/** An interface endpoint for the service in the endpoints subnet with sg-endpoint and private DNS, changed by `changes`. */
export function addEndpoint(world: World, key: Ref, service: ServiceId | string, changes: Partial<VpcEndpoint> = {}): VpcEndpoint {
  const endpoint: VpcEndpoint = {
    key,
    name: key,
    origin: origin(key),
    vpc: known("vpc"),
    serviceName: known(`com.amazonaws.${REGION}.${service}`),
    endpointType: known("Interface"),
    privateDnsEnabled: known(true),
    subnets: list(["endpoints"]),
    securityGroups: list(["sg-endpoint"]),
    routeTables: known([]),
    policy: known(null),
    ...changes,
  };
  world.vpcEndpoints.set(key, endpoint);
  return endpoint;
}

/** Replaces some fields of one element (the model's elements are read-only values). */
export function update<Element>(map: Map<Ref, Element>, key: Ref, changes: Partial<Element>): void {
  const element = map.get(key);
  if (!element) throw new Error(`${key} is not in the world`);
  map.set(key, { ...element, ...changes });
}

export interface PathOptions {
  instance?: Ref;
  policyCheck?: PolicyCheck;
  hubs?: readonly HubDeclaration[];
}

/**
 * The path of the instance's first placement to one service. The analysis indexes endpoints and hub
 * attachments once per world object: each call reads a copy, so it sees the changes a test made since.
 */
export function pathOf(world: World, service: ServiceId, options: PathOptions = {}): ServicePath {
  const instance = world.instances.get(options.instance ?? INSTANCE) as Instance;
  const copy: World = { ...world };
  const placements = placementsOf(copy, instance, [service], () => [], options.policyCheck ?? (() => undefined), options.hubs ?? []);
  return placements[0]!.paths[0]!;
}

/** "hop-id verdict" per hop, in order: the shape of a path at a glance. */
export function hopsOf(path: ServicePath): string[] {
  return path.hops.map((h) => `${h.id} ${h.verdict}`);
}

export function hopOf(path: ServicePath, id: HopId, nth = 0): ServicePath["hops"][number] {
  const hops = path.hops.filter((h) => h.id === id);
  const found = hops[nth];
  if (!found) throw new Error(`no hop ${id} #${nth} in ${hopsOf(path).join(", ")}`);
  return found;
}

export function codesOf(check: Check): string[] {
  return check.evidence.map((e) => e.code);
}

export function reasonCodesOf(check: Check): string[] {
  return (check.unknowns ?? []).map((u) => u.code);
}
