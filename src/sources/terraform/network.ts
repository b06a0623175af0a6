/**
 * Network resources of a plan → VPCs (with the default security group, main route table and default
 * ACL AWS creates, unless aws_default_* resources manage them), subnets, route tables and routes,
 * gateways, security groups and their rules (inline and standalone), network ACLs, VPC endpoints,
 * DHCP options and private hosted zones. Terraform's defaults: enable_dns_support true,
 * enable_dns_hostnames false, vpc_endpoint_type Gateway, private_dns_enabled false, and an
 * aws_security_group without egress blocks has no egress at all.
 */
import {
  DEFAULT_ENDPOINT_TYPE,
  defaulted,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  type EgressManagement,
  type EndpointType,
  endpointTypeNamed,
  known,
  mainRouteTableKey,
  type NetworkAclEntry,
  normalizeProtocol,
  type Origin,
  type Peer,
  type Protocol,
  portsMeaning,
  type Ref,
  type Route,
  type RouteTarget,
  type SecurityGroupRule,
  synthesizeVpcDefaults,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
  vpcOfDefaultKey,
  type World,
} from "../../model/index.js";
import { policyDocument } from "./documents.js";
import { K } from "./kinds.js";
import type { TfResource } from "./plan.js";
import type { Path, Reader } from "./reader.js";

/** Before anything else: which synthesized VPC element each aws_default_* resource manages. */
export function registerDefaultAliases(r: Reader): void {
  for (const resource of r.index.ofType("aws_default_security_group")) {
    const vpc = r.ref(resource, ["vpc_id"], K.vpc);
    if (vpc?.kind === "known") r.aliases.set(resource.address, defaultSecurityGroupKey(vpc.value));
  }
  const viaVpc = (type: string, attribute: string, kind: "main-rtb" | "default-acl") => {
    for (const resource of r.index.ofType(type)) {
      const target = r.ref(resource, [attribute], { types: [], what: "a VPC default", vpcDefault: kind });
      if (target?.kind === "known" && target.value.endsWith(`#${kind}`)) r.aliases.set(resource.address, target.value);
    }
  };
  viaVpc("aws_default_route_table", "default_route_table_id", "main-rtb");
  viaVpc("aws_default_network_acl", "default_network_acl_id", "default-acl");
}

export function buildNetwork(r: Reader, world: World): void {
  buildVpcs(r, world);
  buildSubnets(r, world);
  buildRouteTables(r, world);
  buildGateways(r, world);
  buildSecurityGroups(r, world);
  buildNetworkAcls(r, world);
  buildEndpoints(r, world);
  buildDhcpOptions(r, world);
  buildHostedZones(r, world);
}

/** Standalone resources that point at an element: element key → the resources. */
function byTarget(r: Reader, types: string[], path: Path, kind: Parameters<Reader["ref"]>[2]): Map<Ref, TfResource[]> {
  const out = new Map<Ref, TfResource[]>();
  for (const resource of r.index.ofType(...types)) {
    const target = r.ref(resource, path, kind);
    if (target?.kind !== "known") continue;
    const list = out.get(target.value) ?? [];
    list.push(resource);
    out.set(target.value, list);
  }
  return out;
}

/** A known list plus items from elsewhere (associations); an unknown list stays unknown. */
function withExtra(base: ValueList<Ref> | undefined, extra: Value<Ref>[], fallback: ValueList<Ref>): ValueList<Ref> {
  const list = base ?? fallback;
  if (list.kind !== "known" || extra.length === 0) return list;
  const seen = new Set(list.value.map((v) => (v.kind === "known" ? v.value : "")));
  return { ...list, value: [...list.value, ...extra.filter((v) => v.kind !== "known" || !seen.has(v.value))] };
}

// ---------------------------------------------------------------- VPCs

