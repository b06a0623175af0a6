/**
 * Route tables with their routes (destination and target), and the gateways routes lead to:
 * internet gateways (and the VPC each is attached to) and NAT gateways.
 */
import {
  defaulted,
  type InternetGateway,
  known,
  type NatGateway,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { keyOf, type Template } from "./template.js";
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

function conditionalOf(resource: ResourceInfo): { conditional?: UnknownReason } {
  return resource.conditional ? { conditional: resource.conditional } : {};
}

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

export function buildRouteTables(template: Template, world: World): void {
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
      vpc: template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC"),
      routes: routes.get(resource.id) ?? [],
      routesComplete: true,
      isMain: false,
    };
    world.routeTables.set(resource.id, table);
  }
}

/** Internet gateways (with the VPC they are attached to) and NAT gateways: the targets routes name. */
export function buildGateways(template: Template, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  for (const resource of template.ofType(ResourceType.gatewayAttachment)) {
    const gateway = keyOf(template.prop(resource, "InternetGatewayId"), [ResourceType.internetGateway]);
    if (!gateway) continue;
    const vpc: Value<Ref | null> = template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC");
    attachments.set(gateway, template.unlessConditional(resource, vpc));
  }
  for (const resource of template.ofType(ResourceType.internetGateway)) {
    const gateway: InternetGateway = { ...template.base(resource), vpc: attachments.get(resource.id) ?? defaulted(null) };
    world.internetGateways.set(resource.id, gateway);
  }
  for (const resource of template.ofType(ResourceType.natGateway)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const nat: NatGateway = {
      ...template.base(resource),
      subnet: template.refProperty(resource, "SubnetId", [ResourceType.subnet], "a subnet"),
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
