/**
 * Network resources → VPCs (with their synthesized default security group, main route table and
 * default network ACL), subnets, route tables and routes, gateways, security groups and their rules,
 * network ACLs, VPC endpoints, DHCP options and private hosted zones.
 */

import {
  allowAllEgressRule,
  DEFAULT_ENDPOINT_TYPE,
  defaulted,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  type EgressManagement,
  type EndpointType,
  endpointTypeNamed,
  type InternetGateway,
  known,
  mainRouteTableKey,
  type NatGateway,
  type NetworkAcl,
  type NetworkAclEntry,
  normalizeProtocol,
  type Origin,
  type Peer,
  type Protocol,
  portsMeaning,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
  synthesizeVpcDefaults,
  type UnknownReason,
  unknown,
  type Value,
  type Vpc,
  type World,
} from "../../model/index.js";
import type { Template } from "./template.js";
import { type Ev, type ResourceInfo, T } from "./types.js";

/** The key of the resource an expression refers to, when it is one of `types` in this template. */
function keyOf(ev: Ev, types: readonly string[]): Ref | undefined {
  return ev.k === "ref" && types.includes(ev.type) ? ev.id : undefined;
}

function conditionalOf(resource: ResourceInfo): { conditional?: UnknownReason } {
  return resource.conditional ? { conditional: resource.conditional } : {};
}

export function buildNetwork(t: Template, world: World): void {
  buildVpcs(t, world);
  buildSubnets(t, world);
  buildRouteTables(t, world);
  buildGateways(t, world);
  buildSecurityGroups(t, world);
  buildNetworkAcls(t, world);
  buildEndpoints(t, world);
  buildDhcpOptions(t, world);
  buildHostedZones(t, world);
}

// ---------------------------------------------------------------- VPCs

function buildVpcs(t: Template, world: World): void {
  const secondary = new Map<Ref, { ev: Ev; resource: ResourceInfo }[]>();
  for (const resource of t.ofType(T.vpcCidrBlock)) {
    const vpc = keyOf(t.prop(resource, "VpcId"), [T.vpc]);
    const cidr = t.prop(resource, "CidrBlock");
    if (!vpc || cidr.k === "none") continue; // IPv6 blocks and IPAM pools without a CIDR
    const list = secondary.get(vpc) ?? [];
    list.push({ ev: cidr, resource });
    secondary.set(vpc, list);
  }
  const dhcp = new Map<Ref, Value<Ref | null>>();
  for (const resource of t.ofType(T.dhcpOptionsAssociation)) {
    const vpc = keyOf(t.prop(resource, "VpcId"), [T.vpc]);
    if (!vpc) continue;
    const pointer = t.propertyPointer(resource, "DhcpOptionsId");
    const options = t.prop(resource, "DhcpOptionsId");
    let value: Value<Ref | null>;
    if (options.k === "s" && String(options.v).toLowerCase() === "default") value = known(null, t.origin(pointer));
    else value = t.ref(options, "DhcpOptionsId", pointer, [T.dhcpOptions], "a DHCP option set");
    if (resource.conditional)
      value = unknown("condition", resource.conditional.message, resource.conditional.decide, t.origin(resource.pointer));
    dhcp.set(vpc, value);
  }

  for (const resource of t.ofType(T.vpc)) {
    const key = resource.id;
    const origin = t.origin(resource.pointer);
    const pointer = (name: string) => t.propertyPointer(resource, name);
    let cidrBlocks: Value<string[]>;
    const primary = t.prop(resource, "CidrBlock");
    if (primary.k === "none") {
      cidrBlocks = unknown("computed", "the VPC's CIDR comes from an IPAM pool at deploy time", undefined, origin);
    } else {
      const first = t.str(primary, "CidrBlock", pointer("CidrBlock"));
      cidrBlocks = first.kind === "known" ? known([first.value], first.origin) : first;
      for (const extra of secondary.get(key) ?? []) {
        if (cidrBlocks.kind !== "known") break;
        const value = t.str(extra.ev, "CidrBlock", t.propertyPointer(extra.resource, "CidrBlock"));
        cidrBlocks = value.kind === "known" ? known([...cidrBlocks.value, value.value], cidrBlocks.origin) : value;
      }
    }
    const vpc: Vpc = {
      ...t.base(resource),
      cidrBlocks,
      enableDnsSupport: t.withDefault(t.prop(resource, "EnableDnsSupport"), true, (ev) =>
        t.bool(ev, "EnableDnsSupport", pointer("EnableDnsSupport")),
      ),
      enableDnsHostnames: t.withDefault(t.prop(resource, "EnableDnsHostnames"), false, (ev) =>
        t.bool(ev, "EnableDnsHostnames", pointer("EnableDnsHostnames")),
      ),
      dhcpOptions: dhcp.get(key) ?? defaulted(null),
      defaultSecurityGroup: defaultSecurityGroupKey(key),
      mainRouteTable: mainRouteTableKey(key),
      defaultNetworkAcl: defaultNetworkAclKey(key),
    };
    world.vpcs.set(key, vpc);
    synthesizeVpcDefaults(world, key, origin, resource.conditional);
  }
}