function buildVpcs(r: Reader, world: World): void {
  const secondary = byTarget(r, ["aws_vpc_ipv4_cidr_block_association"], ["vpc_id"], K.vpc);
  const dhcp = new Map<Ref, Value<Ref | null>>();
  for (const resource of r.index.ofType("aws_vpc_dhcp_options_association")) {
    const vpc = r.ref(resource, ["vpc_id"], K.vpc);
    if (vpc?.kind !== "known") continue;
    const id = r.raw(resource, ["dhcp_options_id"]);
    if (id.k === "value" && id.v === "default") dhcp.set(vpc.value, known(null, r.origin(resource, ["dhcp_options_id"])));
    else dhcp.set(vpc.value, r.ref(resource, ["dhcp_options_id"], K.dhcpOptions) ?? defaulted(null));
  }
  const mainTables = new Map<Ref, Ref>();
  for (const resource of r.index.ofType("aws_main_route_table_association")) {
    const vpc = r.ref(resource, ["vpc_id"], K.vpc);
    const table = r.ref(resource, ["route_table_id"], K.routeTable);
    if (vpc?.kind === "known" && table?.kind === "known") mainTables.set(vpc.value, table.value);
  }

  for (const resource of r.index.ofType("aws_vpc", "aws_default_vpc")) {
    const key = r.keyOf(resource);
    const isDefaultVpc = resource.type === "aws_default_vpc";
    let cidrBlocks: Value<string[]>;
    const primary = r.str(resource, ["cidr_block"], () =>
      r.unknownAt(resource, ["cidr_block"], "computed", `the CIDR of ${resource.address} comes from an IPAM pool at apply`),
    );
    cidrBlocks = primary.kind === "known" ? known([primary.value], primary.origin) : primary;
    for (const extra of secondary.get(key) ?? []) {
      if (cidrBlocks.kind !== "known") break;
      const value = r.str(extra, ["cidr_block"]);
      cidrBlocks = value.kind === "known" ? known([...cidrBlocks.value, value.value], cidrBlocks.origin) : value;
    }
    world.vpcs.set(key, {
      ...r.base(resource),
      cidrBlocks,
      enableDnsSupport: r.bool(resource, ["enable_dns_support"], true),
      // The default VPC has DNS hostnames on; a new VPC has them off.
      enableDnsHostnames: r.bool(resource, ["enable_dns_hostnames"], isDefaultVpc),
      dhcpOptions: dhcp.get(key) ?? defaulted(null),
      defaultSecurityGroup: defaultSecurityGroupKey(key),
      mainRouteTable: mainTables.get(key) ?? mainRouteTableKey(key),
      defaultNetworkAcl: defaultNetworkAclKey(key),
    });
    // The default VPC's own defaults exist already and are not in the plan (unless aws_default_* adopt them).
    if (!isDefaultVpc) synthesizeVpcDefaults(world, key, r.origin(resource), undefined);
  }
}

// ---------------------------------------------------------------- subnets

function buildSubnets(r: Reader, world: World): void {
  const routeTables = new Map<Ref, Value<Ref>>();
  for (const resource of r.index.ofType("aws_route_table_association")) {
    const subnet = r.ref(resource, ["subnet_id"], K.subnet);
    const table = r.ref(resource, ["route_table_id"], K.routeTable);
    if (subnet?.kind === "known" && table) routeTables.set(subnet.value, table);
  }
  const acls = new Map<Ref, Value<Ref>>();
  // Lowest precedence first: the default ACL's subnet_ids, an ACL's subnet_ids, then associations.
  for (const type of ["aws_default_network_acl", "aws_network_acl"]) {
    for (const resource of r.index.ofType(type)) {
      const subnets = r.refList(resource, ["subnet_ids"], K.subnet);
      if (subnets?.kind !== "known") continue;
      for (const s of subnets.value)
        if (s.kind === "known") acls.set(s.value, known(r.keyOf(resource), r.origin(resource, ["subnet_ids"])));
    }
  }
  for (const resource of r.index.ofType("aws_network_acl_association")) {
    const subnet = r.ref(resource, ["subnet_id"], K.subnet);
    const acl = r.ref(resource, ["network_acl_id"], K.networkAcl);
    if (subnet?.kind === "known" && acl) acls.set(subnet.value, acl);
  }

  for (const resource of r.index.ofType("aws_subnet", "aws_default_subnet")) {
    const key = r.keyOf(resource);
    const isDefault = resource.type === "aws_default_subnet";
    const vpc =
      r.ref(resource, ["vpc_id"], K.vpc) ??
      r.unknownAt<Ref>(resource, ["vpc_id"], "outside", `the VPC of ${resource.address} is not in this plan`);
    const vpcKey = vpc.kind === "known" ? vpc.value : undefined;
    const outsideVpc = (what: string) =>
      unknown(
        "outside",
        `the VPC of ${resource.address} is not in this plan, so its ${what} is not known`,
        undefined,
        r.origin(resource, ["vpc_id"]),
      );
    const vpcElement = vpcKey ? world.vpcs.get(vpcKey) : undefined;
    world.subnets.set(key, {
      ...r.base(resource),
      vpc,
      cidrBlock: r.str(resource, ["cidr_block"], () =>
        r.unknownAt(resource, ["cidr_block"], "computed", `the CIDR of ${resource.address} is chosen at apply`),
      ),
      availabilityZone: r.str(resource, ["availability_zone"], () =>
        r.unknownAt(
          resource,
          ["availability_zone"],
          "computed",
          `availability_zone of ${resource.address} is not set: AWS chooses the zone at apply`,
        ),
      ),
      mapPublicIpOnLaunch: r.bool(resource, ["map_public_ip_on_launch"], isDefault),
      routeTable:
        routeTables.get(key) ??
        (vpcKey ? defaulted(vpcElement?.mainRouteTable ?? mainRouteTableKey(vpcKey)) : outsideVpc("main route table")),
      networkAcl: acls.get(key) ?? (vpcKey ? defaulted(defaultNetworkAclKey(vpcKey)) : outsideVpc("default network ACL")),
    });
  }
}

