/**
 * What AWS creates with every VPC and the sources must model when the input does not: the default
 * security group (members talk to each other; all egress), the main route table (local route only) and
 * the default network ACL (allow all, both ways). Keys are derived from the VPC's key.
 */
import {
  defaulted,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  known,
  mainRouteTableKey,
  type NetworkAclEntry,
  type Origin,
  type Peer,
  type Protocol,
  type Ref,
  type UnknownReason,
  type World,
} from "../../model/index.js";

const ALL_IPV4 = "0.0.0.0/0";

export { defaultNetworkAclKey, defaultSecurityGroupKey, mainRouteTableKey };

/** The default security group, main route table and default network ACL AWS creates with a VPC . */
export function synthesiseVpcDefaults(world: World, vpc: Ref, origin: Origin, conditional: UnknownReason | undefined): void {
  const extra = conditional ? { conditional } : {};
  const sgKey = defaultSecurityGroupKey(vpc);
  const allTraffic = { protocol: defaulted<Protocol>("all"), fromPort: defaulted(0), toPort: defaulted(65535), origin };
  world.securityGroups.set(sgKey, {
    key: sgKey,
    name: `default security group of ${vpc}`,
    origin,
    ...extra,
    vpc: known(vpc, origin),
    groupName: defaulted("default"),
    ingress: [{ direction: "ingress", ...allTraffic, peer: defaulted<Peer>({ kind: "security-group", group: defaulted(sgKey) }) }],
    egress: [{ direction: "egress", ...allTraffic, peer: defaulted<Peer>({ kind: "cidr", cidr: ALL_IPV4 }) }],
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