// ---------------------------------------------------------------- subnets

/** Subnet → explicit association (route table or ACL), keyed by subnet. */
function associations(t: Template, type: string, property: string, targetType: string, what: string): Map<Ref, Value<Ref>> {
  const out = new Map<Ref, Value<Ref>>();
  for (const resource of t.ofType(type)) {
    const subnet = keyOf(t.prop(resource, "SubnetId"), [T.subnet]);
    if (!subnet) continue;
    let value = t.ref(t.prop(resource, property), property, t.propertyPointer(resource, property), [targetType], what);
    if (resource.conditional)
      value = unknown("condition", resource.conditional.message, resource.conditional.decide, t.origin(resource.pointer));
    out.set(subnet, value);
  }
  return out;
}

function buildSubnets(t: Template, world: World): void {
  const routeTables = associations(t, T.subnetRouteTableAssociation, "RouteTableId", T.routeTable, "a route table");
  const acls = associations(t, T.subnetNetworkAclAssociation, "NetworkAclId", T.networkAcl, "a network ACL");
  for (const resource of t.ofType(T.subnet)) {
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const vpc = t.ref(t.prop(resource, "VpcId"), "VpcId", pointer("VpcId"), [T.vpc], "a VPC");
    const outsideVpc = (what: string) =>
      unknown("outside", `the subnet's VPC is not in this template, so its ${what} is not known`, undefined, t.origin(pointer("VpcId")));
    const az = t.prop(resource, "AvailabilityZone");
    let availabilityZone: Value<string>;
    if (az.k !== "none") availabilityZone = t.str(az, "AvailabilityZone", pointer("AvailabilityZone"));
    else if (t.prop(resource, "AvailabilityZoneId").k !== "none") {
      availabilityZone = unknown(
        "unresolved",
        "the subnet names its zone by AvailabilityZoneId; zone names differ per account",
        undefined,
        t.origin(pointer("AvailabilityZoneId")),
      );
    } else
      availabilityZone = unknown(
        "computed",
        "AvailabilityZone is not set: AWS chooses the zone at deploy time",
        undefined,
        t.origin(resource.pointer),
      );
    const subnet: Subnet = {
      ...t.base(resource),
      vpc,
      cidrBlock:
        t.prop(resource, "CidrBlock").k === "none"
          ? unknown("computed", "the subnet's CIDR comes from an IPAM pool or IPv6 at deploy time", undefined, t.origin(resource.pointer))
          : t.str(t.prop(resource, "CidrBlock"), "CidrBlock", pointer("CidrBlock")),
      availabilityZone,
      mapPublicIpOnLaunch: t.withDefault(t.prop(resource, "MapPublicIpOnLaunch"), false, (ev) =>
        t.bool(ev, "MapPublicIpOnLaunch", pointer("MapPublicIpOnLaunch")),
      ),
      routeTable:
        routeTables.get(resource.id) ?? (vpc.kind === "known" ? defaulted(mainRouteTableKey(vpc.value)) : outsideVpc("main route table")),
      networkAcl:
        acls.get(resource.id) ?? (vpc.kind === "known" ? defaulted(defaultNetworkAclKey(vpc.value)) : outsideVpc("default network ACL")),
    };
    world.subnets.set(resource.id, subnet);
  }
}

// ---------------------------------------------------------------- routes