// ---------------------------------------------------------------- routes

const ROUTE_TARGETS = [
  "gateway_id",
  "nat_gateway_id",
  "transit_gateway_id",
  "vpc_peering_connection_id",
  "network_interface_id",
  "instance_id",
  "vpc_endpoint_id",
  "egress_only_gateway_id",
  "carrier_gateway_id",
  "local_gateway_id",
  "core_network_arn",
] as const;

function idText(r: Reader, resource: TfResource, path: Path): string {
  const raw = r.raw(resource, path);
  if (raw.k === "value") return String(raw.v);
  const refs = r.expression(resource, path)?.references;
  return refs?.[refs.length - 1] ?? "a value known only after apply";
}

/** The target of a route: `at` is the route's path ([] for aws_route, ["route", i] for inline routes). */
function routeTarget(r: Reader, resource: TfResource, at: Path): Value<RouteTarget> {
  for (const field of ROUTE_TARGETS) {
    const path = [...at, field];
    const raw = r.raw(resource, path);
    if (raw.k === "null" || (raw.k === "value" && raw.v === "")) continue;
    const origin = r.origin(resource, path);
    switch (field) {
      case "gateway_id": {
        if (raw.k === "value" && raw.v === "local") return known({ kind: "local" }, origin);
        if (raw.k === "value" && typeof raw.v === "string" && raw.v.startsWith("vgw-"))
          return known({ kind: "virtual-private-gateway", id: raw.v }, origin);
        const gateway = r.ref(resource, path, K.gateway);
        if (gateway?.kind === "known") {
          const type = r.index.byAddress.get(gateway.value)?.type;
          if (type === "aws_vpn_gateway") return known({ kind: "virtual-private-gateway", id: gateway.value }, origin);
          return known({ kind: "internet-gateway", gateway }, origin);
        }
        if (raw.k === "value" && typeof raw.v === "string" && raw.v.startsWith("igw-"))
          return known(
            { kind: "internet-gateway", gateway: gateway ?? unknown("outside", `${raw.v} is not in this plan`, undefined, origin) },
            origin,
          );
        return gateway?.kind === "unknown" ? gateway : unknown("unresolved", "the route's gateway is not known", undefined, origin);
      }
      case "nat_gateway_id":
        return known(
          {
            kind: "nat-gateway",
            gateway: r.ref(resource, path, K.natGateway) ?? unknown("unresolved", "no NAT gateway", undefined, origin),
          },
          origin,
        );
      case "transit_gateway_id":
        return known({ kind: "transit-gateway", id: idText(r, resource, path) }, origin);
      case "vpc_peering_connection_id":
        return known({ kind: "peering", id: idText(r, resource, path) }, origin);
      case "network_interface_id":
        return known({ kind: "network-interface", id: idText(r, resource, path) }, origin);
      case "instance_id":
        return known({ kind: "instance", id: idText(r, resource, path) }, origin);
      case "vpc_endpoint_id":
        return known({ kind: "vpc-endpoint", id: idText(r, resource, path) }, origin);
      case "egress_only_gateway_id":
        return known({ kind: "egress-only-internet-gateway" }, origin);
      default:
        return known({ kind: "other", description: `${field} ${idText(r, resource, path)}` }, origin);
    }
  }
  return unknown("unresolved", "the route names no target", undefined, r.origin(resource, at));
}

function routeDestination(r: Reader, resource: TfResource, at: Path, fields: readonly [string, string, string]): Route["destination"] {
  const [v4, v6, prefixList] = fields;
  for (const [field, kind] of [
    [v4, "ipv4"],
    [v6, "ipv6"],
    [prefixList, "prefix-list"],
  ] as const) {
    const path = [...at, field];
    const raw = r.raw(resource, path);
    if (raw.k === "null" || (raw.k === "value" && raw.v === "")) continue;
    const value = r.str(resource, path);
    if (value.kind !== "known") return value;
    return known(kind === "prefix-list" ? { kind, id: value.value } : { kind, cidr: value.value }, value.origin);
  }
  return unknown("unresolved", "the route names no destination", undefined, r.origin(resource, at));
}

