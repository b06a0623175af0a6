/**
 * VPCs of a plan (with the default security group, main route table and default ACL AWS creates,
 * unless aws_default_* resources manage them), their secondary CIDR blocks, main route table
 * associations and DHCP option sets. Terraform's defaults: enable_dns_support true,
 * enable_dns_hostnames false (true for the default VPC).
 */
import {
  defaulted,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  known,
  mainRouteTableKey,
  type Ref,
  synthesizeVpcDefaults,
  unknown,
  type Value,
  vpcOfDefaultKey,
  type World,
} from "../../model/index.js";
import { byTarget } from "./attachments.js";
import { Candidates, unknownAclEntry, unknownRoute } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import type { Reader } from "./reader.js";

/**
 * Before anything else: which synthesized VPC element each aws_default_* resource manages. One whose VPC count.index
 * (or each.key) picks manages one of several; the elements it may manage are returned, by the synthesized element's
 * key, for uncertainDefaults.
 */
export function registerDefaultAliases(reader: Reader): Candidates {
  const uncertain = new Candidates(reader, "VPCs");
  for (const resource of reader.index.ofType("aws_default_security_group")) {
    const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
    if (vpc?.kind === "known") reader.aliases.set(resource.address, defaultSecurityGroupKey(vpc.value));
    else if (vpc?.kind === "unknown") uncertain.add(resource, ["vpc_id"], ELEMENT.vpc, false, "default-sg");
  }
  const viaVpc = (type: string, attribute: string, kind: "main-rtb" | "default-acl") => {
    // One kind for all: the instances of a count share one answer for what they pick (Reader.configuredKeys).
    const element = { types: [], what: "a VPC default", vpcDefault: kind };
    for (const resource of reader.index.ofType(type)) {
      const target = reader.ref(resource, [attribute], element);
      if (target?.kind === "known" && target.value.endsWith(`#${kind}`)) reader.aliases.set(resource.address, target.value);
      else if (target?.kind === "unknown") uncertain.add(resource, [attribute], element, false, kind);
    }
  };
  viaVpc("aws_default_route_table", "default_route_table_id", "main-rtb");
  viaVpc("aws_default_network_acl", "default_network_acl_id", "default-acl");
  return uncertain;
}

/**
 * Right after the VPCs, before rules, routes and entries of their own are added to the synthesized defaults: a default
 * element that an aws_default_* resource picking one of several VPCs may manage is not
 * AWS's default for certain. Such a resource replaces every rule, route or entry, so the synthesized ones give way to
 * one that is not known and says why. An element a resource manages for certain (an alias) keeps what it has.
 */
export function uncertainDefaults(reader: Reader, world: World, uncertain: Candidates): void {
  const managed = new Set(reader.aliases.values());
  // Candidates of the default group are VPCs (its vpc_id); those of the others, the elements themselves.
  const told = (element: Ref, candidate: Ref, variant: string, what: string) =>
    managed.has(element) ? undefined : uncertain.unknownFor(candidate, `manage ${what} of`, "VPC", variant);
  for (const vpc of world.vpcs.keys()) {
    const sgKey = defaultSecurityGroupKey(vpc);
    const group = world.securityGroups.get(sgKey);
    const rules = group && told(sgKey, vpc, "default-sg", "the default security group");
    if (group && rules) world.securityGroups.set(sgKey, { ...group, ingress: [], egress: [], rulesComplete: rules });

    const rtbKey = mainRouteTableKey(vpc);
    const table = world.routeTables.get(rtbKey);
    const route = table && told(rtbKey, rtbKey, "main-rtb", "the main route table");
    if (table && route) world.routeTables.set(rtbKey, { ...table, routes: [unknownRoute(route)] });

    const aclKey = defaultNetworkAclKey(vpc);
    const acl = world.networkAcls.get(aclKey);
    const entry = acl && told(aclKey, aclKey, "default-acl", "the default network ACL");
    if (acl && entry) world.networkAcls.set(aclKey, { ...acl, entries: [unknownAclEntry(entry, false), unknownAclEntry(entry, true)] });
  }
}

