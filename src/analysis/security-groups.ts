/**
 * Security group evaluation: allow-only rules, the union over every group attached to one side.
 *
 * Traffic is a set of (peer address, port) pairs: every port of the asked range is needed (the OS or the
 * service may use any of them), while the peer is somewhere in its ranges (which address is not known).
 * So, per port: "allowed" when some certain rule covers every address of the peer, "denied" when no rule
 * could cover any address of it, otherwise undecided. The check fails when some port is denied, passes
 * when every port is allowed, and is unknown otherwise.
 */
import {
  normalizeProtocol,
  type Peer,
  type Ref,
  type SecurityGroup,
  type SecurityGroupRule,
  type UnknownReason,
  type Value,
  type ValueList,
  vpcOfDefaultKey,
  type World,
} from "../model/index.js";
import {
  type AddressInterval,
  type AddressSpace,
  addressSpace,
  type CidrEffect,
  cidrEffect,
  formatIpv4Cidr,
  intervalsCover,
  parseIpv4Cidr,
} from "./cidr.js";
import type { PeerFacts, SecurityGroupRuleFacts, TrafficFacts } from "./evidence.js";
import { ALL_PORTS, formatPortRange, formatPortRanges, intersectRange, type PortRange, rangeContains, splitAtEdges } from "./ports.js";
import { securityGroupRuleText } from "./reason-text.js";
import { type Check, dedupeReasons, type Evidence, fail, pass, undecided, type YesMaybeNo } from "./verdict.js";

/** The other side of the connection, as far as it is known. */
export interface TrafficPeer {
  /** Address ranges the peer's IPs lie in (endpoint ENIs → their subnets' CIDRs; an instance → its private IP /32 or its subnet CIDRs). unknown when not known. */
  ranges: Value<string[]>;
  /** Security groups attached to the peer (endpoint SGs; instance SGs). Used for SG-reference rules. */
  groups: ValueList<Ref>;
  /**
   * True when the peer is a public AWS service address reached through NAT/IGW ("the internet"). ranges
   * are then ignored: only 0.0.0.0/0 matches for certain; any other public CIDR or a prefix list =
   * unknown; a private CIDR or an SG reference does not match.
   */
  internet?: boolean;
  /** Name for evidence: "the ssm endpoint's network interfaces", "the internet (through nat-1)". */
  label: string;
}

/** Whether a rule/entry protocol carries the asked protocol. */
export function protocolMatches(ruleProtocol: Value<string>, asked: string): YesMaybeNo {
  if (ruleProtocol.kind === "unknown") return "maybe";
  const p = normalizeProtocol(ruleProtocol.value);
  return p === "all" || p === normalizeProtocol(asked) ? "yes" : "no";
}

// ---------------------------------------------------------------- descriptions

function trafficFacts(protocol: Value<string>, from: Value<number>, to: Value<number>): TrafficFacts {
  if (protocol.kind === "unknown") return { protocol: null };
  const p = normalizeProtocol(protocol.value);
  if (p !== "tcp" && p !== "udp") return { protocol: p };
  if (from.kind === "unknown" || to.kind === "unknown") return { protocol: p, ports: "unknown" };
  const r = rulePorts(from.value, to.value);
  if (!r) return { protocol: p, ports: "none" };
  return { protocol: p, ports: rangeContains(r, ALL_PORTS) ? "all" : r };
}

function peerFacts(peer: Value<Peer>): PeerFacts {
  if (peer.kind === "unknown") return { kind: "unknown" };
  const p = peer.value;
  switch (p.kind) {
    case "cidr":
    case "cidr6":
      return { kind: "cidr", value: p.cidr };
    case "security-group": {
      if (p.group.kind !== "known") return { kind: "unknown", of: "group" };
      // A synthesized default group: say what it is.
      const vpc = vpcOfDefaultKey(p.group.value, "security-group");
      return vpc ? { kind: "default-group", vpc } : { kind: "group", value: p.group.value };
    }
    case "prefix-list":
      return p.id.kind === "known" ? { kind: "prefix-list", value: p.id.value } : { kind: "unknown", of: "prefix-list" };
  }
}