/** Inline `route` blocks of a route table; undefined when they are not known. */
function inlineRoutes(r: Reader, resource: TfResource): Route[] | UnknownReason {
  const raw = r.raw(resource, ["route"]);
  if (raw.k === "value" && Array.isArray(raw.v)) {
    return raw.v.map((_, i) => ({
      destination: routeDestination(r, resource, ["route", i], ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"]),
      target: routeTarget(r, resource, ["route", i]),
      origin: r.origin(resource, ["route", i]),
    }));
  }
  if (raw.k === "null") return [];
  // Computed: no route blocks in the configuration (routes come from aws_route), unless it says otherwise.
  if (raw.k === "unknown" && r.configured(resource, ["route"]) !== true) return [];
  return r.computedReason(resource, ["route"]);
}

function buildRouteTables(r: Reader, world: World): void {
  const standalone = byTarget(r, ["aws_route"], ["route_table_id"], K.routeTable);
  const routesOf = (key: Ref): Route[] =>
    (standalone.get(key) ?? []).map((resource) => ({
      destination: routeDestination(
        r,
        resource,
        [],
        ["destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"],
      ),
      target: routeTarget(r, resource, []),
      origin: r.origin(resource),
    }));
  for (const resource of r.index.ofType("aws_route_table", "aws_default_route_table")) {
    const key = r.keyOf(resource);
    const inline = inlineRoutes(r, resource);
    const isMain = resource.type === "aws_default_route_table";
    const vpcFromKey = vpcOfDefaultKey(key, "route-table");
    const routes = [...(Array.isArray(inline) ? inline : []), ...routesOf(key)];
    if (!Array.isArray(inline))
      routes.push({
        destination: unknown(inline.code, inline.message, inline.decide),
        target: unknown(inline.code, inline.message, inline.decide),
        origin: r.origin(resource, ["route"]),
      });
    world.routeTables.set(key, {
      ...r.base(resource),
      vpc: vpcFromKey
        ? known(vpcFromKey, r.origin(resource))
        : (r.ref(resource, ["vpc_id"], K.vpc) ??
          r.unknownAt(resource, ["vpc_id"], "outside", `the VPC of ${resource.address} is not known`)),
      routes,
      routesComplete: true,
      isMain,
    });
  }
  // aws_route resources on a synthesized main route table (route_table_id = aws_vpc.x.main_route_table_id).
  const managed = new Set(r.index.ofType("aws_route_table", "aws_default_route_table").map((t) => r.keyOf(t)));
  for (const key of standalone.keys()) {
    const table = world.routeTables.get(key);
    if (table && !managed.has(key)) world.routeTables.set(key, { ...table, routes: [...table.routes, ...routesOf(key)] });
  }
}

// ---------------------------------------------------------------- gateways

function buildGateways(r: Reader, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  for (const resource of r.index.ofType("aws_internet_gateway_attachment")) {
    const gateway = r.ref(resource, ["internet_gateway_id"], K.gateway);
    const vpc = r.ref(resource, ["vpc_id"], K.vpc);
    if (gateway?.kind === "known" && vpc) attachments.set(gateway.value, vpc);
  }
  for (const resource of r.index.ofType("aws_internet_gateway")) {
    const key = r.keyOf(resource);
    world.internetGateways.set(key, {
      ...r.base(resource),
      vpc: attachments.get(key) ?? r.ref(resource, ["vpc_id"], K.vpc) ?? defaulted(null),
    });
  }
  for (const resource of r.index.ofType("aws_nat_gateway")) {
    world.natGateways.set(r.keyOf(resource), {
      ...r.base(resource),
      subnet: r.ref(resource, ["subnet_id"], K.subnet) ?? r.missing(resource, ["subnet_id"]),
      connectivity: r.scalar<"public" | "private">(
        resource,
        ["connectivity_type"],
        (v) => (v === "public" || v === "private" ? v : undefined),
        "public",
      ),
    });
  }
}

// ---------------------------------------------------------------- security groups

function protocolOf(r: Reader, resource: TfResource, path: Path): Value<Protocol> {
  const value = r.str(resource, path);
  return value.kind === "known" ? known(normalizeProtocol(value.value), value.origin) : value;
}

function portsOf(
  r: Reader,
  resource: TfResource,
  protocol: Value<Protocol>,
  from: Path,
  to: Path,
): { fromPort: Value<number>; toPort: Value<number> } {
  if (protocol.kind === "known") {
    const p = protocol.value;
    if (portsMeaning(p) === "none") return { fromPort: defaulted(0), toPort: defaulted(65535) };
    if (portsMeaning(p) === "icmp-type-code") return { fromPort: r.num(resource, from, -1), toPort: r.num(resource, to, -1) };
  }
  const edge = (path: Path, value: number) => {
    const v = r.num(resource, path);
    return v.kind === "known" && v.value === -1 ? known(value, v.origin) : v;
  };
  return { fromPort: edge(from, 0), toPort: edge(to, 65535) };
}

interface PeerFields {
  cidr4?: Path;
  cidr6?: Path;
  prefixList?: Path;
  group?: Path;
  self?: Path;
}

/** Peers of a rule: every CIDR, prefix list and group it names (an inline rule may name several). */
function peersOf(r: Reader, resource: TfResource, ownKey: Ref, fields: PeerFields, ruleOrigin: Origin): Value<Peer>[] {
  const peers: Value<Peer>[] = [];
  const strings = (path: Path | undefined, make: (s: string, origin: Origin | undefined) => Value<Peer>) => {
    if (!path) return;
    const raw = r.raw(resource, path);
    if (raw.k === "null") return;
    if (raw.k === "value") {
      for (const item of Array.isArray(raw.v) ? raw.v : [raw.v])
        if (typeof item === "string" && item !== "") peers.push(make(item, r.origin(resource, path)));
      return;
    }
    const v = r.str(resource, path);
    if (v.kind === "unknown") peers.push(v);
  };
  strings(fields.cidr4, (cidr, origin) => known({ kind: "cidr", cidr }, origin));
  strings(fields.cidr6, (cidr, origin) => known({ kind: "cidr6", cidr }, origin));
  strings(fields.prefixList, (id, origin) => known({ kind: "prefix-list", id: known(id, origin) }, origin));
  if (fields.group) {
    const raw = r.raw(resource, fields.group);
    if (raw.k === "value" && !Array.isArray(raw.v)) {
      const group = r.ref(resource, fields.group, K.securityGroup);
      if (group) peers.push(known({ kind: "security-group", group }, ruleOrigin));
    } else if (raw.k !== "null") {
      const groups = r.refList(resource, fields.group, K.securityGroup);
      if (groups?.kind === "unknown") peers.push(groups);
      else for (const g of groups?.value ?? []) peers.push(known({ kind: "security-group", group: g }, ruleOrigin));
    }
  }
  if (fields.self) {
    const self = r.raw(resource, fields.self);
    if (self.k === "value" && self.v === true) peers.push(known({ kind: "security-group", group: known(ownKey) }, ruleOrigin));
  }
  return peers;
}

function rules(
  r: Reader,
  resource: TfResource,
  direction: "ingress" | "egress",
  at: Path,
  fields: { protocol: string; from: string; to: string; description?: string } & Record<keyof PeerFields, string | undefined>,
  ownKey: Ref,
): SecurityGroupRule[] {
  const origin = r.origin(resource, at.length > 0 ? at : undefined);
  const protocol = protocolOf(r, resource, [...at, fields.protocol]);
  const ports = portsOf(r, resource, protocol, [...at, fields.from], [...at, fields.to]);
  const path = (name: string | undefined) => (name ? [...at, name] : undefined);
  const peerFields: PeerFields = {};
  for (const k of ["cidr4", "cidr6", "prefixList", "group", "self"] as const) {
    const p = path(fields[k]);
    if (p) peerFields[k] = p;
  }
  const description = fields.description ? r.raw(resource, [...at, fields.description]) : undefined;
  return peersOf(r, resource, ownKey, peerFields, origin).map((peer) => ({
    direction,
    protocol,
    ...ports,
    peer,
    ...(description?.k === "value" && typeof description.v === "string" && description.v !== "" ? { description: description.v } : {}),
    origin,
  }));
}

const INLINE_FIELDS = {
  protocol: "protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_blocks",
  cidr6: "ipv6_cidr_blocks",
  prefixList: "prefix_list_ids",
  group: "security_groups",
  self: "self",
};

/** Inline ingress/egress blocks: the rules, or why they are not known. */
function inlineRules(
  r: Reader,
  resource: TfResource,
  direction: "ingress" | "egress",
  key: Ref,
): { rules: SecurityGroupRule[]; raw: "list" | "empty" | "absent" | "unknown" | "sensitive" } {
  const raw = r.raw(resource, [direction]);
  if (raw.k === "value" && Array.isArray(raw.v)) {
    if (raw.v.length === 0) return { rules: [], raw: "empty" };
    return { rules: raw.v.flatMap((_, i) => rules(r, resource, direction, [direction, i], INLINE_FIELDS, key)), raw: "list" };
  }
  if (raw.k === "null") return { rules: [], raw: "absent" };
  return { rules: [], raw: raw.k === "sensitive" ? "sensitive" : "unknown" };
}

const RULE_FIELDS = {
  protocol: "protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_blocks",
  cidr6: "ipv6_cidr_blocks",
  prefixList: "prefix_list_ids",
  group: "source_security_group_id",
  self: "self",
};

const VPC_RULE_FIELDS = {
  protocol: "ip_protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_ipv4",
  cidr6: "cidr_ipv6",
  prefixList: "prefix_list_id",
  group: "referenced_security_group_id",
  self: undefined,
};

function unknownRule(direction: "ingress" | "egress", reason: UnknownReason, origin: Origin): SecurityGroupRule {
  const value = unknown(reason.code, reason.message, reason.decide, origin);
  return { direction, protocol: value, fromPort: value, toPort: value, peer: value, origin };
}

function tfVersion(r: Reader): string {
  return r.index.plan.terraform_version ? `Terraform ${r.index.plan.terraform_version}` : "this Terraform version";
}

function buildSecurityGroups(r: Reader, world: World): void {
  const standalone = new Map<Ref, { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[]; egressFrom: string[] }>();
  const entry = (key: Ref) => {
    let e = standalone.get(key);
    if (!e) {
      e = { ingress: [], egress: [], egressFrom: [] };
      standalone.set(key, e);
    }
    return e;
  };
  for (const resource of r.index.ofType("aws_security_group_rule")) {
    const group = r.ref(resource, ["security_group_id"], K.securityGroup);
    if (group?.kind !== "known") continue;
    const type = r.raw(resource, ["type"]);
    const direction = type.k === "value" && type.v === "egress" ? "egress" : "ingress";
    const e = entry(group.value);
    e[direction].push(...rules(r, resource, direction, [], RULE_FIELDS, group.value));
    if (direction === "egress") e.egressFrom.push(resource.address);
  }
  for (const [type, direction] of [
    ["aws_vpc_security_group_ingress_rule", "ingress"],
    ["aws_vpc_security_group_egress_rule", "egress"],
  ] as const) {
    for (const resource of r.index.ofType(type)) {
      const group = r.ref(resource, ["security_group_id"], K.securityGroup);
      if (group?.kind !== "known") continue;
      const e = entry(group.value);
      e[direction].push(...rules(r, resource, direction, [], VPC_RULE_FIELDS, group.value));
      if (direction === "egress") e.egressFrom.push(resource.address);
    }
  }

  for (const resource of r.index.ofType("aws_security_group", "aws_default_security_group")) {
    const key = r.keyOf(resource);
    const isDefault = resource.type === "aws_default_security_group";
    const extra = standalone.get(key);
    const ingress = inlineRules(r, resource, "ingress", key);
    const egress = inlineRules(r, resource, "egress", key);
    const egressRules = [...egress.rules, ...(extra?.egress ?? [])];
    const management = egressManagementOf(r, resource, egress.raw, extra?.egressFrom ?? [], isDefault);
    if (management.mode === "unknown" || (egress.raw === "unknown" && management.mode === "inline"))
      egressRules.push(
        unknownRule(
          "egress",
          { code: "computed", message: management.basis ?? "the egress rules are not known" },
          r.origin(resource, ["egress"]),
        ),
      );
    const ingressRules = [...ingress.rules, ...(extra?.ingress ?? [])];
    // Computed ingress is "no ingress blocks" (as for egress) unless the configuration shows blocks.
    if (ingress.raw === "sensitive" || (ingress.raw === "unknown" && r.configured(resource, ["ingress"]) === true))
      ingressRules.push(unknownRule("ingress", r.computedReason(resource, ["ingress"]), r.origin(resource, ["ingress"])));
    const vpcFromKey = vpcOfDefaultKey(key, "security-group");
    const name = r.str(resource, ["name"], () =>
      r.unknownAt(resource, ["name"], "computed", `the name of ${resource.address} is generated at apply`),
    );
    world.securityGroups.set(key, {
      ...r.base(resource),
      vpc: vpcFromKey
        ? known(vpcFromKey, r.origin(resource))
        : (r.ref(resource, ["vpc_id"], K.vpc) ??
          r.unknownAt(
            resource,
            ["vpc_id"],
            "outside",
            `${resource.address} sets no vpc_id: the group is in the default VPC, which is not in this plan`,
          )),
      groupName: isDefault ? defaulted("default") : name,
      ingress: ingressRules,
      egress: egressRules,
      rulesComplete: known(true),
      egressManagement: management,
      isDefault,
    });
  }

  // Standalone rules on a synthesized default group (security_group_id = aws_vpc.x.default_security_group_id).
  const adopted = new Set(r.index.ofType("aws_default_security_group").map((d) => r.keyOf(d)));
  for (const [key, extra] of standalone) {
    const group = world.securityGroups.get(key);
    if (!group?.isDefault || adopted.has(key)) continue;
    world.securityGroups.set(key, { ...group, ingress: [...group.ingress, ...extra.ingress], egress: [...group.egress, ...extra.egress] });
  }
}

/**
 * How the group gets egress, and how we know (DESIGN section 2, the Terraform pitfall): Terraform removes
 * AWS's default allow-all egress rule, so a group without egress blocks and without standalone egress
 * rules has none. Terraform 1.1+ writes inline blocks into the configuration; older plans do not, and the
 * plan itself shows a new group's egress as unknown and an existing group's as [].
 */
function egressManagementOf(
  r: Reader,
  resource: TfResource,
  raw: "list" | "empty" | "absent" | "unknown" | "sensitive",
  standaloneFrom: string[],
  isDefault: boolean,
): EgressManagement {
  const adopted = isDefault ? "aws_default_security_group removes every rule of the VPC's default group and adds only its own; " : "";
  const noStandalone = "no aws_security_group_rule or aws_vpc_security_group_egress_rule targets it";
  if (standaloneFrom.length > 0)
    return {
      mode: "standalone",
      basis: `egress comes from ${standaloneFrom.join(", ")}${raw === "list" ? " and inline egress blocks" : ""}`,
    };
  const configured = r.configured(resource, ["egress"]);
  if (raw === "list" || (raw === "unknown" && configured === true))
    return { mode: "inline", basis: "egress blocks in the configuration list the egress rules" };
  if (raw === "sensitive") return { mode: "unknown", basis: `the egress of ${resource.address} is sensitive in the plan` };
  if (configured === false)
    return { mode: "terraform-none", basis: `${adopted}the configuration (${tfVersion(r)}) has no egress block, and ${noStandalone}` };
  if (raw === "empty")
    return {
      mode: "terraform-none",
      basis: `${adopted}the plan shows egress = [] for ${resource.actions.includes("create") ? "the group" : "the existing group"}, and ${noStandalone}`,
    };
  if (raw === "unknown" && resource.actions.includes("create"))
    return {
      mode: "terraform-none",
      basis: `${adopted}${tfVersion(r)} plans leave blocks out of the configuration, so this is inferred from the AWS provider's behaviour: the plan shows no egress for the new group (after_unknown.egress = true), which is how it plans a group without egress blocks; ${noStandalone}`,
    };
  if (raw === "absent") return { mode: "terraform-none", basis: `${adopted}the plan shows no egress for the group, and ${noStandalone}` };
  return { mode: "unknown", basis: `the egress of ${resource.address} is known only after apply` };
}

// ---------------------------------------------------------------- network ACLs

function aclAction(r: Reader, resource: TfResource, path: Path): Value<"allow" | "deny"> {
  return r.scalar(
    resource,
    path,
    (v) =>
      typeof v === "string" && (v.toLowerCase() === "allow" || v.toLowerCase() === "deny")
        ? (v.toLowerCase() as "allow" | "deny")
        : undefined,
    () => r.missing(resource, path),
  );
}

function aclEntry(r: Reader, resource: TfResource, at: Path, egress: boolean, names: { number: string; action: string }): NetworkAclEntry {
  const protocol = protocolOf(r, resource, [...at, "protocol"]);
  const v4 = r.raw(resource, [...at, "cidr_block"]);
  const useV6 = (v4.k === "null" || (v4.k === "value" && v4.v === "")) && r.raw(resource, [...at, "ipv6_cidr_block"]).k !== "null";
  const cidrText = r.str(resource, [...at, useV6 ? "ipv6_cidr_block" : "cidr_block"]);
  const cidr: NetworkAclEntry["cidr"] =
    cidrText.kind === "known" ? known({ kind: useV6 ? "ipv6" : "ipv4", cidr: cidrText.value }, cidrText.origin) : cidrText;
  let portRange: NetworkAclEntry["portRange"];
  if (protocol.kind === "known" && protocol.value !== "tcp" && protocol.value !== "udp") portRange = defaulted(null);
  else {
    const from = r.num(resource, [...at, "from_port"]);
    const to = r.num(resource, [...at, "to_port"]);
    portRange =
      from.kind !== "known"
        ? from
        : to.kind !== "known"
          ? to
          : known({ from: from.value, to: to.value }, r.origin(resource, [...at, "from_port"]));
  }
  return {
    ruleNumber: r.num(resource, [...at, names.number]),
    egress,
    protocol,
    action: aclAction(r, resource, [...at, names.action]),
    cidr,
    portRange,
    origin: r.origin(resource, at.length > 0 ? at : undefined),
  };
}

function buildNetworkAcls(r: Reader, world: World): void {
  const standalone = new Map<Ref, NetworkAclEntry[]>();
  for (const resource of r.index.ofType("aws_network_acl_rule")) {
    const acl = r.ref(resource, ["network_acl_id"], K.networkAcl);
    if (acl?.kind !== "known") continue;
    const egress = r.bool(resource, ["egress"], false);
    const list = standalone.get(acl.value) ?? [];
    list.push({
      ...aclEntry(r, resource, [], egress.kind === "known" ? egress.value : false, { number: "rule_number", action: "rule_action" }),
      ...(egress.kind === "unknown"
        ? { conditional: { code: egress.reason.code, message: `the direction of this entry is not known: ${egress.reason.message}` } }
        : {}),
    });
    standalone.set(acl.value, list);
  }
  for (const resource of r.index.ofType("aws_network_acl", "aws_default_network_acl")) {
    const key = r.keyOf(resource);
    const entries: NetworkAclEntry[] = [];
    let complete = true;
    for (const direction of ["ingress", "egress"] as const) {
      const raw = r.raw(resource, [direction]);
      if (raw.k === "value" && Array.isArray(raw.v)) {
        for (let i = 0; i < raw.v.length; i++)
          entries.push(aclEntry(r, resource, [direction, i], direction === "egress", { number: "rule_no", action: "action" }));
      } else if (raw.k === "unknown" && r.configured(resource, [direction]) === true) complete = false;
    }
    entries.push(...(standalone.get(key) ?? []));
    const vpcFromKey = vpcOfDefaultKey(key, "network-acl");
    world.networkAcls.set(key, {
      ...r.base(resource),
      vpc: vpcFromKey
        ? known(vpcFromKey, r.origin(resource))
        : (r.ref(resource, ["vpc_id"], K.vpc) ??
          r.unknownAt(resource, ["vpc_id"], "outside", `the VPC of ${resource.address} is not known`)),
      entries,
      entriesComplete: complete,
      isDefault: resource.type === "aws_default_network_acl",
    });
  }
  // aws_network_acl_rule on a synthesized default ACL adds to AWS's allow-all entries.
  const adopted = new Set(r.index.ofType("aws_default_network_acl").map((d) => r.keyOf(d)));
  for (const [key, list] of standalone) {
    const acl = world.networkAcls.get(key);
    if (acl?.isDefault && !adopted.has(key)) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...list] });
  }
}

