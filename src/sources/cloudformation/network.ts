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
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

/** The key of the resource an expression refers to, when it is one of `types` in this template. */
function keyOf(ev: Evaluated, types: readonly string[]): Ref | undefined {
  return ev.kind === "ref" && types.includes(ev.type) ? ev.id : undefined;
}

function conditionalOf(resource: ResourceInfo): { conditional?: UnknownReason } {
  return resource.conditional ? { conditional: resource.conditional } : {};
}

export function buildNetwork(template: Template, world: World): void {
  buildVpcs(template, world);
  buildSubnets(template, world);
  buildRouteTables(template, world);
  buildGateways(template, world);
  buildSecurityGroups(template, world);
  buildNetworkAcls(template, world);
  buildEndpoints(template, world);
  buildDhcpOptions(template, world);
  buildHostedZones(template, world);
}

// ---------------------------------------------------------------- VPCs

function buildVpcs(template: Template, world: World): void {
  const secondary = new Map<Ref, { ev: Evaluated; resource: ResourceInfo }[]>();
  for (const resource of template.ofType(ResourceType.vpcCidrBlock)) {
    const vpc = keyOf(template.prop(resource, "VpcId"), [ResourceType.vpc]);
    const cidr = template.prop(resource, "CidrBlock");
    if (!vpc || cidr.kind === "none") continue; // IPv6 blocks and IPAM pools without a CIDR
    const list = secondary.get(vpc) ?? [];
    list.push({ ev: cidr, resource });
    secondary.set(vpc, list);
  }
  const dhcp = new Map<Ref, Value<Ref | null>>();
  for (const resource of template.ofType(ResourceType.dhcpOptionsAssociation)) {
    const vpc = keyOf(template.prop(resource, "VpcId"), [ResourceType.vpc]);
    if (!vpc) continue;
    const pointer = template.propertyPointer(resource, "DhcpOptionsId");
    const options = template.prop(resource, "DhcpOptionsId");
    let value: Value<Ref | null>;
    if (options.kind === "scalar" && String(options.value).toLowerCase() === "default") value = known(null, template.origin(pointer));
    else value = template.ref(options, "DhcpOptionsId", pointer, [ResourceType.dhcpOptions], "a DHCP option set");
    if (resource.conditional)
      value = unknown("condition", resource.conditional.message, resource.conditional.decide, template.origin(resource.pointer));
    dhcp.set(vpc, value);
  }

  for (const resource of template.ofType(ResourceType.vpc)) {
    const key = resource.id;
    const origin = template.origin(resource.pointer);
    const pointer = (name: string) => template.propertyPointer(resource, name);
    let cidrBlocks: Value<string[]>;
    const primary = template.prop(resource, "CidrBlock");
    if (primary.kind === "none") {
      cidrBlocks = unknown("computed", "the VPC's CIDR comes from an IPAM pool at deploy time", undefined, origin);
    } else {
      const first = template.str(primary, "CidrBlock", pointer("CidrBlock"));
      cidrBlocks = first.kind === "known" ? known([first.value], first.origin) : first;
      for (const extra of secondary.get(key) ?? []) {
        if (cidrBlocks.kind !== "known") break;
        const value = template.str(extra.ev, "CidrBlock", template.propertyPointer(extra.resource, "CidrBlock"));
        cidrBlocks = value.kind === "known" ? known([...cidrBlocks.value, value.value], cidrBlocks.origin) : value;
      }
    }
    const vpc: Vpc = {
      ...template.base(resource),
      cidrBlocks,
      enableDnsSupport: template.withDefault(template.prop(resource, "EnableDnsSupport"), true, (ev) =>
        template.bool(ev, "EnableDnsSupport", pointer("EnableDnsSupport")),
      ),
      enableDnsHostnames: template.withDefault(template.prop(resource, "EnableDnsHostnames"), false, (ev) =>
        template.bool(ev, "EnableDnsHostnames", pointer("EnableDnsHostnames")),
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
function associations(template: Template, type: string, property: string, targetType: string, what: string): Map<Ref, Value<Ref>> {
  const out = new Map<Ref, Value<Ref>>();
  for (const resource of template.ofType(type)) {
    const subnet = keyOf(template.prop(resource, "SubnetId"), [ResourceType.subnet]);
    if (!subnet) continue;
    let value = template.ref(template.prop(resource, property), property, template.propertyPointer(resource, property), [targetType], what);
    if (resource.conditional)
      value = unknown("condition", resource.conditional.message, resource.conditional.decide, template.origin(resource.pointer));
    out.set(subnet, value);
  }
  return out;
}

function buildSubnets(template: Template, world: World): void {
  const routeTables = associations(
    template,
    ResourceType.subnetRouteTableAssociation,
    "RouteTableId",
    ResourceType.routeTable,
    "a route table",
  );
  const acls = associations(template, ResourceType.subnetNetworkAclAssociation, "NetworkAclId", ResourceType.networkAcl, "a network ACL");
  for (const resource of template.ofType(ResourceType.subnet)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const vpc = template.ref(template.prop(resource, "VpcId"), "VpcId", pointer("VpcId"), [ResourceType.vpc], "a VPC");
    const outsideVpc = (what: string) =>
      unknown(
        "outside",
        `the subnet's VPC is not in this template, so its ${what} is not known`,
        undefined,
        template.origin(pointer("VpcId")),
      );
    const az = template.prop(resource, "AvailabilityZone");
    let availabilityZone: Value<string>;
    if (az.kind !== "none") availabilityZone = template.str(az, "AvailabilityZone", pointer("AvailabilityZone"));
    else if (template.prop(resource, "AvailabilityZoneId").kind !== "none") {
      availabilityZone = unknown(
        "unresolved",
        "the subnet names its zone by AvailabilityZoneId; zone names differ per account",
        undefined,
        template.origin(pointer("AvailabilityZoneId")),
      );
    } else
      availabilityZone = unknown(
        "computed",
        "AvailabilityZone is not set: AWS chooses the zone at deploy time",
        undefined,
        template.origin(resource.pointer),
      );
    const subnet: Subnet = {
      ...template.base(resource),
      vpc,
      cidrBlock:
        template.prop(resource, "CidrBlock").kind === "none"
          ? unknown(
              "computed",
              "the subnet's CIDR comes from an IPAM pool or IPv6 at deploy time",
              undefined,
              template.origin(resource.pointer),
            )
          : template.str(template.prop(resource, "CidrBlock"), "CidrBlock", pointer("CidrBlock")),
      availabilityZone,
      mapPublicIpOnLaunch: template.withDefault(template.prop(resource, "MapPublicIpOnLaunch"), false, (ev) =>
        template.bool(ev, "MapPublicIpOnLaunch", pointer("MapPublicIpOnLaunch")),
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
function idText(ev: Evaluated): string {
  if (ev.kind === "ref") return ev.id;
  if (ev.kind === "scalar") return String(ev.value);
  if (ev.kind === "unknown") return `unknown (${ev.reason.message})`;
  return "unknown";
}

function routeTarget(template: Template, resource: ResourceInfo): Value<RouteTarget> {
  for (const property of ROUTE_TARGETS) {
    const ev = template.prop(resource, property);
    if (ev.kind === "none") continue;
    const pointer = template.propertyPointer(resource, property);
    const origin = template.origin(ev.at ?? pointer);
    if (ev.kind === "unknown" && (ev.reason.code === "condition" || property === "GatewayId")) {
      return unknown(ev.reason.code, ev.reason.message, ev.reason.decide, origin);
    }
    const literal = ev.kind === "scalar" ? String(ev.value) : "";
    switch (property) {
      case "GatewayId": {
        if (ev.kind === "ref") {
          if (ev.type === ResourceType.internetGateway) return known({ kind: "internet-gateway", gateway: known(ev.id, origin) }, origin);
          if (ev.type === ResourceType.vpnGateway) return known({ kind: "virtual-private-gateway", id: ev.id }, origin);
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
        return known(
          { kind: "nat-gateway", gateway: template.ref(ev, "NatGatewayId", pointer, [ResourceType.natGateway], "a NAT gateway") },
          origin,
        );
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
  return unknown("unresolved", "the route names no target", undefined, template.origin(resource.pointer));
}

function routeDestination(template: Template, resource: ResourceInfo): Route["destination"] {
  const candidates = [
    ["DestinationCidrBlock", "ipv4"],
    ["DestinationIpv6CidrBlock", "ipv6"],
    ["DestinationPrefixListId", "prefix-list"],
  ] as const;
  for (const [property, kind] of candidates) {
    const ev = template.prop(resource, property);
    if (ev.kind === "none") continue;
    const pointer = template.propertyPointer(resource, property);
    if (kind === "prefix-list") {
      if (ev.kind === "ref") return known({ kind, id: ev.id }, template.origin(pointer));
      const id = template.str(ev, property, pointer);
      return id.kind === "known" ? known({ kind, id: id.value }, id.origin) : id;
    }
    const cidr = template.str(ev, property, pointer);
    return cidr.kind === "known" ? known({ kind, cidr: cidr.value }, cidr.origin) : cidr;
  }
  return unknown("unresolved", "the route names no destination", undefined, template.origin(resource.pointer));
}

function buildRouteTables(template: Template, world: World): void {
  const routes = new Map<Ref, Route[]>();
  for (const resource of template.ofType(ResourceType.route)) {
    // A route in a table passed from outside (a parameter) says nothing about tables of this template.
    const table = keyOf(template.prop(resource, "RouteTableId"), [ResourceType.routeTable]);
    if (!table) continue;
    const route: Route = {
      destination: routeDestination(template, resource),
      target: routeTarget(template, resource),
      origin: template.origin(resource.pointer),
      ...conditionalOf(resource),
    };
    const list = routes.get(table) ?? [];
    list.push(route);
    routes.set(table, list);
  }
  for (const resource of template.ofType(ResourceType.routeTable)) {
    const table: RouteTable = {
      ...template.base(resource),
      vpc: template.ref(
        template.prop(resource, "VpcId"),
        "VpcId",
        template.propertyPointer(resource, "VpcId"),
        [ResourceType.vpc],
        "a VPC",
      ),
      routes: routes.get(resource.id) ?? [],
      routesComplete: true,
      isMain: false,
    };
    world.routeTables.set(resource.id, table);
  }
}

// ---------------------------------------------------------------- gateways

function buildGateways(template: Template, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  for (const resource of template.ofType(ResourceType.gatewayAttachment)) {
    const gateway = keyOf(template.prop(resource, "InternetGatewayId"), [ResourceType.internetGateway]);
    if (!gateway) continue;
    let vpc: Value<Ref | null> = template.ref(
      template.prop(resource, "VpcId"),
      "VpcId",
      template.propertyPointer(resource, "VpcId"),
      [ResourceType.vpc],
      "a VPC",
    );
    if (resource.conditional)
      vpc = unknown("condition", resource.conditional.message, resource.conditional.decide, template.origin(resource.pointer));
    attachments.set(gateway, vpc);
  }
  for (const resource of template.ofType(ResourceType.internetGateway)) {
    const gateway: InternetGateway = { ...template.base(resource), vpc: attachments.get(resource.id) ?? defaulted(null) };
    world.internetGateways.set(resource.id, gateway);
  }
  for (const resource of template.ofType(ResourceType.natGateway)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const nat: NatGateway = {
      ...template.base(resource),
      subnet: template.ref(template.prop(resource, "SubnetId"), "SubnetId", pointer("SubnetId"), [ResourceType.subnet], "a subnet"),
      connectivity: template.withDefault<"public" | "private">(template.prop(resource, "ConnectivityType"), "public", (ev) => {
        const value = template.str(ev, "ConnectivityType", pointer("ConnectivityType"));
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

function protocolValue(template: Template, ev: Evaluated, label: string, pointer: string): Value<Protocol> {
  if (ev.kind === "none") return unknown("unresolved", `${label} is missing`, undefined, template.origin(pointer));
  if (ev.kind === "scalar" && ev.value !== null && typeof ev.value !== "boolean")
    return known(normalizeProtocol(String(ev.value)), template.origin(ev.at ?? pointer));
  return template.unknownFrom(ev, label, pointer);
}

/** From/to ports by protocol: all → 0–65535; tcp/udp need them (-1 = all); icmp keeps type/code. */
function portValues(
  template: Template,
  protocol: Value<Protocol>,
  from: Evaluated,
  to: Evaluated,
  pointers: { from: string; to: string },
): { fromPort: Value<number>; toPort: Value<number> } {
  const read = (ev: Evaluated, label: string, pointer: string, edge: number, missing: Value<number>): Value<number> => {
    if (ev.kind === "none") return missing;
    const value = template.num(ev, label, pointer);
    return value.kind === "known" && value.value === -1 ? known(edge, value.origin) : value;
  };
  if (protocol.kind === "known") {
    const p = protocol.value;
    if (portsMeaning(p) === "none") return { fromPort: defaulted(0), toPort: defaulted(65535) };
    if (portsMeaning(p) === "icmp-type-code") {
      const keep = (ev: Evaluated, label: string, pointer: string) =>
        ev.kind === "none" ? defaulted(-1) : template.num(ev, label, pointer);
      return { fromPort: keep(from, "FromPort", pointers.from), toPort: keep(to, "ToPort", pointers.to) };
    }
    const missing = (label: string, pointer: string) =>
      unknown("unresolved", `${label} is missing for protocol ${p}`, undefined, template.origin(pointer));
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
  template: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Evaluated,
  pointer: (name: string) => string,
): Value<Peer> {
  const groupProperty = direction === "ingress" ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
  const prefixProperty = direction === "ingress" ? "SourcePrefixListId" : "DestinationPrefixListId";
  const candidates = ["CidrIp", "CidrIpv6", groupProperty, ...(direction === "ingress" ? ["SourceSecurityGroupName"] : []), prefixProperty];
  for (const property of candidates) {
    const ev = get(property);
    if (ev.kind === "none") continue;
    const at = pointer(property);
    const origin = template.origin(ev.at ?? at);
    if (property === "CidrIp" || property === "CidrIpv6") {
      const cidr = template.str(ev, property, at);
      if (cidr.kind !== "known") return cidr;
      return known(property === "CidrIp" ? { kind: "cidr", cidr: cidr.value } : { kind: "cidr6", cidr: cidr.value }, origin);
    }
    if (ev.kind === "unknown" && ev.reason.code === "condition") return template.unknownFrom(ev, property, at);
    if (property === prefixProperty) {
      const id: Value<string> = ev.kind === "ref" ? known(ev.id, origin) : template.str(ev, property, at);
      return known({ kind: "prefix-list", id }, origin);
    }
    return known(
      { kind: "security-group", group: template.ref(ev, property, at, [ResourceType.securityGroup], "a security group") },
      origin,
    );
  }
  return unknown(
    "unresolved",
    "the rule names no peer (CidrIp, CidrIpv6, security group or prefix list)",
    undefined,
    template.origin(pointer("")),
  );
}

function ruleFrom(
  template: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Evaluated,
  pointer: (name: string) => string,
  origin: Origin,
  conditional: UnknownReason | undefined,
): SecurityGroupRule {
  const protocol = protocolValue(template, get("IpProtocol"), "IpProtocol", pointer("IpProtocol"));
  const ports = portValues(template, protocol, get("FromPort"), get("ToPort"), { from: pointer("FromPort"), to: pointer("ToPort") });
  const description = get("Description");
  return {
    direction,
    protocol,
    ...ports,
    peer: peerValue(template, direction, get, pointer),
    ...(description.kind === "scalar" && typeof description.value === "string" ? { description: description.value } : {}),
    origin,
    ...(conditional ? { conditional } : {}),
  };
}

/** Inline rules of a group: a list of rule mappings; an unknown item becomes a rule of unknowns. */
function inlineRules(
  template: Template,
  resource: ResourceInfo,
  property: "SecurityGroupIngress" | "SecurityGroupEgress",
): SecurityGroupRule[] | UnknownReason {
  const direction = property === "SecurityGroupIngress" ? "ingress" : "egress";
  const ev = template.prop(resource, property);
  if (ev.kind === "none") return [];
  if (ev.kind === "unknown") return ev.reason;
  if (ev.kind !== "list") return { code: "unresolved", message: `${property} is not a list` };
  return ev.items.map((item, i) => {
    const itemPointer = item.at ?? template.propertyPointer(resource, property, i);
    const origin = template.origin(itemPointer);
    if (item.kind === "unknown") {
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
      template,
      direction,
      (name) => template.member(item, name),
      (name) => (name ? `${itemPointer}/${name}` : itemPointer),
      origin,
      resource.conditional,
    );
  });
}

function buildSecurityGroups(template: Template, world: World): void {
  const standalone = new Map<Ref, { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[]; egressResources: ResourceInfo[] }>();
  for (const [type, direction] of [
    [ResourceType.securityGroupIngress, "ingress"],
    [ResourceType.securityGroupEgress, "egress"],
  ] as const) {
    for (const resource of template.ofType(type)) {
      let group = keyOf(template.prop(resource, "GroupId"), [ResourceType.securityGroup]);
      if (!group && direction === "ingress") group = keyOf(template.prop(resource, "GroupName"), [ResourceType.securityGroup]);
      if (!group) continue;
      const rule = ruleFrom(
        template,
        direction,
        (name) => template.prop(resource, name),
        (name) => (name ? template.propertyPointer(resource, name) : resource.pointer),
        template.origin(resource.pointer),
        resource.conditional,
      );
      const entry = standalone.get(group) ?? { ingress: [], egress: [], egressResources: [] };
      entry[direction].push(rule);
      if (direction === "egress") entry.egressResources.push(resource);
      standalone.set(group, entry);
    }
  }

  for (const resource of template.ofType(ResourceType.securityGroup)) {
    const origin = template.origin(resource.pointer);
    const extra = standalone.get(resource.id);
    const ingress = inlineRules(template, resource, "SecurityGroupIngress");
    const inlineEgress = inlineRules(template, resource, "SecurityGroupEgress");
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
    const vpcEv = template.prop(resource, "VpcId");
    const groupNameEv = template.prop(resource, "GroupName");
    const group: SecurityGroup = {
      ...template.base(resource),
      vpc:
        vpcEv.kind === "none"
          ? unknown("outside", "no VpcId: the group is in the default VPC, which is not in this template", undefined, origin)
          : template.ref(vpcEv, "VpcId", template.propertyPointer(resource, "VpcId"), [ResourceType.vpc], "a VPC"),
      ...(groupNameEv.kind !== "none"
        ? { groupName: template.str(groupNameEv, "GroupName", template.propertyPointer(resource, "GroupName")) }
        : {}),
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

function buildNetworkAcls(template: Template, world: World): void {
  const entries = new Map<Ref, NetworkAclEntry[]>();
  for (const resource of template.ofType(ResourceType.networkAclEntry)) {
    const acl = keyOf(template.prop(resource, "NetworkAclId"), [ResourceType.networkAcl]);
    if (!acl) continue;
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const egressValue = template.withDefault(template.prop(resource, "Egress"), false, (ev) =>
      template.bool(ev, "Egress", pointer("Egress")),
    );
    const protocol = protocolValue(template, template.prop(resource, "Protocol"), "Protocol", pointer("Protocol"));
    const actionValue = template.str(template.prop(resource, "RuleAction"), "RuleAction", pointer("RuleAction"));
    const action: Value<"allow" | "deny"> =
      actionValue.kind === "known"
        ? actionValue.value.toLowerCase() === "allow" || actionValue.value.toLowerCase() === "deny"
          ? known(actionValue.value.toLowerCase() as "allow" | "deny", actionValue.origin)
          : unknown("unresolved", `RuleAction is '${actionValue.value}'`, undefined, actionValue.origin)
        : actionValue;
    const v4 = template.prop(resource, "CidrBlock");
    const cidrEv = v4.kind !== "none" ? v4 : template.prop(resource, "Ipv6CidrBlock");
    const cidrText = template.str(
      cidrEv,
      v4.kind !== "none" ? "CidrBlock" : "Ipv6CidrBlock",
      pointer(v4.kind !== "none" ? "CidrBlock" : "Ipv6CidrBlock"),
    );
    const cidr: NetworkAclEntry["cidr"] =
      cidrText.kind === "known" ? known({ kind: v4.kind !== "none" ? "ipv4" : "ipv6", cidr: cidrText.value }, cidrText.origin) : cidrText;
    let portRange: NetworkAclEntry["portRange"];
    const range = template.prop(resource, "PortRange");
    if (protocol.kind === "known" && protocol.value !== "tcp" && protocol.value !== "udp") portRange = defaulted(null);
    else if (range.kind === "none") {
      portRange =
        protocol.kind === "known"
          ? unknown("unresolved", `PortRange is missing for protocol ${protocol.value}`, undefined, template.origin(resource.pointer))
          : unknown(protocol.reason.code, protocol.reason.message, protocol.reason.decide, protocol.origin);
    } else {
      const from = template.num(template.member(range, "From"), "PortRange.From", pointer("PortRange"));
      const to = template.num(template.member(range, "To"), "PortRange.To", pointer("PortRange"));
      portRange =
        from.kind !== "known"
          ? from
          : to.kind !== "known"
            ? to
            : known({ from: from.value, to: to.value }, template.origin(pointer("PortRange")));
    }
    const conditional =
      resource.conditional ??
      (egressValue.kind === "unknown"
        ? { code: egressValue.reason.code, message: `the direction of this entry is not known: ${egressValue.reason.message}` }
        : undefined);
    const entry: NetworkAclEntry = {
      ruleNumber: template.num(template.prop(resource, "RuleNumber"), "RuleNumber", pointer("RuleNumber")),
      egress: egressValue.kind === "known" ? egressValue.value : false,
      protocol,
      action,
      cidr,
      portRange,
      origin: template.origin(resource.pointer),
      ...(conditional ? { conditional } : {}),
    };
    const list = entries.get(acl) ?? [];
    list.push(entry);
    entries.set(acl, list);
  }
  for (const resource of template.ofType(ResourceType.networkAcl)) {
    const acl: NetworkAcl = {
      ...template.base(resource),
      vpc: template.ref(
        template.prop(resource, "VpcId"),
        "VpcId",
        template.propertyPointer(resource, "VpcId"),
        [ResourceType.vpc],
        "a VPC",
      ),
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

function buildEndpoints(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.vpcEndpoint)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const list = (name: string, type: string, what: string) => {
      const ev = template.prop(resource, name);
      return ev.kind === "none" ? defaulted([]) : template.refList(ev, name, pointer(name), [type], what);
    };
    const policy = template.prop(resource, "PolicyDocument");
    world.vpcEndpoints.set(resource.id, {
      ...template.base(resource),
      vpc: template.ref(template.prop(resource, "VpcId"), "VpcId", pointer("VpcId"), [ResourceType.vpc], "a VPC"),
      serviceName: template.str(template.prop(resource, "ServiceName"), "ServiceName", pointer("ServiceName")),
      endpointType: template.withDefault<EndpointType>(template.prop(resource, "VpcEndpointType"), DEFAULT_ENDPOINT_TYPE, (ev) => {
        const value = template.str(ev, "VpcEndpointType", pointer("VpcEndpointType"));
        if (value.kind !== "known") return value;
        const match = endpointTypeNamed(value.value);
        return match ? known(match, value.origin) : unknown("unresolved", `VpcEndpointType is '${value.value}'`, undefined, value.origin);
      }),
      privateDnsEnabled: template.withDefault(template.prop(resource, "PrivateDnsEnabled"), false, (ev) =>
        template.bool(ev, "PrivateDnsEnabled", pointer("PrivateDnsEnabled")),
      ),
      subnets: list("SubnetIds", ResourceType.subnet, "a subnet"),
      securityGroups: list("SecurityGroupIds", ResourceType.securityGroup, "a security group"),
      routeTables: list("RouteTableIds", ResourceType.routeTable, "a route table"),
      policy: policy.kind === "none" ? defaulted(null) : template.json(policy, "PolicyDocument", pointer("PolicyDocument")),
    });
  }
}

function buildDhcpOptions(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.dhcpOptions)) {
    const pointer = template.propertyPointer(resource, "DomainNameServers");
    const ev = template.prop(resource, "DomainNameServers");
    let servers: Value<string[]>;
    if (ev.kind === "none") servers = defaulted(["AmazonProvidedDNS"]);
    else {
      const items = template.list(ev, "DomainNameServers", pointer, (item, i) => template.str(item, `DomainNameServers[${i}]`, pointer));
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
    world.dhcpOptions.set(resource.id, { ...template.base(resource), domainNameServers: servers });
  }
}

function buildHostedZones(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.hostedZone)) {
    const vpcs = template.prop(resource, "VPCs");
    if (vpcs.kind === "none" || (vpcs.kind === "list" && vpcs.items.length === 0)) continue; // public zone
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const name = template.str(template.prop(resource, "Name"), "Name", pointer("Name"));
    world.hostedZones.set(resource.id, {
      ...template.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: template.list(vpcs, "VPCs", pointer("VPCs"), (item, i) =>
        template.ref(template.member(item, "VPCId"), `VPCs[${i}].VPCId`, item.at ?? pointer("VPCs"), [ResourceType.vpc], "a VPC"),
      ),
    });
  }
}