/** A rule as evidence names it: its traffic, direction and peer. */
export function ruleFacts(rule: SecurityGroupRule): SecurityGroupRuleFacts {
  return {
    direction: rule.direction,
    traffic: trafficFacts(rule.protocol, rule.fromPort, rule.toPort),
    peer: peerFacts(rule.peer),
    conditional: Boolean(rule.conditional),
  };
}

/** Port numbers of a tcp/udp rule; -1/-1 = all; out-of-range ends clamped; undefined when from > to. */
function rulePorts(from: number, to: number): PortRange | undefined {
  if (from === -1 && to === -1) return { ...ALL_PORTS };
  const r = { from: Math.max(0, from), to: to < 0 ? 65535 : Math.min(65535, to) };
  return r.from <= r.to ? r : undefined;
}

// ---------------------------------------------------------------- evaluation

/** What a rule (or an unknown group) may allow: on these ports, to these of the peer's addresses. */
interface Grant {
  group?: SecurityGroup;
  rule?: SecurityGroupRule;
  ports: PortRange;
  /** "all" = every address of the peer; "some" = part of it; "unknown" = maybe some or all. */
  addresses: { kind: "all" } | { kind: "some"; intervals: AddressInterval[] } | { kind: "unknown" };
  /** True when every part of the rule is known to match (then addresses is "all" or "some"). */
  certain: boolean;
  reasons: UnknownReason[];
}

function sgReferenceMatches(ref: Value<Ref>, peerGroups: ValueList<Ref>): { answer: YesMaybeNo; reason?: UnknownReason } {
  if (peerGroups.kind === "unknown") return { answer: "maybe", reason: peerGroups.reason };
  if (peerGroups.value.length === 0) return { answer: "no" };
  if (ref.kind === "unknown") return { answer: "maybe", reason: ref.reason };
  if (peerGroups.value.some((g) => g.kind === "known" && g.value === ref.value)) return { answer: "yes" };
  const unknownGroup = peerGroups.value.find((g) => g.kind === "unknown");
  if (unknownGroup && unknownGroup.kind === "unknown") return { answer: "maybe", reason: unknownGroup.reason };
  return { answer: "no" };
}

function peerEffect(peerValue: Value<Peer>, space: AddressSpace, peer: TrafficPeer): CidrEffect {
  if (peerValue.kind === "unknown") return { kind: "unknown", reason: peerValue.reason };
  const p = peerValue.value;
  switch (p.kind) {
    case "cidr6":
      return { kind: "none" }; // the agent's traffic is IPv4
    case "cidr": {
      const c = parseIpv4Cidr(p.cidr);
      if (!c) return { kind: "unknown", reason: { code: "unsupported", message: `"${p.cidr}" is not an IPv4 CIDR` } };
      return cidrEffect(c, space);
    }
    case "security-group": {
      if (peer.internet) return { kind: "none" };
      const m = sgReferenceMatches(p.group, peer.groups);
      if (m.answer === "yes") return { kind: "all" };
      if (m.answer === "no") return { kind: "none" };
      return { kind: "unknown", reason: m.reason ?? { code: "unresolved", message: "the referenced security group is not known" } };
    }
    case "prefix-list": {
      const id = p.id.kind === "known" ? p.id.value : "(unknown)";
      return {
        kind: "unknown",
        reason: {
          code: "unsupported",
          message: `the contents of prefix list ${id} are not known`,
          decide: peer.internet ? "allow 0.0.0.0/0 on port 443" : `allow ${peer.label} by CIDR or security group`,
        },
      };
    }
  }
}