// ---------------------------------------------------------------- endpoints, DNS

function buildEndpoints(r: Reader, world: World): void {
  const subnetAssociations = byTarget(r, ["aws_vpc_endpoint_subnet_association"], ["vpc_endpoint_id"], K.vpcEndpoint);
  const groupAssociations = byTarget(r, ["aws_vpc_endpoint_security_group_association"], ["vpc_endpoint_id"], K.vpcEndpoint);
  const tableAssociations = byTarget(r, ["aws_vpc_endpoint_route_table_association"], ["vpc_endpoint_id"], K.vpcEndpoint);
  const extra = (map: Map<Ref, TfResource[]>, key: Ref, path: Path, kind: Parameters<Reader["ref"]>[2]) =>
    (map.get(key) ?? []).flatMap((a) => {
      const v = r.ref(a, path, kind);
      return v ? [v] : [];
    });
  for (const resource of r.index.ofType("aws_vpc_endpoint")) {
    const key = r.keyOf(resource);
    const list = (name: string, kind: Parameters<Reader["ref"]>[2], more: Value<Ref>[]) =>
      withExtra(r.refList(resource, [name], kind), more, defaulted([]));
    // An association with replace_default_association removes the default group the endpoint got.
    world.vpcEndpoints.set(key, {
      ...r.base(resource),
      vpc: r.ref(resource, ["vpc_id"], K.vpc) ?? r.missing(resource, ["vpc_id"]),
      serviceName: r.str(resource, ["service_name"]),
      endpointType: r.scalar<EndpointType>(resource, ["vpc_endpoint_type"], endpointTypeNamed, DEFAULT_ENDPOINT_TYPE),
      privateDnsEnabled: r.bool(resource, ["private_dns_enabled"], false),
      subnets: list("subnet_ids", K.subnet, extra(subnetAssociations, key, ["subnet_id"], K.subnet)),
      securityGroups: list("security_group_ids", K.securityGroup, extra(groupAssociations, key, ["security_group_id"], K.securityGroup)),
      routeTables: list("route_table_ids", K.routeTable, extra(tableAssociations, key, ["route_table_id"], K.routeTable)),
      policy: policyDocument(r, resource, ["policy"]),
    });
  }
}

