/**
 * The subnets of the instances and of their VPCs. Unread, the subnets of NAT gateways and endpoints stand in
 * with values unknown for the same reason.
 */
import { known, type Ref, type Subnet, unknown, type Value, type World } from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope, named } from "./values.js";

function subnetIdsOf(reads: AccountReads, subnets: { SubnetId?: string }[]): Set<string> {
  return new Set<string>([
    ...reads.instances.map((i) => i.SubnetId).filter((x): x is string => Boolean(x)),
    ...subnets.map((s) => s.SubnetId!),
    ...(reads.subnets.ok
      ? []
      : [
          ...(reads.natGateways?.ok ? reads.natGateways.value.map((n) => n.SubnetId) : []),
          ...(reads.endpoints.ok ? reads.endpoints.value.flatMap((e) => e.SubnetIds ?? []) : []),
        ].filter((x): x is string => Boolean(x))),
  ]);
}

/** The VPC of a subnet: its own, else that of an instance, endpoint or NAT gateway in it. */
function vpcOfSubnet(id: string, reads: AccountReads, vpcId: string | undefined): string | undefined {
  return (
    vpcId ??
    reads.instances.find((i) => i.SubnetId === id)?.VpcId ??
    (reads.endpoints.ok ? reads.endpoints.value.find((e) => e.SubnetIds?.includes(id))?.VpcId : undefined) ??
    (reads.natGateways?.ok ? reads.natGateways.value.find((n) => n.SubnetId === id)?.VpcId : undefined)
  );
}

export function buildSubnets(world: World, reads: AccountReads, { origin, ec2Arn }: LiveScope): void {
  const subnets = reads.subnets.ok ? reads.subnets.value : [];
  const subnetById = new Map(subnets.map((s) => [s.SubnetId!, s]));
  for (const id of subnetIdsOf(reads, subnets)) {
    const s = subnetById.get(id);
    const vpcId = vpcOfSubnet(id, reads, s?.VpcId);
    const why = reads.subnets.ok
      ? unknown("outside", `subnet ${id} was not returned by ec2:DescribeSubnets`)
      : failed(reads.subnets.failure);
    const subnet: Subnet = {
      key: id,
      name: named(id, s?.Tags),
      origin: origin(id, s?.SubnetArn ?? ec2Arn("subnet", id)),
      vpc: vpcId ? known(vpcId) : why,
      cidrBlock: s?.CidrBlock ? known(s.CidrBlock) : why,
      availabilityZone: s?.AvailabilityZone ? known(s.AvailabilityZone) : why,
      mapPublicIpOnLaunch: s ? known(Boolean(s.MapPublicIpOnLaunch)) : why,
      routeTable: routeTableOfSubnet(world, reads, id, vpcId),
      networkAcl: networkAclOfSubnet(world, reads, id, vpcId),
    };
    world.subnets.set(id, subnet);
  }
}

/** Its explicit association, else the main route table of its VPC. */
function routeTableOfSubnet(world: World, reads: AccountReads, id: string, vpcId: string | undefined): Value<Ref> {
  if (!reads.routeTables.ok) return failed(reads.routeTables.failure);
  const routeTables = reads.routeTables.value;
  const explicit = routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === id));
  if (explicit) return known(explicit.RouteTableId!);
  const vpc = vpcId ? world.vpcs.get(vpcId) : undefined;
  if (vpc && routeTables.some((rt) => rt.RouteTableId === vpc.mainRouteTable)) return known(vpc.mainRouteTable);
  return unknown("outside", `no route table of ${vpcId ?? "its VPC"} was returned for ${id}`);
}

/** Its associated network ACL, else the default ACL of its VPC. */
function networkAclOfSubnet(world: World, reads: AccountReads, id: string, vpcId: string | undefined): Value<Ref> {
  if (!reads.networkAcls.ok) return failed(reads.networkAcls.failure);
  const acls = reads.networkAcls.value;
  const acl = acls.find((a) => a.Associations?.some((x) => x.SubnetId === id));
  if (acl) return known(acl.NetworkAclId!);
  const vpc = vpcId ? world.vpcs.get(vpcId) : undefined;
  if (vpc && acls.some((a) => a.NetworkAclId === vpc.defaultNetworkAcl)) return known(vpc.defaultNetworkAcl);
  return unknown("outside", `no network ACL of ${vpcId ?? "its VPC"} was returned for ${id}`);
}