function ruleGrant(
  group: SecurityGroup,
  rule: SecurityGroupRule,
  space: AddressSpace,
  peer: TrafficPeer,
  protocol: string,
): Grant | undefined {
  const reasons: UnknownReason[] = [];
  const proto = protocolMatches(rule.protocol, protocol);
  if (proto === "no") return undefined;
  let certain = true;
  let ports: PortRange = { ...ALL_PORTS };
  if (proto === "maybe") {
    certain = false;
    if (rule.protocol.kind === "unknown") reasons.push(rule.protocol.reason);
  } else if (rule.protocol.kind === "known" && normalizeProtocol(rule.protocol.value) !== "all") {
    if (rule.fromPort.kind === "unknown" || rule.toPort.kind === "unknown") {
      certain = false;
      if (rule.fromPort.kind === "unknown") reasons.push(rule.fromPort.reason);
      if (rule.toPort.kind === "unknown") reasons.push(rule.toPort.reason);
    } else {
      const r = rulePorts(rule.fromPort.value, rule.toPort.value);
      if (!r) return undefined;
      ports = r;
    }
  }
  const effect = peerEffect(rule.peer, space, peer);
  if (effect.kind === "none") return undefined;
  if (effect.kind === "unknown") {
    certain = false;
    reasons.push(effect.reason);
  }
  if (rule.conditional) {
    certain = false;
    reasons.push(rule.conditional);
  }
  if (group.conditional) {
    certain = false;
    reasons.push(group.conditional);
  }
  const addresses: Grant["addresses"] = effect.kind === "unknown" ? { kind: "unknown" } : effect;
  return { group, rule, ports, addresses, certain, reasons };
}

/**
 * A group's rules of one direction, with those that name a known security group as their peer indexed by that
 * group: a group that lets in each of thousands of instances' own groups by a rule apiece is met once per
 * instance, and each instance's groups pick their rules out of it without the others being looked at.
 */
interface RuleIndex {
  /** Positions of the rules whose peer is this known group. */
  byGroup: Map<Ref, number[]>;
  /** Every other rule, in order. */
  other: SecurityGroupRule[];
  /** Their positions. */
  otherAt: number[];
}

/** Below this many rules, every rule is looked at. */
const INDEXED_RULES = 32;

const ruleIndexes = new WeakMap<readonly SecurityGroupRule[], RuleIndex>();

function ruleIndex(rules: readonly SecurityGroupRule[]): RuleIndex {
  let index = ruleIndexes.get(rules);
  if (!index) {
    index = { byGroup: new Map(), other: [], otherAt: [] };
    for (let i = 0; i < rules.length; i++) {
      const peer = rules[i]!.peer;
      if (peer.kind === "known" && peer.value.kind === "security-group" && peer.value.group.kind === "known") {
        const at = index.byGroup.get(peer.value.group.value);
        if (at) at.push(i);
        else index.byGroup.set(peer.value.group.value, [i]);
      } else {
        index.other.push(rules[i]!);
        index.otherAt.push(i);
      }
    }
    ruleIndexes.set(rules, index);
  }
  return index;
}

/**
 * The rules that may allow something to the peer, in their order. A rule whose peer is a known group allows
 * nothing to the internet, nor to a peer whose groups are all known and do not include it (see peerEffect):
 * such rules are left out. When the peer's groups are not all known, every rule may apply.
 */
function rulesFor(rules: readonly SecurityGroupRule[], peer: TrafficPeer): readonly SecurityGroupRule[] {
  if (rules.length < INDEXED_RULES) return rules;
  let groups: readonly Value<Ref>[];
  if (peer.internet) groups = [];
  else if (peer.groups.kind === "known" && peer.groups.value.every((g) => g.kind === "known")) groups = peer.groups.value;
  else return rules;
  const index = ruleIndex(rules);
  if (index.byGroup.size === 0) return rules;
  const named: number[] = [];
  for (const g of groups) if (g.kind === "known") named.push(...(index.byGroup.get(g.value) ?? []));
  if (named.length === 0) return index.other;
  named.sort((a, b) => a - b);
  // The other rules and the peer's, merged back into the group's order (a position is in one list only).
  const out: SecurityGroupRule[] = [];
  let o = 0;
  let previous = -1;
  for (const at of named) {
    if (at === previous) continue;
    previous = at;
    while (o < index.otherAt.length && index.otherAt[o]! < at) out.push(index.other[o++]!);
    out.push(rules[at]!);
  }
  while (o < index.other.length) out.push(index.other[o++]!);
  return out;
}

function spaceLabel(space: AddressSpace, peer: TrafficPeer): string {
  return space.kind === "ranges" ? `${peer.label} (${space.cidrs.map(formatIpv4Cidr).join(", ")})` : peer.label;
}

