/**
 * What AWS creates with every VPC and a static source must model when the input does not: the default
 * security group (members talk to each other; all egress), the main route table (local route only) and
 * the default network ACL (allow all, both ways). A static source keys them by the VPC's key; a live
 * source uses the real ids. Also the allow-all egress rule a new security group gets.
 */
import type { Origin } from "../origin.js";
import { defaulted, known, type UnknownReason } from "../value.js";
import type { NetworkAclEntry, Peer, Protocol, Ref, SecurityGroupRule, World } from "../world.js";

/** Every IPv4 address. */
export const ALL_IPV4 = "0.0.0.0/0";

const SUFFIX = { "security-group": "#default-sg", "route-table": "#main-rtb", "network-acl": "#default-acl" } as const;
export type DefaultElement = keyof typeof SUFFIX;

export const defaultSecurityGroupKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["security-group"]}`;
export const mainRouteTableKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["route-table"]}`;
export const defaultNetworkAclKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["network-acl"]}`;

/** The VPC a synthesized default element belongs to, or undefined for any other key. */
export function vpcOfDefaultKey(key: Ref, element: DefaultElement): Ref | undefined {
  return key.endsWith(SUFFIX[element]) ? key.slice(0, -SUFFIX[element].length) : undefined;
}

/** Every protocol on every port, with its defaults' provenance. */
function allTraffic(origin: Origin) {
  return { protocol: defaulted<Protocol>("all"), fromPort: defaulted(0), toPort: defaulted(65535), origin };
}

/** The egress rule AWS gives a security group created without egress rules: all traffic to 0.0.0.0/0. */
export function allowAllEgressRule(origin: Origin): SecurityGroupRule {
  return { direction: "egress", ...allTraffic(origin), peer: defaulted<Peer>({ kind: "cidr", cidr: ALL_IPV4 }) };
}

/** The default security group, main route table and default network ACL AWS creates with a VPC. */
export function synthesizeVpcDefaults(world: World, vpc: Ref, origin: Origin, conditional: UnknownReason | undefined): void {
  const extra = conditional ? { conditional } : {};
  const sgKey = defaultSecurityGroupKey(vpc);
  world.securityGroups.set(sgKey, {
    key: sgKey,
    name: `default security group of ${vpc}`,
    origin,
    ...extra,
    vpc: known(vpc, origin),
    groupName: defaulted("default"),
    ingress: [{ direction: "ingress", ...allTraffic(origin), peer: defaulted<Peer>({ kind: "security-group", group: defaulted(sgKey) }) }],
    egress: [allowAllEgressRule(origin)],
    rulesComplete: known(true),
    egressManagement: { mode: "aws-default", basis: "the default security group AWS creates with the VPC" },
    isDefault: true,
  });
  const rtbKey = mainRouteTableKey(vpc);
  world.routeTables.set(rtbKey, {
    key: rtbKey,
    name: `main route table of ${vpc}`,
    origin,
    ...extra,
    vpc: known(vpc, origin),
    routes: [],
    routesComplete: true,
    isMain: true,
  });
  const aclKey = defaultNetworkAclKey(vpc);
  const entry = (egress: boolean): NetworkAclEntry => ({
    ruleNumber: defaulted(100),
    egress,
    protocol: defaulted("all"),
    action: defaulted("allow"),
    cidr: defaulted({ kind: "ipv4", cidr: ALL_IPV4 }),
    portRange: defaulted(null),
    origin,
  });
  world.networkAcls.set(aclKey, {
    key: aclKey,
    name: `default network ACL of ${vpc}`,
    origin,
    ...extra,
    vpc: known(vpc, origin),
    entries: [entry(false), entry(true)],
    entriesComplete: true,
    isDefault: true,
  });
}
