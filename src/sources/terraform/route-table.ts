/**
 * Route tables of a plan and their routes: inline `route` blocks and standalone aws_route resources,
 * also those on a VPC's main route table that no aws_default_route_table manages.
 */
import {
  known,
  type Ref,
  type Route,
  type RouteTarget,
  type UnknownReason,
  unknown,
  type Value,
  vpcOfDefaultKey,
  type World,
} from "../../model/index.js";
import { byTarget } from "./attachments.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";

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
  if (raw.kind === "value") return String(raw.value);
  const refs = r.expression(resource, path)?.references;
  return refs?.[refs.length - 1] ?? "a value known only after apply";
}

/** The target of a route: `at` is the route's path ([] for aws_route, ["route", i] for inline routes). */
function routeTarget(r: Reader, resource: TfResource, at: Path): Value<RouteTarget> {
  for (const field of ROUTE_TARGETS) {
    const path = [...at, field];
    const raw = r.raw(resource, path);
    if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) continue;
    const origin = r.origin(resource, path);
    switch (field) {
      case "gateway_id": {
        if (raw.kind === "value" && raw.value === "local") return known({ kind: "local" }, origin);
        if (raw.kind === "value" && typeof raw.value === "string" && raw.value.startsWith("vgw-"))
          return known({ kind: "virtual-private-gateway", id: raw.value }, origin);
        const gateway = r.ref(resource, path, ELEMENT.gateway);
        if (gateway?.kind === "known") {
          const type = r.index.byAddress.get(gateway.value)?.type;
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
            gateway: r.ref(resource, path, ELEMENT.natGateway) ?? unknown("unresolved", "no NAT gateway", undefined, origin),
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
    if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) continue;
    const value = r.str(resource, path);
    if (value.kind !== "known") return value;
    return known(kind === "prefix-list" ? { kind, id: value.value } : { kind, cidr: value.value }, value.origin);
  }
  return unknown("unresolved", "the route names no destination", undefined, r.origin(resource, at));
}

/** Inline `route` blocks of a route table; undefined when they are not known. */
function inlineRoutes(r: Reader, resource: TfResource): Route[] | UnknownReason {
  const raw = r.raw(resource, ["route"]);
  if (raw.kind === "value" && Array.isArray(raw.value)) {
    return raw.value.map((_, i) => ({
      destination: routeDestination(r, resource, ["route", i], ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"]),
      target: routeTarget(r, resource, ["route", i]),
      origin: r.origin(resource, ["route", i]),
    }));
  }
  if (raw.kind === "null") return [];
  // Computed: no route blocks in the configuration (routes come from aws_route), unless it says otherwise.
  if (raw.kind === "unknown" && r.configured(resource, ["route"]) !== true) return [];
  return r.computedReason(resource, ["route"]);
}

export function buildRouteTables(r: Reader, world: World): void {
  const standalone = byTarget(r, ["aws_route"], ["route_table_id"], ELEMENT.routeTable);
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
        : (r.ref(resource, ["vpc_id"], ELEMENT.vpc) ??
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