export function evaluateSecurityGroups(
  world: World,
  groups: ValueList<Ref>,
  direction: "egress" | "ingress",
  peer: TrafficPeer,
  protocol: "tcp",
  ports: PortRange,
): Check {
  if (groups.kind === "unknown") return undecided([groups.reason]);
  if (groups.value.length === 0) {
    return fail([{ code: "sg-no-groups", args: { peer: peer.label, direction, ports: formatPortRange(ports) } }]);
  }
  const space = addressSpace(peer.ranges, peer.internet === true, peer.label);
  const grants: Grant[] = [];
  const present: SecurityGroup[] = [];
  for (const g of groups.value) {
    if (g.kind === "unknown") {
      grants.push({ ports: { ...ALL_PORTS }, addresses: { kind: "unknown" }, certain: false, reasons: [g.reason] });
      continue;
    }
    const group = world.securityGroups.get(g.value);
    if (!group) {
      const reason: UnknownReason = { code: "outside", message: `security group ${g.value} is not in the input` };
      grants.push({ ports: { ...ALL_PORTS }, addresses: { kind: "unknown" }, certain: false, reasons: [reason] });
      continue;
    }
    if (present.includes(group)) continue;
    present.push(group);
    for (const rule of rulesFor(group[direction], peer)) {
      const grant = ruleGrant(group, rule, space, peer, protocol);
      if (grant) grants.push(grant);
    }
    if (group.rulesComplete.kind !== "known" || group.rulesComplete.value !== true) {
      const reason: UnknownReason =
        group.rulesComplete.kind === "unknown"
          ? group.rulesComplete.reason
          : { code: "outside", message: `${group.name} may have ${direction} rules that are not in the input` };
      grants.push({ group, ports: { ...ALL_PORTS }, addresses: { kind: "unknown" }, certain: false, reasons: [reason] });
    }
  }

  const relevant = grants.filter((g) => intersectRange(g.ports, ports));
  const segments = splitAtEdges(
    ports,
    relevant.map((g) => g.ports),
  );
  const denied: PortRange[] = [];
  const allowedBy = new Set<Grant>();
  const reasons: UnknownReason[] = [];
  const evidence: Evidence[] = [];
  const partial = new Set<Grant>();
  let undecidedAny = false;
  for (const seg of segments) {
    const here = relevant.filter((g) => rangeContains(g.ports, seg));
    if (here.length === 0) {
      denied.push(seg);
      continue;
    }
    const sure = here.filter((g) => g.certain);
    const whole = sure.find((g) => g.addresses.kind === "all");
    if (whole) {
      allowedBy.add(whole);
      continue;
    }
    const someIntervals = sure.flatMap((g) => (g.addresses.kind === "some" ? g.addresses.intervals : []));
    if (space.kind === "ranges" && sure.length > 0 && intervalsCover(someIntervals, space.intervals)) {
      for (const g of sure) allowedBy.add(g);
      continue;
    }
    undecidedAny = true;
    for (const g of here) {
      if (g.certain) partial.add(g);
      else reasons.push(...g.reasons);
    }
  }

  const label = spaceLabel(space, peer);
  if (denied.length > 0) {
    return fail(
      present.map((group) => ({
        code: "sg-no-match",
        args: {
          group: group.name,
          rules: group[direction].map(ruleFacts),
          peer: peer.label,
          direction,
          ports: formatPortRanges(denied),
        },
        origin: group.origin,
      })),
    );
  }
  if (!undecidedAny) {
    return pass(
      [...allowedBy].map((g) => ({
        code: "sg-allows",
        args: { group: g.group?.name ?? "", rule: g.rule ? ruleFacts(g.rule) : null },
        ...(g.rule ? { origin: g.rule.origin } : {}),
      })),
    );
  }
  for (const g of partial) {
    const rule = g.rule ? ruleFacts(g.rule) : null;
    evidence.push({
      code: "sg-partial",
      args: { group: g.group?.name ?? "", rule, peer: label },
      ...(g.rule ? { origin: g.rule.origin } : {}),
    });
    reasons.push({
      code: "computed",
      message: `${g.group?.name ?? "a security group"} allows ${securityGroupRuleText(rule)}, which covers only part of ${label}`,
      decide: `allow the whole of ${label}, or the peer's security group`,
    });
  }
  if (reasons.length === 0) reasons.push({ code: "unresolved", message: `cannot tell whether the security groups allow ${label}` });
  return undecided(dedupeReasons(reasons), evidence);
}
