/**
 * Keys of the elements AWS creates with every VPC, when a static source synthesises them: the default
 * security group, the main route table and the default network ACL. Live sources use the real ids.
 */
import type { Ref } from "./world.js";

const SUFFIX = { "security-group": "#default-sg", "route-table": "#main-rtb", "network-acl": "#default-acl" } as const;
export type DefaultElement = keyof typeof SUFFIX;

export const defaultSecurityGroupKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["security-group"]}`;
export const mainRouteTableKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["route-table"]}`;
export const defaultNetworkAclKey = (vpc: Ref): Ref => `${vpc}${SUFFIX["network-acl"]}`;

/** The VPC a synthesised default element belongs to, or undefined for any other key. */
export function vpcOfDefaultKey(key: Ref, element: DefaultElement): Ref | undefined {
  return key.endsWith(SUFFIX[element]) ? key.slice(0, -SUFFIX[element].length) : undefined;
}