const ROUTE_TARGETS = [
  "GatewayId",
  "NatGatewayId",
  "TransitGatewayId",
  "VpcPeeringConnectionId",
  "InstanceId",
  "NetworkInterfaceId",
  "VpcEndpointId",
  "EgressOnlyInternetGatewayId",
  "CarrierGatewayId",
  "LocalGatewayId",
  "CoreNetworkArn",
] as const;

/** A readable id for target kinds that carry a plain id: the logical id, the literal, or what it depends on. */
function idText(ev: Ev): string {
  if (ev.k === "ref") return ev.id;
  if (ev.k === "s") return String(ev.v);
  if (ev.k === "unk") return `unknown (${ev.reason.message})`;
  return "unknown";
}

function routeTarget(t: Template, resource: ResourceInfo): Value<RouteTarget> {
  for (const property of ROUTE_TARGETS) {
    const ev = t.prop(resource, property);
    if (ev.k === "none") continue;
    const pointer = t.propertyPointer(resource, property);
    const origin = t.origin(ev.at ?? pointer);
    if (ev.k === "unk" && (ev.reason.code === "condition" || property === "GatewayId")) {
      return unknown(ev.reason.code, ev.reason.message, ev.reason.decide, origin);
    }
    const literal = ev.k === "s" ? String(ev.v) : "";
    switch (property) {
      case "GatewayId": {
        if (ev.k === "ref") {
          if (ev.type === T.internetGateway) return known({ kind: "internet-gateway", gateway: known(ev.id, origin) }, origin);
          if (ev.type === T.vpnGateway) return known({ kind: "virtual-private-gateway", id: ev.id }, origin);
          return known({ kind: "other", description: `GatewayId ${ev.id} (${ev.type})` }, origin);
        }
        if (literal === "local") return known({ kind: "local" }, origin);
        if (literal.startsWith("igw-")) {
          return known(
            {
              kind: "internet-gateway",
              gateway: unknown("outside", `GatewayId is ${literal}, an internet gateway not in this template`, undefined, origin),
            },
            origin,
          );
        }
        if (literal.startsWith("vgw-")) return known({ kind: "virtual-private-gateway", id: literal }, origin);
        return unknown("outside", `GatewayId is ${literal || "not known"}: which kind of gateway is not known`, undefined, origin);
      }
      case "NatGatewayId":
        return known({ kind: "nat-gateway", gateway: t.ref(ev, "NatGatewayId", pointer, [T.natGateway], "a NAT gateway") }, origin);
      case "TransitGatewayId":
        return known({ kind: "transit-gateway", id: idText(ev) }, origin);
      case "VpcPeeringConnectionId":
        return known({ kind: "peering", id: idText(ev) }, origin);
      case "InstanceId":
        return known({ kind: "instance", id: idText(ev) }, origin);
      case "NetworkInterfaceId":
        return known({ kind: "network-interface", id: idText(ev) }, origin);
      case "VpcEndpointId":
        return known({ kind: "vpc-endpoint", id: idText(ev) }, origin);
      case "EgressOnlyInternetGatewayId":
        return known({ kind: "egress-only-internet-gateway" }, origin);
      default:
        return known({ kind: "other", description: `${property} ${idText(ev)}` }, origin);
    }
  }
  return unknown("unresolved", "the route names no target", undefined, t.origin(resource.pointer));
}

function routeDestination(t: Template, resource: ResourceInfo): Route["destination"] {
  const candidates = [
    ["DestinationCidrBlock", "ipv4"],
    ["DestinationIpv6CidrBlock", "ipv6"],
    ["DestinationPrefixListId", "prefix-list"],
  ] as const;
  for (const [property, kind] of candidates) {
    const ev = t.prop(resource, property);
    if (ev.k === "none") continue;
    const pointer = t.propertyPointer(resource, property);
    if (kind === "prefix-list") {
      if (ev.k === "ref") return known({ kind, id: ev.id }, t.origin(pointer));
      const id = t.str(ev, property, pointer);
      return id.kind === "known" ? known({ kind, id: id.value }, id.origin) : id;
    }
    const cidr = t.str(ev, property, pointer);
    return cidr.kind === "known" ? known({ kind, cidr: cidr.value }, cidr.origin) : cidr;
  }
  return unknown("unresolved", "the route names no destination", undefined, t.origin(resource.pointer));
}

