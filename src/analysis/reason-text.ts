/**
 * The text of a rule, an ACL entry or a route target. Evidence carries these as data; unknown reasons are
 * still written as sentences where they are found, so they quote them through these functions, and the
 * report words the evidence with the same ones: one wording for both.
 */
import type { NetworkAclEntryFacts, PeerFacts, RouteTargetFacts, SecurityGroupRuleFacts, TrafficFacts } from "./evidence.js";
import { formatPortRange } from "./ports.js";

function trafficText(t: TrafficFacts): string {
  if (t.protocol === null) return "unknown protocol";
  if (t.protocol === "all") return "all traffic";
  if (t.ports === undefined) return t.protocol;
  if (t.ports === "unknown") return `${t.protocol} (unknown ports)`;
  if (t.ports === "none") return `${t.protocol} (no ports)`;
  if (t.ports === "all") return `all ${t.protocol}`;
  return `${t.protocol} ${formatPortRange(t.ports)}`;
}

function peerText(p: PeerFacts): string {
  switch (p.kind) {
    case "cidr":
    case "prefix-list":
      return p.value;
    case "group":
      return `sg ${p.value}`;
    case "default-group":
      return `members of the default security group of ${p.vpc}`;
    case "unknown":
      return p.of === "group" ? "sg (unknown)" : p.of === "prefix-list" ? "prefix list (unknown)" : "(unknown)";
  }
}

/** "tcp 443 to 10.0.0.0/16", "all traffic to sg rEndpointSg", "tcp 443 from pl-123". */
export function securityGroupRuleText(rule: SecurityGroupRuleFacts | null): string {
  if (!rule) return "";
  const dir = rule.direction === "egress" ? "to" : "from";
  return `${trafficText(rule.traffic)} ${dir} ${peerText(rule.peer)}${rule.conditional ? " (conditional)" : ""}`;
}

/** "100 allow tcp 443 to 0.0.0.0/0", "200 deny all traffic from 10.0.0.0/8", "* deny all (implicit)". */
export function networkAclEntryText(e: NetworkAclEntryFacts): string {
  if (e.kind === "implicit-deny") return "* deny all (implicit)";
  const num = e.number === null ? "(unknown number)" : String(e.number);
  const action = e.action ?? "(allow or deny)";
  return `${num} ${action} ${trafficText(e.traffic)} ${e.egress ? "to" : "from"} ${peerText(e.peer)}${e.conditional ? " (conditional)" : ""}`;
}

const TARGET_KIND: Record<Exclude<RouteTargetFacts["kind"], "other">, (id: string) => string> = {
  "internet-gateway": (id) => `internet gateway ${id}`,
  "nat-gateway": (id) => `NAT gateway ${id}`,
  "transit-gateway": (id) => `transit gateway ${id}`,
  peering: (id) => `peering connection ${id}`,
  instance: (id) => `instance ${id} (a NAT instance?)`,
  "network-interface": (id) => `network interface ${id}`,
  "virtual-private-gateway": (id) => `virtual private gateway ${id}`,
  "vpc-endpoint": (id) => `VPC endpoint ${id}`,
  "egress-only-internet-gateway": () => "an egress-only internet gateway (IPv6 only)",
  local: () => "the local VPC",
};

/** A route target as a person reads it: "NAT gateway rNat", "transit gateway tgw-1". */
export function routeTargetText(t: RouteTargetFacts): string {
  return t.kind === "other" ? t.description : TARGET_KIND[t.kind](t.id ?? "(not known)");
}