export function buildVpcs(reader: Reader, world: World): void {
  const secondary = byTarget(reader, ["aws_vpc_ipv4_cidr_block_association"], ["vpc_id"], ELEMENT.vpc, "VPCs");
  const dhcp = new Map<Ref, Value<Ref | null>>();
  // Associations whose VPC count.index (or each.key) picks: each VPC they may name has DHCP options not known.
  const uncertainDhcp = new Candidates(reader, "VPCs");
  for (const resource of reader.index.ofType("aws_vpc_dhcp_options_association")) {
    const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
    if (vpc?.kind === "unknown") uncertainDhcp.add(resource, ["vpc_id"], ELEMENT.vpc);
    if (vpc?.kind !== "known") continue;
    const id = reader.raw(resource, ["dhcp_options_id"]);
    const options: Value<Ref | null> =
      id.kind === "value" && id.value === "default"
        ? known(null, reader.origin(resource, ["dhcp_options_id"]))
        : (reader.ref(resource, ["dhcp_options_id"], ELEMENT.dhcpOptions) ?? defaulted(null));
    dhcp.set(vpc.value, reader.ifCreated(resource, options));
  }
  const mainTables = new Map<Ref, Ref>();
  for (const resource of reader.index.ofType("aws_main_route_table_association")) {
    const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
    const table = reader.ref(resource, ["route_table_id"], ELEMENT.routeTable);
    // One that may not be created leaves the main table not known (buildSubnets says so).
    if (vpc?.kind === "known" && table?.kind === "known" && !resource.mayNotExist) mainTables.set(vpc.value, table.value);
  }

  for (const resource of reader.index.ofType("aws_vpc", "aws_default_vpc")) {
    const key = reader.keyOf(resource);
    const isDefaultVpc = resource.type === "aws_default_vpc";
    let cidrBlocks: Value<string[]>;
    const primary = reader.str(resource, ["cidr_block"], () =>
      reader.unknownAt(resource, ["cidr_block"], "computed", `the CIDR of ${resource.address} comes from an IPAM pool at apply`),
    );
    cidrBlocks = primary.kind === "known" ? known([primary.value], primary.origin) : primary;
    for (const extra of secondary.byKey.get(key) ?? []) {
      if (cidrBlocks.kind !== "known") break;
      const value = reader.str(extra, ["cidr_block"]);
      cidrBlocks = value.kind === "known" ? known([...cidrBlocks.value, value.value], cidrBlocks.origin) : value;
    }
    if (cidrBlocks.kind === "known") cidrBlocks = secondary.uncertain.unknownFor(key, "associate CIDR blocks with", "VPC") ?? cidrBlocks;
    world.vpcs.set(key, {
      ...reader.base(resource),
      cidrBlocks,
      enableDnsSupport: reader.bool(resource, ["enable_dns_support"], true),
      // The default VPC has DNS hostnames on; a new VPC has them off.
      enableDnsHostnames: reader.bool(resource, ["enable_dns_hostnames"], isDefaultVpc),
      dhcpOptions: dhcp.get(key) ?? uncertainDhcp.unknownFor(key, "associate DHCP options with", "VPC") ?? defaulted(null),
      defaultSecurityGroup: defaultSecurityGroupKey(key),
      mainRouteTable: mainTables.get(key) ?? mainRouteTableKey(key),
      defaultNetworkAcl: defaultNetworkAclKey(key),
    });
    // The default VPC's own defaults exist already and are not in the plan (unless aws_default_* adopt them).
    if (!isDefaultVpc) synthesizeVpcDefaults(world, key, reader.origin(resource), undefined);
  }
}

export function buildDhcpOptions(reader: Reader, world: World): void {
  for (const resource of reader.index.ofType("aws_vpc_dhcp_options", "aws_default_vpc_dhcp_options")) {
    let servers: Value<string[]>;
    const raw = reader.raw(resource, ["domain_name_servers"]);
    if (resource.type === "aws_default_vpc_dhcp_options" || raw.kind === "null") servers = defaulted(["AmazonProvidedDNS"]);
    else if (raw.kind === "value" && Array.isArray(raw.value))
      servers = known(
        raw.value.filter((s): s is string => typeof s === "string"),
        reader.origin(resource, ["domain_name_servers"]),
      );
    else servers = reader.json(resource, ["domain_name_servers"]) as Value<string[]>;
    world.dhcpOptions.set(reader.keyOf(resource), { ...reader.base(resource), domainNameServers: servers });
  }
}

/** The VPC an element is in: the VPC whose default it is (aws_default_*), else its vpc_id. */
export function vpcOfElement(
  reader: Reader,
  resource: TfResource,
  key: Ref,
  element: Parameters<typeof vpcOfDefaultKey>[1],
  outside: string,
): Value<Ref> {
  const vpcFromKey = vpcOfDefaultKey(key, element);
  if (vpcFromKey) return known(vpcFromKey, reader.origin(resource));
  return reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ?? reader.unknownAt(resource, ["vpc_id"], "outside", outside);
}

/** VPC Block Public Access: aws_vpc_block_public_access_options and the VPCs and subnets its exclusions name. */
export function buildBlockPublicAccess(reader: Reader, world: World): void {
  for (const resource of reader.index.ofType("aws_vpc_block_public_access_options"))
    world.blockPublicAccess.set(reader.keyOf(resource), {
      ...reader.base(resource),
      mode: reader.str(resource, ["internet_gateway_block_mode"]),
    });
  for (const resource of reader.index.ofType("aws_vpc_block_public_access_exclusion")) {
    const scope =
      reader.ref(resource, ["subnet_id"], ELEMENT.subnet) ??
      reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ??
      unknown("unresolved", `${resource.address} names neither a VPC nor a subnet`);
    world.blockPublicAccessExclusions.set(reader.keyOf(resource), {
      ...reader.base(resource),
      scope,
      mode: reader.str(resource, ["internet_gateway_exclusion_mode"]),
    });
  }
}
