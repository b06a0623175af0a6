/**
 * Route tables of a plan and their routes: inline `route` blocks and standalone aws_route resources,
 * also those on a VPC's main route table that no aws_default_route_table manages; and the gateways
 * routes lead to: internet gateways (attached inline or by aws_internet_gateway_attachment) and NAT
 * gateways.
 */
import {
  defaulted,
  known,
  type Ref,
  type Route,
  type RouteTarget,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { byTarget } from "./attachments.js";
import { Candidates, unknownRoute } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";
import { vpcOfElement } from "./vpc.js";

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

function idText(reader: Reader, resource: TfResource, path: Path): string {
  const raw = reader.raw(resource, path);
  if (raw.kind === "value") return String(raw.value);
  const refs = reader.expression(resource, path)?.references;
  return refs?.[refs.length - 1] ?? "a value known only after apply";
}

/** The target of a route: `at` is the route's path ([] for aws_route, ["route", i] for inline routes). */
function routeTarget(reader: Reader, resource: TfResource, at: Path): Value<RouteTarget> {
  for (const field of ROUTE_TARGETS) {
    const path = [...at, field];
    const raw = reader.raw(resource, path);
    if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) continue;
    const origin = reader.origin(resource, path);
    switch (field) {
      case "gateway_id": {
        if (raw.kind === "value" && raw.value === "local") return known({ kind: "local" }, origin);
        if (raw.kind === "value" && typeof raw.value === "string" && raw.value.startsWith("vgw-"))
          return known({ kind: "virtual-private-gateway", id: raw.value }, origin);
        const gateway = reader.ref(resource, path, ELEMENT.gateway);
        if (gateway?.kind === "known") {
          const type = reader.index.byAddress.get(gateway.value)?.type;
          if (type === "aws_vpn_gateway") return known({ kind: "virtual-private-gateway", id: gateway.value }, origin);
          return known({ kind: "internet-gateway", gateway }, origin);
        }
        if (raw.kind === "value" && typeof raw.value === "string" && raw.value.startsWith("igw-"))
          return known(
            { kind: "internet-gateway", gateway: gateway ?? unknown("outside", `${raw.value} is not in this plan`, undefined, origin) },
            origin,
          );
        return gateway?.kind === "unknown" ? gateway : unknown("unresolved", "the route's gateway is not known", undefined, origin);
      }
      case "nat_gateway_id":
        return known(
          {
            kind: "nat-gateway",
            gateway: reader.ref(resource, path, ELEMENT.natGateway) ?? unknown("unresolved", "no NAT gateway", undefined, origin),
          },
          origin,
        );
      case "transit_gateway_id":
        return known({ kind: "transit-gateway", id: idText(reader, resource, path) }, origin);
      case "vpc_peering_connection_id":
        return known({ kind: "peering", id: idText(reader, resource, path) }, origin);
      case "network_interface_id":
        return known({ kind: "network-interface", id: idText(reader, resource, path) }, origin);
      case "instance_id":
        return known({ kind: "instance", id: idText(reader, resource, path) }, origin);
      case "vpc_endpoint_id":
        return known({ kind: "vpc-endpoint", id: idText(reader, resource, path) }, origin);
      case "egress_only_gateway_id":
        return known({ kind: "egress-only-internet-gateway" }, origin);
      default:
        return known({ kind: "other", description: `${field} ${idText(reader, resource, path)}` }, origin);
    }
  }
  return unknown("unresolved", "the route names no target", undefined, reader.origin(resource, at));
}

function routeDestination(reader: Reader, resource: TfResource, at: Path, fields: readonly [string, string, string]): Route["destination"] {
  const [v4, v6, prefixList] = fields;
  for (const [field, kind] of [
    [v4, "ipv4"],
    [v6, "ipv6"],
    [prefixList, "prefix-list"],
  ] as const) {
    const path = [...at, field];
    const raw = reader.raw(resource, path);
    if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) continue;
    const value = reader.str(resource, path);
    if (value.kind !== "known") return value;
    return known(kind === "prefix-list" ? { kind, id: value.value } : { kind, cidr: value.value }, value.origin);
  }
  return unknown("unresolved", "the route names no destination", undefined, reader.origin(resource, at));
}