function buildRouteTables(t: Template, world: World): void {
  const routes = new Map<Ref, Route[]>();
  for (const resource of t.ofType(T.route)) {
    // A route in a table passed from outside (a parameter) says nothing about tables of this template.
    const table = keyOf(t.prop(resource, "RouteTableId"), [T.routeTable]);
    if (!table) continue;
    const route: Route = {
      destination: routeDestination(t, resource),
      target: routeTarget(t, resource),
      origin: t.origin(resource.pointer),
      ...conditionalOf(resource),
    };
    const list = routes.get(table) ?? [];
    list.push(route);
    routes.set(table, list);
  }
  for (const resource of t.ofType(T.routeTable)) {
    const table: RouteTable = {
      ...t.base(resource),
      vpc: t.ref(t.prop(resource, "VpcId"), "VpcId", t.propertyPointer(resource, "VpcId"), [T.vpc], "a VPC"),
      routes: routes.get(resource.id) ?? [],
      routesComplete: true,
      isMain: false,
    };
    world.routeTables.set(resource.id, table);
  }
}

// ---------------------------------------------------------------- gateways

function buildGateways(t: Template, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  for (const resource of t.ofType(T.gatewayAttachment)) {
    const gateway = keyOf(t.prop(resource, "InternetGatewayId"), [T.internetGateway]);
    if (!gateway) continue;
    let vpc: Value<Ref | null> = t.ref(t.prop(resource, "VpcId"), "VpcId", t.propertyPointer(resource, "VpcId"), [T.vpc], "a VPC");
    if (resource.conditional)
      vpc = unknown("condition", resource.conditional.message, resource.conditional.decide, t.origin(resource.pointer));
    attachments.set(gateway, vpc);
  }
  for (const resource of t.ofType(T.internetGateway)) {
    const gateway: InternetGateway = { ...t.base(resource), vpc: attachments.get(resource.id) ?? defaulted(null) };
    world.internetGateways.set(resource.id, gateway);
  }
  for (const resource of t.ofType(T.natGateway)) {
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const nat: NatGateway = {
      ...t.base(resource),
      subnet: t.ref(t.prop(resource, "SubnetId"), "SubnetId", pointer("SubnetId"), [T.subnet], "a subnet"),
      connectivity: t.withDefault<"public" | "private">(t.prop(resource, "ConnectivityType"), "public", (ev) => {
        const value = t.str(ev, "ConnectivityType", pointer("ConnectivityType"));
        if (value.kind !== "known") return value;
        const lower = value.value.toLowerCase();
        return lower === "public" || lower === "private"
          ? known(lower, value.origin)
          : unknown("unresolved", `ConnectivityType is '${value.value}'`, undefined, value.origin);
      }),
    };
    world.natGateways.set(resource.id, nat);
  }
}

// ---------------------------------------------------------------- security groups

function protocolValue(t: Template, ev: Ev, label: string, pointer: string): Value<Protocol> {
  if (ev.k === "none") return unknown("unresolved", `${label} is missing`, undefined, t.origin(pointer));
  if (ev.k === "s" && ev.v !== null && typeof ev.v !== "boolean") return known(normalizeProtocol(String(ev.v)), t.origin(ev.at ?? pointer));
  return t.unknownFrom(ev, label, pointer);
}

