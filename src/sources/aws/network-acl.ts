/** The network ACLs of the instances' VPCs, their entries without the final catch-all deny. */
import type * as EC2 from "@aws-sdk/client-ec2";
import { known, type NetworkAcl, type NetworkAclEntry, normalizeProtocol, type Origin, type World } from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { type LiveScope, named } from "./values.js";

/** The "*" rule every ACL ends with (deny everything): the analysis evaluates it as the implicit final deny. */
const CATCH_ALL_RULE = 32767;

export function buildNetworkAcls(world: World, reads: AccountReads, { origin, ec2Arn }: LiveScope): void {
  for (const a of reads.networkAcls.ok ? reads.networkAcls.value : []) {
    const id = a.NetworkAclId!;
    const o = origin(id, ec2Arn("network-acl", id));
    const acl: NetworkAcl = {
      key: id,
      name: named(id, a.Tags),
      origin: o,
      vpc: known(a.VpcId!),
      entries: (a.Entries ?? []).filter((e) => e.RuleNumber !== CATCH_ALL_RULE).map((e) => aclEntry(e, o)),
      entriesComplete: true,
      isDefault: Boolean(a.IsDefault),
    };
    world.networkAcls.set(id, acl);
  }
}

function aclEntry(e: EC2.NetworkAclEntry, o: Origin): NetworkAclEntry {
  const protocol = normalizeProtocol(e.Protocol ?? "all");
  const cidr = e.CidrBlock ? { kind: "ipv4" as const, cidr: e.CidrBlock } : { kind: "ipv6" as const, cidr: e.Ipv6CidrBlock ?? "::/0" };
  const ports =
    (protocol === "tcp" || protocol === "udp") && e.PortRange ? { from: e.PortRange.From ?? 0, to: e.PortRange.To ?? 65535 } : null;
  return {
    ruleNumber: known(e.RuleNumber ?? 0),
    egress: Boolean(e.Egress),
    protocol: known(protocol),
    action: known(e.RuleAction === "deny" ? ("deny" as const) : ("allow" as const)),
    cidr: known(cidr),
    portRange: known(ports),
    origin: o,
  };
}