/** Inline `route` blocks of a route table; undefined when they are not known. */
function inlineRoutes(reader: Reader, resource: TfResource): Route[] | UnknownReason {
  const raw = reader.raw(resource, ["route"]);
  if (raw.kind === "value" && Array.isArray(raw.value)) {
    return raw.value.map((_, i) => ({
      destination: routeDestination(reader, resource, ["route", i], ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"]),
      target: routeTarget(reader, resource, ["route", i]),
      origin: reader.origin(resource, ["route", i]),
    }));
  }
  if (raw.kind === "null") return [];
  // Computed: no route blocks in the configuration (routes come from aws_route), unless it says otherwise.
  if (raw.kind === "unknown" && reader.configured(resource, ["route"]) !== true) return [];
  return reader.computedReason(resource, ["route"]);
}

export function buildRouteTables(reader: Reader, world: World): void {
  const standalone = byTarget(reader, ["aws_route"], ["route_table_id"], ELEMENT.routeTable, "route tables");
  const routesOf = (key: Ref): Route[] => {
    const routes = (standalone.byKey.get(key) ?? []).map((resource) =>
      reader.addsIfCreated<Route>(resource, {
        destination: routeDestination(
          reader,
          resource,
          [],
          ["destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"],
        ),
        target: routeTarget(reader, resource, []),
        origin: reader.origin(resource),
      }),
    );
    // An aws_route that picks one of several tables (count.index, each.key) may add a route here: not known where to.
    const maybe = standalone.uncertain.unknownFor(key, "add routes to", "route table");
    if (maybe) routes.push(unknownRoute(maybe));
    return routes;
  };
  for (const resource of reader.index.ofType("aws_route_table", "aws_default_route_table")) {
    const key = reader.keyOf(resource);
    const inline = inlineRoutes(reader, resource);
    const isMain = resource.type === "aws_default_route_table";
    const routes = [...(Array.isArray(inline) ? inline : []), ...routesOf(key)];
    if (!Array.isArray(inline))
      routes.push({
        destination: unknown(inline.code, inline.message, inline.decide),
        target: unknown(inline.code, inline.message, inline.decide),
        origin: reader.origin(resource, ["route"]),
      });
    world.routeTables.set(key, {
      ...reader.base(resource),
      vpc: vpcOfElement(reader, resource, key, "route-table", `the VPC of ${resource.address} is not known`),
      routes,
      routesComplete: true,
      isMain,
    });
  }
  // aws_route resources on a synthesized main route table (route_table_id = aws_vpc.x.main_route_table_id).
  const managed = new Set(reader.index.ofType("aws_route_table", "aws_default_route_table").map((t) => reader.keyOf(t)));
  for (const [key, table] of world.routeTables) {
    if (managed.has(key) || (!standalone.byKey.has(key) && !standalone.uncertain.of(key))) continue;
    world.routeTables.set(key, { ...table, routes: [...table.routes, ...routesOf(key)] });
  }
}

/** Internet gateways with the VPC they are attached to, and NAT gateways with their subnet. */
export function buildGateways(reader: Reader, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  // Attachments whose gateway count.index (or each.key) picks: each gateway they may name has a VPC not known.
  const uncertain = new Candidates(reader, "internet gateways");
  for (const resource of reader.index.ofType("aws_internet_gateway_attachment")) {
    const gateway = reader.ref(resource, ["internet_gateway_id"], ELEMENT.gateway);
    const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
    if (gateway?.kind === "known" && vpc) attachments.set(gateway.value, vpc);
    else if (gateway?.kind === "unknown" && vpc) uncertain.add(resource, ["internet_gateway_id"], ELEMENT.gateway);
  }
  for (const resource of reader.index.ofType("aws_internet_gateway")) {
    const key = reader.keyOf(resource);
    world.internetGateways.set(key, {
      ...reader.base(resource),
      vpc:
        attachments.get(key) ??
        reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ??
        uncertain.unknownFor(key, "attach a VPC to", "internet gateway") ??
        defaulted(null),
    });
  }
  for (const resource of reader.index.ofType("aws_nat_gateway")) {
    world.natGateways.set(reader.keyOf(resource), {
      ...reader.base(resource),
      subnet: reader.ref(resource, ["subnet_id"], ELEMENT.subnet) ?? reader.missing(resource, ["subnet_id"]),
      connectivity: reader.scalar<"public" | "private">(
        resource,
        ["connectivity_type"],
        (v) => (v === "public" || v === "private" ? v : undefined),
        "public",
      ),
    });
  }
}