/** From/to ports by protocol: all → 0–65535; tcp/udp need them (-1 = all); icmp keeps type/code. */
function portValues(
  t: Template,
  protocol: Value<Protocol>,
  from: Ev,
  to: Ev,
  pointers: { from: string; to: string },
): { fromPort: Value<number>; toPort: Value<number> } {
  const read = (ev: Ev, label: string, pointer: string, edge: number, missing: Value<number>): Value<number> => {
    if (ev.k === "none") return missing;
    const value = t.num(ev, label, pointer);
    return value.kind === "known" && value.value === -1 ? known(edge, value.origin) : value;
  };
  if (protocol.kind === "known") {
    const p = protocol.value;
    if (portsMeaning(p) === "none") return { fromPort: defaulted(0), toPort: defaulted(65535) };
    if (portsMeaning(p) === "icmp-type-code") {
      const keep = (ev: Ev, label: string, pointer: string) => (ev.k === "none" ? defaulted(-1) : t.num(ev, label, pointer));
      return { fromPort: keep(from, "FromPort", pointers.from), toPort: keep(to, "ToPort", pointers.to) };
    }
    const missing = (label: string, pointer: string) =>
      unknown("unresolved", `${label} is missing for protocol ${p}`, undefined, t.origin(pointer));
    return {
      fromPort: read(from, "FromPort", pointers.from, 0, missing("FromPort", pointers.from)),
      toPort: read(to, "ToPort", pointers.to, 65535, missing("ToPort", pointers.to)),
    };
  }
  const unknownPort = unknown(protocol.reason.code, protocol.reason.message, protocol.reason.decide, protocol.origin);
  return {
    fromPort: read(from, "FromPort", pointers.from, 0, unknownPort),
    toPort: read(to, "ToPort", pointers.to, 65535, unknownPort),
  };
}

function peerValue(
  t: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Ev,
  pointer: (name: string) => string,
): Value<Peer> {
  const groupProperty = direction === "ingress" ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
  const prefixProperty = direction === "ingress" ? "SourcePrefixListId" : "DestinationPrefixListId";
  const candidates = ["CidrIp", "CidrIpv6", groupProperty, ...(direction === "ingress" ? ["SourceSecurityGroupName"] : []), prefixProperty];
  for (const property of candidates) {
    const ev = get(property);
    if (ev.k === "none") continue;
    const at = pointer(property);
    const origin = t.origin(ev.at ?? at);
    if (property === "CidrIp" || property === "CidrIpv6") {
      const cidr = t.str(ev, property, at);
      if (cidr.kind !== "known") return cidr;
      return known(property === "CidrIp" ? { kind: "cidr", cidr: cidr.value } : { kind: "cidr6", cidr: cidr.value }, origin);
    }
    if (ev.k === "unk" && ev.reason.code === "condition") return t.unknownFrom(ev, property, at);
    if (property === prefixProperty) {
      const id: Value<string> = ev.k === "ref" ? known(ev.id, origin) : t.str(ev, property, at);
      return known({ kind: "prefix-list", id }, origin);
    }
    return known({ kind: "security-group", group: t.ref(ev, property, at, [T.securityGroup], "a security group") }, origin);
  }
  return unknown(
    "unresolved",
    "the rule names no peer (CidrIp, CidrIpv6, security group or prefix list)",
    undefined,
    t.origin(pointer("")),
  );
}

function ruleFrom(
  t: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Ev,
  pointer: (name: string) => string,
  origin: Origin,
  conditional: UnknownReason | undefined,
): SecurityGroupRule {
  const protocol = protocolValue(t, get("IpProtocol"), "IpProtocol", pointer("IpProtocol"));
  const ports = portValues(t, protocol, get("FromPort"), get("ToPort"), { from: pointer("FromPort"), to: pointer("ToPort") });
  const description = get("Description");
  return {
    direction,
    protocol,
    ...ports,
    peer: peerValue(t, direction, get, pointer),
    ...(description.k === "s" && typeof description.v === "string" ? { description: description.v } : {}),
    origin,
    ...(conditional ? { conditional } : {}),
  };
}

/** Inline rules of a group: a list of rule mappings; an unknown item becomes a rule of unknowns. */
function inlineRules(
  t: Template,
  resource: ResourceInfo,
  property: "SecurityGroupIngress" | "SecurityGroupEgress",
): SecurityGroupRule[] | UnknownReason {
  const direction = property === "SecurityGroupIngress" ? "ingress" : "egress";
  const ev = t.prop(resource, property);
  if (ev.k === "none") return [];
  if (ev.k === "unk") return ev.reason;
  if (ev.k !== "list") return { code: "unresolved", message: `${property} is not a list` };
  return ev.items.map((item, i) => {
    const itemPointer = item.at ?? t.propertyPointer(resource, property, i);
    const origin = t.origin(itemPointer);
    if (item.k === "unk") {
      const value = unknown(item.reason.code, item.reason.message, item.reason.decide, origin);
      return {
        direction,
        protocol: value,
        fromPort: value,
        toPort: value,
        peer: value,
        origin,
        ...(item.reason.code === "condition"
          ? { conditional: item.reason }
          : resource.conditional
            ? { conditional: resource.conditional }
            : {}),
      };
    }
    return ruleFrom(
      t,
      direction,
      (name) => t.member(item, name),
      (name) => (name ? `${itemPointer}/${name}` : itemPointer),
      origin,
      resource.conditional,
    );
  });
}

