/**
 * Subnets: their VPC, CIDR and zone, and the route table and network ACL they use (an explicit
 * association, else the VPC's main route table and default network ACL).
 */
import {
  defaulted,
  defaultNetworkAclKey,
  mainRouteTableKey,
  type Ref,
  type Subnet,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { keyOf, mayNameTemplateResource, type Template } from "./template.js";
import { type ResourceInfo, ResourceType } from "./types.js";

export function buildSubnets(template: Template, world: World): void {
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
    const vpc = template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC");
    const outsideVpc = (what: string) =>
      unknown(
        "outside",
        `the subnet's VPC is not in this template, so its ${what} is not known`,
        undefined,
        template.origin(pointer("VpcId")),
      );
    const subnet: Subnet = {
      ...template.base(resource),
      vpc,
      cidrBlock: cidrBlockOf(template, resource),
      availabilityZone: availabilityZoneOf(template, resource),
      mapPublicIpOnLaunch: template.withDefault(template.prop(resource, "MapPublicIpOnLaunch"), false, (ev) =>
        template.bool(ev, "MapPublicIpOnLaunch", pointer("MapPublicIpOnLaunch")),
      ),
      routeTable:
        routeTables.named.get(resource.id) ??
        routeTables.unplaced ??
        (vpc.kind === "known" ? defaulted(mainRouteTableKey(vpc.value)) : outsideVpc("main route table")),
      networkAcl:
        acls.named.get(resource.id) ??
        acls.unplaced ??
        (vpc.kind === "known" ? defaulted(defaultNetworkAclKey(vpc.value)) : outsideVpc("default network ACL")),
    };
    world.subnets.set(resource.id, subnet);
  }
}

/**
 * Explicit associations (route table or ACL) by subnet; and, when an association's SubnetId may name a subnet of the
 * template without its being known which (a condition left open), what every subnet without an association of its
 * own then has: not its VPC's default, but not known.
 */
function associations(
  template: Template,
  type: string,
  property: string,
  targetType: string,
  what: string,
): { named: Map<Ref, Value<Ref>>; unplaced?: Value<Ref> } {
  const named = new Map<Ref, Value<Ref>>();
  let unplaced: Value<Ref> | undefined;
  for (const resource of template.ofType(type)) {
    const id = template.prop(resource, "SubnetId");
    const subnet = keyOf(id, [ResourceType.subnet]);
    if (!subnet) {
      if (!unplaced && mayNameTemplateResource(id))
        unplaced = template.openReference(resource, "SubnetId", id, `may give this subnet ${what}`);
      continue;
    }
    const value = template.refProperty(resource, property, [targetType], what);
    named.set(subnet, template.unlessConditional(resource, value));
  }
  return unplaced ? { named, unplaced } : { named };
}

function cidrBlockOf(template: Template, resource: ResourceInfo): Value<string> {
  const cidr = template.prop(resource, "CidrBlock");
  if (cidr.kind === "none") {
    return unknown(
      "computed",
      "the subnet's CIDR comes from an IPAM pool or IPv6 at deploy time",
      undefined,
      template.origin(resource.pointer),
    );
  }
  return template.str(cidr, "CidrBlock", template.propertyPointer(resource, "CidrBlock"));
}

function availabilityZoneOf(template: Template, resource: ResourceInfo): Value<string> {
  const zone = template.prop(resource, "AvailabilityZone");
  if (zone.kind !== "none") return template.str(zone, "AvailabilityZone", template.propertyPointer(resource, "AvailabilityZone"));
  if (template.prop(resource, "AvailabilityZoneId").kind !== "none") {
    return unknown(
      "unresolved",
      "the subnet names its zone by AvailabilityZoneId; zone names differ per account",
      undefined,
      template.origin(template.propertyPointer(resource, "AvailabilityZoneId")),
    );
  }
  return unknown(
    "computed",
    "AvailabilityZone is not set: AWS chooses the zone at deploy time",
    undefined,
    template.origin(resource.pointer),
  );
}