function buildDhcpOptions(r: Reader, world: World): void {
  for (const resource of r.index.ofType("aws_vpc_dhcp_options", "aws_default_vpc_dhcp_options")) {
    let servers: Value<string[]>;
    const raw = r.raw(resource, ["domain_name_servers"]);
    if (resource.type === "aws_default_vpc_dhcp_options" || raw.k === "null") servers = defaulted(["AmazonProvidedDNS"]);
    else if (raw.k === "value" && Array.isArray(raw.v))
      servers = known(
        raw.v.filter((s): s is string => typeof s === "string"),
        r.origin(resource, ["domain_name_servers"]),
      );
    else servers = r.json(resource, ["domain_name_servers"]) as Value<string[]>;
    world.dhcpOptions.set(r.keyOf(resource), { ...r.base(resource), domainNameServers: servers });
  }
}

function buildHostedZones(r: Reader, world: World): void {
  const associations = byTarget(r, ["aws_route53_zone_association"], ["zone_id"], K.hostedZone);
  for (const resource of r.index.ofType("aws_route53_zone")) {
    const key = r.keyOf(resource);
    const vpcs: Value<Ref>[] = [];
    const raw = r.raw(resource, ["vpc"]);
    if (raw.k === "value" && Array.isArray(raw.v))
      raw.v.forEach((_, i) => {
        const v = r.ref(resource, ["vpc", i, "vpc_id"], K.vpc);
        if (v) vpcs.push(v);
      });
    for (const a of associations.get(key) ?? []) {
      const v = r.ref(a, ["vpc_id"], K.vpc);
      if (v) vpcs.push(v);
    }
    if (vpcs.length === 0) continue; // a public zone
    const name = r.str(resource, ["name"]);
    world.hostedZones.set(key, {
      ...r.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: known(vpcs, r.origin(resource, ["vpc"])),
    });
  }
}