function buildSecurityGroups(t: Template, world: World): void {
  const standalone = new Map<Ref, { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[]; egressResources: ResourceInfo[] }>();
  for (const [type, direction] of [
    [T.securityGroupIngress, "ingress"],
    [T.securityGroupEgress, "egress"],
  ] as const) {
    for (const resource of t.ofType(type)) {
      let group = keyOf(t.prop(resource, "GroupId"), [T.securityGroup]);
      if (!group && direction === "ingress") group = keyOf(t.prop(resource, "GroupName"), [T.securityGroup]);
      if (!group) continue;
      const rule = ruleFrom(
        t,
        direction,
        (name) => t.prop(resource, name),
        (name) => (name ? t.propertyPointer(resource, name) : resource.pointer),
        t.origin(resource.pointer),
        resource.conditional,
      );
      const entry = standalone.get(group) ?? { ingress: [], egress: [], egressResources: [] };
      entry[direction].push(rule);
      if (direction === "egress") entry.egressResources.push(resource);
      standalone.set(group, entry);
    }
  }

  for (const resource of t.ofType(T.securityGroup)) {
    const origin = t.origin(resource.pointer);
    const extra = standalone.get(resource.id);
    const ingress = inlineRules(t, resource, "SecurityGroupIngress");
    const inlineEgress = inlineRules(t, resource, "SecurityGroupEgress");
    const hasInlineEgress = Array.isArray(inlineEgress) ? inlineEgress.length > 0 : true;
    const standaloneEgress = extra?.egress ?? [];
    let egress: SecurityGroupRule[] = [...(Array.isArray(inlineEgress) ? inlineEgress : []), ...standaloneEgress];
    let egressManagement: EgressManagement;
    if (!Array.isArray(inlineEgress)) {
      egressManagement = { mode: "unknown", basis: `SecurityGroupEgress cannot be evaluated: ${inlineEgress.message}` };
    } else if (standaloneEgress.length > 0) {
      egressManagement = {
        mode: "standalone",
        basis: `AWS::EC2::SecurityGroupEgress ${extra!.egressResources.map((r) => r.id).join(", ")} replaces the default allow-all egress rule`,
      };
    } else if (hasInlineEgress) {
      egressManagement = { mode: "inline", basis: "SecurityGroupEgress lists the egress rules; the default allow-all rule is removed" };
    } else {
      egressManagement = { mode: "cloudformation-default", basis: "no SecurityGroupEgress: AWS keeps the default allow-all egress rule" };
    }
    // The default rule stays when nothing replaces it, or when everything that would is conditional.
    const replacements = [...(Array.isArray(inlineEgress) ? inlineEgress : []), ...standaloneEgress];
    if (Array.isArray(inlineEgress) && replacements.every((r) => r.conditional && r.conditional !== resource.conditional)) {
      const conditional =
        replacements.length > 0
          ? {
              conditional: {
                code: "condition" as const,
                message: `the default allow-all egress rule stays only if the conditional egress rules are not created`,
              },
            }
          : resource.conditional
            ? { conditional: resource.conditional }
            : {};
      egress = [...egress, { ...allowAllEgressRule(origin), description: "default allow-all egress rule", ...conditional }];
    }
    const unresolved = !Array.isArray(ingress) ? ingress : !Array.isArray(inlineEgress) ? inlineEgress : undefined;
    const vpcEv = t.prop(resource, "VpcId");
    const groupNameEv = t.prop(resource, "GroupName");
    const group: SecurityGroup = {
      ...t.base(resource),
      vpc:
        vpcEv.k === "none"
          ? unknown("outside", "no VpcId: the group is in the default VPC, which is not in this template", undefined, origin)
          : t.ref(vpcEv, "VpcId", t.propertyPointer(resource, "VpcId"), [T.vpc], "a VPC"),
      ...(groupNameEv.k !== "none" ? { groupName: t.str(groupNameEv, "GroupName", t.propertyPointer(resource, "GroupName")) } : {}),
      ingress: [...(Array.isArray(ingress) ? ingress : []), ...(extra?.ingress ?? [])],
      egress,
      rulesComplete: unresolved ? unknown(unresolved.code, unresolved.message, unresolved.decide, origin) : known(true),
      egressManagement,
      isDefault: false,
    };
    world.securityGroups.set(resource.id, group);
  }

  // Standalone rules on a VPC's default group (GroupId: !GetAtt Vpc.DefaultSecurityGroup) add to it.
  for (const [key, extra] of standalone) {
    const group = world.securityGroups.get(key);
    if (!group?.isDefault) continue;
    world.securityGroups.set(key, { ...group, ingress: [...group.ingress, ...extra.ingress], egress: [...group.egress, ...extra.egress] });
  }
}

