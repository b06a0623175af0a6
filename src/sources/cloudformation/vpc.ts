/**
 * VPCs (with their secondary CIDR blocks, their DHCP option set, and the default security group,
 * main route table and default network ACL AWS creates with each) and DHCP option sets.
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
  type Vpc,
  type World,
} from "../../model/index.js";
import { keyOf, mayNameTemplateResource, type Template } from "./template.js";
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

interface SecondaryCidr {
  ev: Evaluated;
  resource: ResourceInfo;
}

export function buildVpcs(template: Template, world: World): void {
  const secondary = secondaryCidrs(template);
  const dhcp = dhcpAssociations(template);
  for (const resource of template.ofType(ResourceType.vpc)) {
    const key = resource.id;
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const vpc: Vpc = {
      ...template.base(resource),
      cidrBlocks: cidrBlocksOf(template, resource, secondary.get(key) ?? []),
      enableDnsSupport: template.withDefault(template.prop(resource, "EnableDnsSupport"), true, (ev) =>
        template.bool(ev, "EnableDnsSupport", pointer("EnableDnsSupport")),
      ),
      enableDnsHostnames: template.withDefault(template.prop(resource, "EnableDnsHostnames"), false, (ev) =>
        template.bool(ev, "EnableDnsHostnames", pointer("EnableDnsHostnames")),
      ),
      dhcpOptions: dhcp.named.get(key) ?? dhcp.unplaced ?? defaulted(null),
      defaultSecurityGroup: defaultSecurityGroupKey(key),
      mainRouteTable: mainRouteTableKey(key),
      defaultNetworkAcl: defaultNetworkAclKey(key),
    };
    world.vpcs.set(key, vpc);
    synthesizeVpcDefaults(world, key, template.origin(resource.pointer), resource.conditional);
  }
}

/** AWS::EC2::VPCCidrBlock resources with an IPv4 CIDR, by the VPC of the template they extend. */
function secondaryCidrs(template: Template): Map<Ref, SecondaryCidr[]> {
  const secondary = new Map<Ref, SecondaryCidr[]>();
  for (const resource of template.ofType(ResourceType.vpcCidrBlock)) {
    const vpc = keyOf(template.prop(resource, "VpcId"), [ResourceType.vpc]);
    const cidr = template.prop(resource, "CidrBlock");
    if (!vpc || cidr.kind === "none") continue; // IPv6 blocks and IPAM pools without a CIDR
    const list = secondary.get(vpc) ?? [];
    list.push({ ev: cidr, resource });
    secondary.set(vpc, list);
  }
  return secondary;
}

/**
 * The DHCP option set each VPC of the template is associated with (`default`: none); and, when an association's VpcId
 * may name a VPC of the template without its being known which (a condition left open), what every VPC without an
 * association of its own then has: not known.
 */
function dhcpAssociations(template: Template): { named: Map<Ref, Value<Ref | null>>; unplaced?: Value<Ref | null> } {
  const dhcp = new Map<Ref, Value<Ref | null>>();
  let unplaced: Value<Ref | null> | undefined;
  for (const resource of template.ofType(ResourceType.dhcpOptionsAssociation)) {
    const id = template.prop(resource, "VpcId");
    const vpc = keyOf(id, [ResourceType.vpc]);
    if (!vpc) {
      if (!unplaced && mayNameTemplateResource(id))
        unplaced = template.openReference(resource, "VpcId", id, "may associate DHCP options with this VPC");
      continue;
    }
    const pointer = template.propertyPointer(resource, "DhcpOptionsId");
    const options = template.prop(resource, "DhcpOptionsId");
    const value: Value<Ref | null> =
      options.kind === "scalar" && String(options.value).toLowerCase() === "default"
        ? known(null, template.origin(pointer))
        : template.ref(options, "DhcpOptionsId", pointer, [ResourceType.dhcpOptions], "a DHCP option set");
    dhcp.set(vpc, template.unlessConditional(resource, value));
  }
  return unplaced ? { named: dhcp, unplaced } : { named: dhcp };
}

/** The primary CIDR, then the secondary blocks; unknown as soon as one of them is. */
function cidrBlocksOf(template: Template, resource: ResourceInfo, secondary: readonly SecondaryCidr[]): Value<string[]> {
  const primary = template.prop(resource, "CidrBlock");
  if (primary.kind === "none") {
    return unknown("computed", "the VPC's CIDR comes from an IPAM pool at deploy time", undefined, template.origin(resource.pointer));
  }
  const first = template.str(primary, "CidrBlock", template.propertyPointer(resource, "CidrBlock"));
  let cidrBlocks: Value<string[]> = first.kind === "known" ? known([first.value], first.origin) : first;
  for (const extra of secondary) {
    if (cidrBlocks.kind !== "known") break;
    const value = template.str(extra.ev, "CidrBlock", template.propertyPointer(extra.resource, "CidrBlock"));
    cidrBlocks = value.kind === "known" ? known([...cidrBlocks.value, value.value], cidrBlocks.origin) : value;
  }
  return cidrBlocks;
}

/** DHCP option sets: their DNS servers (AmazonProvidedDNS when not set). */
export function buildDhcpOptions(template: Template, world: World): void {
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

/** VPC Block Public Access: the region's setting and the VPCs and subnets excluded from it. */
export function buildBlockPublicAccess(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.blockPublicAccessOptions)) {
    const mode = template.str(
      template.prop(resource, "InternetGatewayBlockMode"),
      "InternetGatewayBlockMode",
      template.propertyPointer(resource, "InternetGatewayBlockMode"),
    );
    world.blockPublicAccess.set(resource.id, { ...template.base(resource), mode });
  }
  for (const resource of template.ofType(ResourceType.blockPublicAccessExclusion)) {
    const subnet = template.prop(resource, "SubnetId");
    const scope =
      subnet.kind !== "none"
        ? template.refProperty(resource, "SubnetId", [ResourceType.subnet], "a subnet")
        : template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC");
    const mode = template.str(
      template.prop(resource, "InternetGatewayExclusionMode"),
      "InternetGatewayExclusionMode",
      template.propertyPointer(resource, "InternetGatewayExclusionMode"),
    );
    world.blockPublicAccessExclusions.set(resource.id, { ...template.base(resource), scope, mode });
  }
}
