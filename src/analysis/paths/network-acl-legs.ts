/** The network ACL hops of one HTTPS connection: each end's subnet, both directions (ACLs are stateless). */
import { isKnown, type NetworkAcl, type Subnet, type Value, type World } from "../../model/index.js";
import { evaluateNetworkAcl } from "../network-acls.js";
import { EPHEMERAL, HTTPS, type PortRange } from "../ports.js";
import { undecided } from "../verdict.js";
import { type Hop, type HopId, hop, lookup } from "./hops.js";

/** The network ACL of a subnet. */
function aclOf(world: World, subnet: Subnet): Value<NetworkAcl> {
  return lookup(world.networkAcls, subnet.networkAcl, "network ACL");
}

interface AclLeg {
  id: HopId;
  subnet: Subnet;
  direction: "inbound" | "outbound";
  ports: PortRange;
  peer: Value<string[]>;
  internet?: boolean;
  label: string;
}

/** One direction of one subnet's ACL, as a hop whose subject is the ACL. */
function aclHop(world: World, leg: AclLeg): Hop {
  const acl = aclOf(world, leg.subnet);
  if (!isKnown(acl)) return hop(leg.id, undecided([acl.reason]));
  const check = evaluateNetworkAcl(acl.value, leg.direction, "tcp", leg.ports, leg.peer, { internet: leg.internet, label: leg.label });
  return hop(leg.id, check, acl.value.key);
}

/** Where one end of an HTTPS connection is, for the ACL of the other end's subnet. */
export interface AclPeer {
  ranges: Value<string[]>;
  internet?: boolean;
  label: string;
}

/** The client's subnet sends to 443 and takes the replies on its ephemeral ports (a NAT gateway's: 1024-65535). */
export function clientLegs(
  world: World,
  subnet: Subnet,
  ids: readonly [HopId, HopId],
  server: AclPeer,
  replyPorts: PortRange = EPHEMERAL,
): Hop[] {
  const to = { peer: server.ranges, internet: server.internet, label: server.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "outbound", ports: HTTPS, ...to }),
    aclHop(world, { id: ids[1], subnet, direction: "inbound", ports: replyPorts, ...to }),
  ];
}

/** The server's subnet admits 443 and sends the replies back to the client's ephemeral ports. */
export function serverLegs(world: World, subnet: Subnet, ids: readonly [HopId, HopId], client: AclPeer): Hop[] {
  const from = { peer: client.ranges, internet: client.internet, label: client.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "inbound", ports: HTTPS, ...from }),
    aclHop(world, { id: ids[1], subnet, direction: "outbound", ports: EPHEMERAL, ...from }),
  ];
}

/** Subnets of the same ACL need no check between them? No: ACLs apply when traffic crosses subnets; same subnet skips. */
export function crossesSubnet(a: Subnet, b: Subnet): boolean {
  return a.key !== b.key;
}
