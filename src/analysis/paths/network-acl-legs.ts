/** The network ACL hops of one HTTPS connection: each end's subnet, both directions (ACLs are stateless). */
import { isKnown, type NetworkAcl, type Subnet, type UnknownReason, type Value, type World } from "../../model/index.js";
import { evaluateNetworkAcl } from "../network-acls.js";
import { formatPortRange, HTTPS, type PortRange, type ReplyPorts } from "../ports.js";
import { type Check, type Evidence, undecided } from "../verdict.js";
import { type Hop, type HopId, hop, lookup } from "./hops.js";

/** The network ACL of a subnet. */
function aclOf(world: World, subnet: Subnet): Value<NetworkAcl> {
  return lookup(world.networkAcls, subnet.networkAcl, "network ACL");
}

interface AclLeg {
  id: HopId;
  subnet: Subnet;
  direction: "inbound" | "outbound";
  /** 443, or the ports the client takes replies on. */
  ports: PortRange | ReplyPorts;
  peer: Value<string[]>;
  internet?: boolean;
  label: string;
}

/** One direction of one subnet's ACL, as a hop whose subject is the ACL. */
function aclHop(world: World, leg: AclLeg): Hop {
  const acl = aclOf(world, leg.subnet);
  if (!isKnown(acl)) return hop(leg.id, undecided([acl.reason]));
  const options = { internet: leg.internet, label: leg.label };
  const ask = (ports: PortRange) => evaluateNetworkAcl(acl.value, leg.direction, "tcp", ports, leg.peer, options);
  const check = "all" in leg.ports ? replyCheck(acl.value, leg.direction, leg.ports, ask) : ask(leg.ports);
  return hop(leg.id, check, acl.value.key);
}

/**
 * The replies to a client: the ACL asked for all its reply ports, then, when it does not admit them all, for each
 * operating system the client may run. The answer of the whole range stands when every system gets it.
 */
function replyCheck(acl: NetworkAcl, direction: "inbound" | "outbound", ports: ReplyPorts, ask: (ports: PortRange) => Check): Check {
  const whole = ask(ports.all);
  if (whole.verdict === "pass" || ports.byOs.length === 0) return whole;
  const answers = ports.byOs.map((os) => ({ os, check: ask(os.range) }));
  if (answers.every((a) => a.check.verdict === whole.verdict)) return whole;
  if (answers.length === 1) return answers[0]!.check;
  // The systems' answers differ: which system the instance runs decides.
  const said = { pass: "allowed", fail: "denied", unknown: "not known" } as const;
  const split: UnknownReason = {
    code: "outside",
    message: `${acl.name}: ${direction} replies on the ephemeral ports of ${answers
      .map((a) => `${a.os.os} (${formatPortRange(a.os.range)}) ${said[a.check.verdict]}`)
      .join(", of ")}; the instance's operating system decides`,
    decide: `name the image so that its operating system is known (an AWS public image parameter or an AMI name filter), or allow ${direction} ${formatPortRange(ports.all)}`,
  };
  const reasons = [split, ...answers.flatMap((a) => (a.check.verdict === "unknown" ? (a.check.unknowns ?? []) : []))];
  const evidence: Evidence[] = answers.flatMap((a) => (a.check.verdict === "pass" ? [] : a.check.evidence));
  return undecided(reasons, evidence);
}

/** Where one end of an HTTPS connection is, for the ACL of the other end's subnet. */
export interface AclPeer {
  ranges: Value<string[]>;
  internet?: boolean;
  label: string;
}

/** The client's subnet sends to 443 and takes the replies on its reply ports (an instance's, or a NAT gateway's). */
export function clientLegs(world: World, subnet: Subnet, ids: readonly [HopId, HopId], server: AclPeer, replyPorts: ReplyPorts): Hop[] {
  const to = { peer: server.ranges, internet: server.internet, label: server.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "outbound", ports: HTTPS, ...to }),
    aclHop(world, { id: ids[1], subnet, direction: "inbound", ports: replyPorts, ...to }),
  ];
}

/** The server's subnet admits 443 and sends the replies back to the client's reply ports. */
export function serverLegs(world: World, subnet: Subnet, ids: readonly [HopId, HopId], client: AclPeer, replyPorts: ReplyPorts): Hop[] {
  const from = { peer: client.ranges, internet: client.internet, label: client.label };
  return [
    aclHop(world, { id: ids[0], subnet, direction: "inbound", ports: HTTPS, ...from }),
    aclHop(world, { id: ids[1], subnet, direction: "outbound", ports: replyPorts, ...from }),
  ];
}

/** Subnets of the same ACL need no check between them? No: ACLs apply when traffic crosses subnets; same subnet skips. */
export function crossesSubnet(a: Subnet, b: Subnet): boolean {
  return a.key !== b.key;
}
