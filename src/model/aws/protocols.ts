/** IP protocols as AWS writes them in security group rules and network ACL entries. */
import type { Protocol } from "../world.js";

/** Protocol numbers AWS accepts in place of a name; -1 means every protocol. */
const PROTOCOL_NAMES: ReadonlyMap<string, Protocol> = new Map([
  ["-1", "all"],
  ["6", "tcp"],
  ["17", "udp"],
  ["1", "icmp"],
  ["58", "icmpv6"],
]);

/** The model's spelling of a protocol: lower case, -1 → all, 6 → tcp, 17 → udp, 1 → icmp, 58 → icmpv6. */
export function normalizeProtocol(text: string): Protocol {
  const lower = String(text).trim().toLowerCase();
  return PROTOCOL_NAMES.get(lower) ?? lower;
}

/**
 * What a rule's from/to ports mean for a (normalized) protocol: a port range for tcp and udp, the ICMP
 * type and code for icmp and icmpv6, nothing for all traffic and any other protocol.
 */
export function portsMeaning(protocol: Protocol): "port-range" | "icmp-type-code" | "none" {
  if (protocol === "tcp" || protocol === "udp") return "port-range";
  if (protocol === "icmp" || protocol === "icmpv6") return "icmp-type-code";
  return "none";
}
