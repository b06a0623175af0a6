/** The VPCs of the selected instances, and the DHCP options sets they name. */
import type * as EC2 from "@aws-sdk/client-ec2";
import {
  type DhcpOptions,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  known,
  mainRouteTableKey,
  unknown,
  type Vpc,
  type World,
} from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope, named, outcomeValue } from "./values.js";

/** The VPCs of the instances and every VPC that was read, in that order. */
function vpcIdsOf(reads: AccountReads): Set<string> {
  return new Set<string>([
    ...reads.instances.map((i) => i.VpcId).filter((x): x is string => Boolean(x)),
    ...(reads.vpcs.ok ? reads.vpcs.value.map((v) => v.VpcId!) : []),
  ]);
}

export function buildVpcs(world: World, reads: AccountReads, scope: LiveScope): void {
  const vpcById = new Map((reads.vpcs.ok ? reads.vpcs.value : []).map((v) => [v.VpcId!, v]));
  const dhcpById = new Map((reads.dhcpOptions?.ok ? reads.dhcpOptions.value : []).map((d) => [d.DhcpOptionsId!, d]));
  for (const vpcId of vpcIdsOf(reads)) {
    const v = vpcById.get(vpcId);
    world.vpcs.set(vpcId, buildVpc(vpcId, v, reads, scope));
    const dhcpId = v?.DhcpOptionsId;
    if (dhcpId && dhcpId !== "default" && !world.dhcpOptions.has(dhcpId))
      world.dhcpOptions.set(dhcpId, buildDhcpOptions(dhcpId, dhcpById.get(dhcpId), reads, scope));
  }
}

function buildVpc(vpcId: string, v: EC2.Vpc | undefined, reads: AccountReads, { origin, ec2Arn }: LiveScope): Vpc {
  const attributes = reads.vpcAttributes.get(vpcId);
  const routeTables = reads.routeTables.ok ? reads.routeTables.value : [];
  const acls = reads.networkAcls.ok ? reads.networkAcls.value : [];
  const groups = reads.securityGroups.ok ? reads.securityGroups.value : [];
  const main = routeTables.find((rt) => rt.VpcId === vpcId && rt.Associations?.some((a) => a.Main));
  const defaultAcl = acls.find((a) => a.VpcId === vpcId && a.IsDefault);
  const defaultSg = groups.find((g) => g.VpcId === vpcId && g.GroupName === "default");
  return {
    key: vpcId,
    name: named(vpcId, v?.Tags),
    origin: origin(vpcId, ec2Arn("vpc", vpcId)),
    cidrBlocks: reads.vpcs.ok
      ? known(
          (v?.CidrBlockAssociationSet ?? [])
            .filter((c) => c.CidrBlockState?.State === "associated" && c.CidrBlock)
            .map((c) => c.CidrBlock!)
            .concat(v?.CidrBlockAssociationSet?.length ? [] : v?.CidrBlock ? [v.CidrBlock] : []),
        )
      : failed(reads.vpcs.failure),
    enableDnsSupport: attributes ? outcomeValue(attributes.support, (b) => b, known(true)) : unknown("outside", "not read"),
    enableDnsHostnames: attributes ? outcomeValue(attributes.hostnames, (b) => b, known(false)) : unknown("outside", "not read"),
    dhcpOptions: !reads.vpcs.ok
      ? failed(reads.vpcs.failure)
      : !v?.DhcpOptionsId || v.DhcpOptionsId === "default"
        ? known(null)
        : known(v.DhcpOptionsId),
    defaultSecurityGroup: defaultSg?.GroupId ?? defaultSecurityGroupKey(vpcId),
    mainRouteTable: main?.RouteTableId ?? mainRouteTableKey(vpcId),
    defaultNetworkAcl: defaultAcl?.NetworkAclId ?? defaultNetworkAclKey(vpcId),
  };
}

function buildDhcpOptions(id: string, d: EC2.DhcpOptions | undefined, reads: AccountReads, { origin, ec2Arn }: LiveScope): DhcpOptions {
  const servers = d?.DhcpConfigurations?.find((c) => c.Key === "domain-name-servers")?.Values?.map((x) => x.Value ?? "") ?? [
    "AmazonProvidedDNS",
  ];
  return {
    key: id,
    name: named(id, d?.Tags),
    origin: origin(id, ec2Arn("dhcp-options", id)),
    domainNameServers:
      reads.dhcpOptions && !reads.dhcpOptions.ok
        ? failed(reads.dhcpOptions.failure)
        : d
          ? known(servers)
          : // The VPC names a set the read did not return: a shared VPC's participant does not see its owner's.
            unknown(
              "outside",
              `the DHCP options ${id} of the VPC were not returned by ec2:DescribeDhcpOptions (another account's, as in a shared VPC?)`,
              "ask the VPC's owner which DNS servers the set names",
            ),
  };
}

/** Exclusion states in force; those in progress may or may not be by the time a session starts. */
const EXCLUSION_IN_FORCE = new Set(["create-complete", "update-complete"]);
const EXCLUSION_CHANGING = new Set(["create-in-progress", "update-in-progress", "disable-in-progress", "delete-in-progress"]);

/**
 * VPC Block Public Access: the region's setting and the exclusions in force (or changing); nothing when the VPCs read
 * say it is off. Unread, the setting is not known.
 */
export function buildBlockPublicAccess(world: World, reads: AccountReads, { origin, region }: LiveScope): void {
  if (!reads.blockPublicAccess) return;
  const { options, exclusions } = reads.blockPublicAccess;
  const key = `vpc-block-public-access/${region}`;
  const name = `the region ${region}`;
  const mode = !options.ok
    ? failed(options.failure)
    : options.value?.State === "update-in-progress"
      ? unknown(
          "outside",
          `${name} is being changed to ${options.value.InternetGatewayBlockMode ?? "off"}`,
          "check again once it is updated",
        )
      : known(options.value?.InternetGatewayBlockMode ?? "off");
  world.blockPublicAccess.set(key, {
    key,
    name,
    origin: origin(key),
    mode,
    ...(options.ok && options.value?.ExclusionsAllowed === "not-allowed" ? { exclusionsAllowed: false } : {}),
  });
  if (!exclusions) return;
  if (!exclusions.ok) {
    // Unread exclusions may name any VPC or subnet.
    const stand = `${key}#exclusions`;
    world.blockPublicAccessExclusions.set(stand, {
      key: stand,
      name: `the exclusions of ${name}`,
      origin: origin(stand),
      scope: failed(exclusions.failure),
      mode: failed(exclusions.failure),
    });
    return;
  }
  for (const e of exclusions.value) {
    const state = e.State ?? "";
    if (!EXCLUSION_IN_FORCE.has(state) && !EXCLUSION_CHANGING.has(state)) continue;
    const id = e.ExclusionId ?? "";
    const target = /:(vpc|subnet)\/((?:vpc|subnet)-[0-9a-f]+)$/.exec(e.ResourceArn ?? "")?.[2];
    world.blockPublicAccessExclusions.set(id, {
      key: id,
      name: `${id} (${target ?? e.ResourceArn ?? "?"})`,
      origin: origin(id, e.ResourceArn),
      scope: target ? known(target) : unknown("unsupported", `${id} names ${e.ResourceArn ?? "no resource"}, not a VPC or subnet`),
      mode: known(e.InternetGatewayExclusionMode ?? ""),
      ...(EXCLUSION_CHANGING.has(state) ? { conditional: { code: "outside" as const, message: `${id} is ${state}` } } : {}),
    });
  }
}
