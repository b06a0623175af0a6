/** The route tables of the instances' VPCs, and the NAT and internet gateways their routes name. */
import type * as EC2 from "@aws-sdk/client-ec2";
import {
  type InternetGateway,
  known,
  type NatGateway,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import type { Outcome } from "./caller.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope, named } from "./values.js";

export function buildRouteTables(world: World, reads: AccountReads, scope: LiveScope): void {
  const { origin, ec2Arn } = scope;
  for (const rt of reads.routeTables.ok ? reads.routeTables.value : []) {
    const id = rt.RouteTableId!;
    const routes: Route[] = [];
    for (const r of rt.Routes ?? []) {
      if (r.GatewayId === "local") continue; // analysis adds the local route from the VPC CIDR
      const destination: Route["destination"] = r.DestinationCidrBlock
        ? known({ kind: "ipv4", cidr: r.DestinationCidrBlock })
        : r.DestinationIpv6CidrBlock
          ? known({ kind: "ipv6", cidr: r.DestinationIpv6CidrBlock })
          : known({ kind: "prefix-list", id: r.DestinationPrefixListId ?? "?" });
      routes.push({ destination, target: known(routeTarget(r, reads)), origin: origin(id, ec2Arn("route-table", id)) });
    }
    const table: RouteTable = {
      key: id,
      name: named(id, rt.Tags),
      origin: origin(id, ec2Arn("route-table", id)),
      vpc: known(rt.VpcId!),
      routes,
      routesComplete: true,
      isMain: Boolean(rt.Associations?.some((a) => a.Main)),
    };
    world.routeTables.set(id, table);
  }
  buildNatGateways(world, reads, scope);
  buildInternetGateways(world, reads, scope);
}

/** A gateway a route names: unknown when its kind could not be read. */
function gatewayRef(id: string, outcome: Outcome<unknown[]> | undefined): Value<Ref> {
  return outcome && !outcome.ok ? failed(outcome.failure) : known(id);
}

function routeTarget(r: EC2.Route, reads: AccountReads): RouteTarget {
  if (r.State === "blackhole")
    return { kind: "other", description: `a blackhole (its target ${routeTargetId(r)} no longer exists)`, blackhole: true };
  if (r.NatGatewayId) return { kind: "nat-gateway", gateway: gatewayRef(r.NatGatewayId, reads.natGateways) };
  if (r.GatewayId?.startsWith("igw-")) return { kind: "internet-gateway", gateway: gatewayRef(r.GatewayId, reads.internetGateways) };
  if (r.GatewayId?.startsWith("vgw-")) return { kind: "virtual-private-gateway", id: r.GatewayId };
  if (r.GatewayId?.startsWith("vpce-")) return { kind: "vpc-endpoint", id: r.GatewayId };
  if (r.EgressOnlyInternetGatewayId) return { kind: "egress-only-internet-gateway" };
  if (r.TransitGatewayId) return { kind: "transit-gateway", id: r.TransitGatewayId };
  if (r.VpcPeeringConnectionId) return { kind: "peering", id: r.VpcPeeringConnectionId };
  if (r.InstanceId) return { kind: "instance", id: r.InstanceId };
  if (r.NetworkInterfaceId) return { kind: "network-interface", id: r.NetworkInterfaceId };
  return { kind: "other", description: routeTargetId(r) };
}

function routeTargetId(r: EC2.Route): string {
  return (
    r.NatGatewayId ??
    r.GatewayId ??
    r.TransitGatewayId ??
    r.VpcPeeringConnectionId ??
    r.InstanceId ??
    r.NetworkInterfaceId ??
    r.CarrierGatewayId ??
    r.LocalGatewayId ??
    r.CoreNetworkArn ??
    "an unknown target"
  );
}

function buildNatGateways(world: World, reads: AccountReads, { origin, ec2Arn }: LiveScope): void {
  const natById = new Map((reads.natGateways?.ok ? reads.natGateways.value : []).map((n) => [n.NatGatewayId!, n]));
  for (const [id, n] of natById) {
    const nat: NatGateway = {
      key: id,
      name: named(id, n.Tags),
      origin: origin(id, ec2Arn("natgateway", id)),
      subnet: n.SubnetId ? known(n.SubnetId) : unknown("outside", `${id} names no subnet`),
      connectivity: known(n.ConnectivityType === "private" ? "private" : "public"),
      ...(n.State ? { state: known(n.State) } : {}),
    };
    world.natGateways.set(id, nat);
  }
}

function buildInternetGateways(world: World, reads: AccountReads, { origin, ec2Arn }: LiveScope): void {
  const igwById = new Map((reads.internetGateways?.ok ? reads.internetGateways.value : []).map((g) => [g.InternetGatewayId!, g]));
  for (const [id, g] of igwById) {
    // Internet gateway attachments report "available" (not "attached") when attached.
    const attachment = g.Attachments?.find((a) => (a.State as string) === "available" || a.State === "attached");
    const igw: InternetGateway = {
      key: id,
      name: named(id, g.Tags),
      origin: origin(id, ec2Arn("internet-gateway", id)),
      vpc: known(attachment?.VpcId ?? null),
    };
    world.internetGateways.set(id, igw);
  }
}