// ---------------------------------------------------------------- network ACLs

function buildNetworkAcls(t: Template, world: World): void {
  const entries = new Map<Ref, NetworkAclEntry[]>();
  for (const resource of t.ofType(T.networkAclEntry)) {
    const acl = keyOf(t.prop(resource, "NetworkAclId"), [T.networkAcl]);
    if (!acl) continue;
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const egressValue = t.withDefault(t.prop(resource, "Egress"), false, (ev) => t.bool(ev, "Egress", pointer("Egress")));
    const protocol = protocolValue(t, t.prop(resource, "Protocol"), "Protocol", pointer("Protocol"));
    const actionValue = t.str(t.prop(resource, "RuleAction"), "RuleAction", pointer("RuleAction"));
    const action: Value<"allow" | "deny"> =
      actionValue.kind === "known"
        ? actionValue.value.toLowerCase() === "allow" || actionValue.value.toLowerCase() === "deny"
          ? known(actionValue.value.toLowerCase() as "allow" | "deny", actionValue.origin)
          : unknown("unresolved", `RuleAction is '${actionValue.value}'`, undefined, actionValue.origin)
        : actionValue;
    const v4 = t.prop(resource, "CidrBlock");
    const cidrEv = v4.k !== "none" ? v4 : t.prop(resource, "Ipv6CidrBlock");
    const cidrText = t.str(
      cidrEv,
      v4.k !== "none" ? "CidrBlock" : "Ipv6CidrBlock",
      pointer(v4.k !== "none" ? "CidrBlock" : "Ipv6CidrBlock"),
    );
    const cidr: NetworkAclEntry["cidr"] =
      cidrText.kind === "known" ? known({ kind: v4.k !== "none" ? "ipv4" : "ipv6", cidr: cidrText.value }, cidrText.origin) : cidrText;
    let portRange: NetworkAclEntry["portRange"];
    const range = t.prop(resource, "PortRange");
    if (protocol.kind === "known" && protocol.value !== "tcp" && protocol.value !== "udp") portRange = defaulted(null);
    else if (range.k === "none") {
      portRange =
        protocol.kind === "known"
          ? unknown("unresolved", `PortRange is missing for protocol ${protocol.value}`, undefined, t.origin(resource.pointer))
          : unknown(protocol.reason.code, protocol.reason.message, protocol.reason.decide, protocol.origin);
    } else {
      const from = t.num(t.member(range, "From"), "PortRange.From", pointer("PortRange"));
      const to = t.num(t.member(range, "To"), "PortRange.To", pointer("PortRange"));
      portRange =
        from.kind !== "known" ? from : to.kind !== "known" ? to : known({ from: from.value, to: to.value }, t.origin(pointer("PortRange")));
    }
    const conditional =
      resource.conditional ??
      (egressValue.kind === "unknown"
        ? { code: egressValue.reason.code, message: `the direction of this entry is not known: ${egressValue.reason.message}` }
        : undefined);
    const entry: NetworkAclEntry = {
      ruleNumber: t.num(t.prop(resource, "RuleNumber"), "RuleNumber", pointer("RuleNumber")),
      egress: egressValue.kind === "known" ? egressValue.value : false,
      protocol,
      action,
      cidr,
      portRange,
      origin: t.origin(resource.pointer),
      ...(conditional ? { conditional } : {}),
    };
    const list = entries.get(acl) ?? [];
    list.push(entry);
    entries.set(acl, list);
  }
  for (const resource of t.ofType(T.networkAcl)) {
    const acl: NetworkAcl = {
      ...t.base(resource),
      vpc: t.ref(t.prop(resource, "VpcId"), "VpcId", t.propertyPointer(resource, "VpcId"), [T.vpc], "a VPC"),
      entries: entries.get(resource.id) ?? [],
      entriesComplete: true,
      isDefault: false,
    };
    world.networkAcls.set(resource.id, acl);
  }
  for (const [key, list] of entries) {
    const acl = world.networkAcls.get(key);
    if (acl?.isDefault) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...list] });
  }
}

