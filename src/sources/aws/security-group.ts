/**
 * The security groups of the instances' VPCs. A group that could not be read (the default group of a VPC, or
 * one an instance or endpoint names) stands in with its rules unknown for that reason, never assumed.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import {
  known,
  normalizeProtocol,
  type Origin,
  type Peer,
  type SecurityGroup,
  type SecurityGroupRule,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import type { CallFailure, Outcome } from "./caller.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope } from "./values.js";

export function buildSecurityGroups(world: World, reads: AccountReads, scope: LiveScope): void {
  const { origin, ec2Arn } = scope;
  addDefaultGroupStandIns(world, reads, scope);
  const prefixLists = new Map((reads.prefixLists?.ok ? reads.prefixLists.value : []).map((p) => [p.PrefixListId!, p]));
  for (const g of reads.securityGroups.ok ? reads.securityGroups.value : []) {
    const id = g.GroupId!;
    const o = origin(id, g.SecurityGroupArn ?? ec2Arn("security-group", id));
    const rules = (direction: "ingress" | "egress", permissions: EC2.IpPermission[] | undefined): SecurityGroupRule[] =>
      (permissions ?? []).flatMap((p) => permissionRules(direction, p, o, prefixLists, reads));
    const sg: SecurityGroup = {
      key: id,
      name: g.GroupName ? `${id} (${g.GroupName})` : id,
      origin: o,
      vpc: known(g.VpcId!),
      ...(g.GroupName ? { groupName: known(g.GroupName) } : {}),
      ingress: rules("ingress", g.IpPermissions),
      egress: rules("egress", g.IpPermissionsEgress),
      rulesComplete: known(true),
      egressManagement: { mode: "aws-default" },
      isDefault: g.GroupName === "default",
    };
    world.securityGroups.set(id, sg);
  }
  if (!reads.securityGroups.ok) addUnreadGroupStandIns(world, reads, reads.securityGroups.failure, scope);
}

/** A stand-in for each VPC's default group that was not returned: its rules are unknown, never assumed. */
function addDefaultGroupStandIns(world: World, reads: AccountReads, { origin }: LiveScope): void {
  const groups = reads.securityGroups.ok ? reads.securityGroups.value : [];
  for (const vpc of world.vpcs.values()) {
    const vpcId = vpc.key;
    if (groups.some((g) => g.VpcId === vpcId && g.GroupName === "default")) continue;
    world.securityGroups.set(vpc.defaultSecurityGroup, {
      key: vpc.defaultSecurityGroup,
      name: `the default security group of ${vpcId}`,
      origin: origin(vpc.defaultSecurityGroup),
      vpc: known(vpcId),
      ingress: [],
      egress: [],
      rulesComplete: reads.securityGroups.ok
        ? unknown("outside", `the default security group of ${vpcId} was not returned`)
        : failed(reads.securityGroups.failure),
      egressManagement: { mode: "aws-default" },
      isDefault: true,
    });
  }
}

/** Groups the instances and endpoints name that could not be read: stand-ins whose rules are unknown for that reason. */
function addUnreadGroupStandIns(world: World, reads: AccountReads, failure: CallFailure, { origin, ec2Arn }: LiveScope): void {
  const vpcOfGroup = new Map<string, string | undefined>();
  for (const i of reads.instances) for (const g of i.SecurityGroups ?? []) if (g.GroupId) vpcOfGroup.set(g.GroupId, i.VpcId);
  if (reads.endpoints.ok)
    for (const e of reads.endpoints.value) for (const g of e.Groups ?? []) if (g.GroupId) vpcOfGroup.set(g.GroupId, e.VpcId);
  for (const [id, vpcId] of vpcOfGroup) {
    if (world.securityGroups.has(id)) continue;
    world.securityGroups.set(id, {
      key: id,
      name: id,
      origin: origin(id, ec2Arn("security-group", id)),
      vpc: vpcId ? known(vpcId) : failed(failure),
      ingress: [],
      egress: [],
      rulesComplete: failed(failure),
      egressManagement: { mode: "aws-default" },
      isDefault: false,
    });
  }
}

/** The rules of one permission: one per CIDR, group and prefix list it names (a customer list's CIDRs one by one). */
function permissionRules(
  direction: "ingress" | "egress",
  p: EC2.IpPermission,
  o: Origin,
  prefixLists: Map<string, EC2.ManagedPrefixList>,
  reads: Pick<AccountReads, "prefixListEntries" | "prefixLists">,
): SecurityGroupRule[] {
  const protocol = normalizeProtocol(p.IpProtocol ?? "all");
  const from = protocol === "all" ? -1 : (p.FromPort ?? -1);
  const to = protocol === "all" ? -1 : (p.ToPort ?? -1);
  const rule = (peer: Value<Peer>, description?: string): SecurityGroupRule => ({
    direction,
    protocol: known(protocol),
    fromPort: known(from),
    toPort: known(to),
    peer,
    ...(description ? { description } : {}),
    origin: o,
  });
  const out: SecurityGroupRule[] = [];
  for (const r of p.IpRanges ?? []) if (r.CidrIp) out.push(rule(known({ kind: "cidr", cidr: r.CidrIp }), r.Description));
  for (const r of p.Ipv6Ranges ?? []) if (r.CidrIpv6) out.push(rule(known({ kind: "cidr6", cidr: r.CidrIpv6 }), r.Description));
  for (const g of p.UserIdGroupPairs ?? [])
    if (g.GroupId) out.push(rule(known({ kind: "security-group", group: known(g.GroupId) }), g.Description));
  for (const pl of p.PrefixListIds ?? []) {
    const id = pl.PrefixListId;
    if (!id) continue;
    for (const peer of prefixListPeers(id, pl.Description, prefixLists, reads.prefixListEntries.get(id), reads.prefixLists))
      out.push(rule(peer.peer, peer.description));
  }
  return out;
}

/**
 * A customer-managed list is a set of CIDRs: one peer per entry. An AWS-managed list names a service. Not
 * described, whether it is a customer list or names a service is not known.
 */
function prefixListPeers(
  id: string,
  description: string | undefined,
  prefixLists: Map<string, EC2.ManagedPrefixList>,
  cidrs: Outcome<string[]> | undefined,
  described: Outcome<EC2.ManagedPrefixList[]> | undefined,
): { peer: Value<Peer>; description: string | undefined }[] {
  if (cidrs?.ok)
    return cidrs.value.map((c) => ({
      peer: known({ kind: c.includes(":") ? "cidr6" : "cidr", cidr: c }),
      description: description ?? `from ${id}`,
    }));
  if (cidrs && !cidrs.ok) return [{ peer: failed(cidrs.failure), description }];
  if (described && !described.ok) return [{ peer: failed(described.failure), description }];
  const name = prefixLists.get(id)?.PrefixListName;
  return [{ peer: known({ kind: "prefix-list", id: known(name ? `${id} (${name})` : id) }), description }];
}