// ---------------------------------------------------------------- endpoints, DNS

function buildEndpoints(t: Template, world: World): void {
  for (const resource of t.ofType(T.vpcEndpoint)) {
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const list = (name: string, type: string, what: string) => {
      const ev = t.prop(resource, name);
      return ev.k === "none" ? defaulted([]) : t.refList(ev, name, pointer(name), [type], what);
    };
    const policy = t.prop(resource, "PolicyDocument");
    world.vpcEndpoints.set(resource.id, {
      ...t.base(resource),
      vpc: t.ref(t.prop(resource, "VpcId"), "VpcId", pointer("VpcId"), [T.vpc], "a VPC"),
      serviceName: t.str(t.prop(resource, "ServiceName"), "ServiceName", pointer("ServiceName")),
      endpointType: t.withDefault<EndpointType>(t.prop(resource, "VpcEndpointType"), DEFAULT_ENDPOINT_TYPE, (ev) => {
        const value = t.str(ev, "VpcEndpointType", pointer("VpcEndpointType"));
        if (value.kind !== "known") return value;
        const match = endpointTypeNamed(value.value);
        return match ? known(match, value.origin) : unknown("unresolved", `VpcEndpointType is '${value.value}'`, undefined, value.origin);
      }),
      privateDnsEnabled: t.withDefault(t.prop(resource, "PrivateDnsEnabled"), false, (ev) =>
        t.bool(ev, "PrivateDnsEnabled", pointer("PrivateDnsEnabled")),
      ),
      subnets: list("SubnetIds", T.subnet, "a subnet"),
      securityGroups: list("SecurityGroupIds", T.securityGroup, "a security group"),
      routeTables: list("RouteTableIds", T.routeTable, "a route table"),
      policy: policy.k === "none" ? defaulted(null) : t.json(policy, "PolicyDocument", pointer("PolicyDocument")),
    });
  }
}

function buildDhcpOptions(t: Template, world: World): void {
  for (const resource of t.ofType(T.dhcpOptions)) {
    const pointer = t.propertyPointer(resource, "DomainNameServers");
    const ev = t.prop(resource, "DomainNameServers");
    let servers: Value<string[]>;
    if (ev.k === "none") servers = defaulted(["AmazonProvidedDNS"]);
    else {
      const items = t.list(ev, "DomainNameServers", pointer, (item, i) => t.str(item, `DomainNameServers[${i}]`, pointer));
      if (items.kind !== "known") servers = items;
      else {
        const blocking = items.value.find((item) => item.kind !== "known");
        servers =
          blocking ??
          known(
            items.value.map((item) => (item.kind === "known" ? item.value : "")),
            items.origin,
          );
      }
    }
    world.dhcpOptions.set(resource.id, { ...t.base(resource), domainNameServers: servers });
  }
}

function buildHostedZones(t: Template, world: World): void {
  for (const resource of t.ofType(T.hostedZone)) {
    const vpcs = t.prop(resource, "VPCs");
    if (vpcs.k === "none" || (vpcs.k === "list" && vpcs.items.length === 0)) continue; // public zone
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const name = t.str(t.prop(resource, "Name"), "Name", pointer("Name"));
    world.hostedZones.set(resource.id, {
      ...t.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: t.list(vpcs, "VPCs", pointer("VPCs"), (item, i) =>
        t.ref(t.member(item, "VPCId"), `VPCs[${i}].VPCId`, item.at ?? pointer("VPCs"), [T.vpc], "a VPC"),
      ),
    });
  }
}
