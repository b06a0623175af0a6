/**
 * Network ACL evaluation: stateless, entries in ascending rule number, first match wins, implicit
 * final deny (*).
 *
 * The port space and the peer's address space are cut into pieces at every entry's edges, so that in a
 * piece each entry matches everywhere or nowhere; each (address piece, port piece) is then walked once.
 * Every asked port is needed; the peer is somewhere in its ranges. Per port: allowed when every address
 * of the peer is allowed, denied when every address is denied, otherwise undecided. The check fails when
 * some port is denied, passes when every port is allowed, and is unknown otherwise.
 */
import { type NetworkAcl, type NetworkAclEntry, normalizeProtocol, type UnknownReason, type Value } from "../model/index.js";
import {
  type AddressInterval,
  type AddressSpace,
  addressSpace,
  cidrEffect,
  cidrInterval,
  formatIpv4Cidr,
  type Ipv4Cidr,
  parseIpv4Cidr,
} from "./cidr.js";
import type { NetworkAclEntryFacts, TrafficFacts } from "./evidence.js";
import { ALL_PORTS, formatPortRanges, type PortRange, rangeContains, splitAtEdges } from "./ports.js";
import { networkAclEntryText } from "./reason-text.js";
import { protocolMatches } from "./security-groups.js";
import { type Check, type Evidence, fail, pass, undecided, type YesMaybeNo } from "./verdict.js";

/** An entry as evidence names it: its number, action, traffic and peer. */
export function naclEntryFacts(e: NetworkAclEntry): NetworkAclEntryFacts {
  let traffic: TrafficFacts;
  if (e.protocol.kind === "unknown") traffic = { protocol: null };
  else {
    const p = normalizeProtocol(e.protocol.value);
    if (p === "all") traffic = { protocol: p };
    else if (e.portRange.kind === "unknown") traffic = { protocol: p, ports: "unknown" };
    else if (e.portRange.value === null || rangeContains(e.portRange.value, ALL_PORTS))
      traffic = p === "tcp" || p === "udp" ? { protocol: p, ports: "all" } : { protocol: p };
    else traffic = { protocol: p, ports: e.portRange.value };
  }
  return {
    kind: "entry",
    number: e.ruleNumber.kind === "known" ? e.ruleNumber.value : null,
    action: e.action.kind === "known" ? e.action.value : null,
    egress: e.egress,
    traffic,
    peer: e.cidr.kind === "known" ? { kind: "cidr", value: e.cidr.value.cidr } : { kind: "unknown" },
    conditional: Boolean(e.conditional),
  };
}

const IMPLICIT_DENY: NetworkAclEntryFacts = { kind: "implicit-deny" };

interface PreparedEntry {
  entry: NetworkAclEntry;
  /** undefined when the rule number is not known: the entry may stand anywhere. */
  order: number | undefined;
  /** Ports it matches for certain (when `portsCertain`), or may match. */
  ports: PortRange;
  portsCertain: boolean;
  protocolCertain: boolean;
  cidr: Ipv4Cidr | undefined; // undefined = not known
  action: "allow" | "deny" | undefined;
  reasons: UnknownReason[];
}

function prepare(e: NetworkAclEntry, protocol: string): PreparedEntry | undefined {
  const reasons: UnknownReason[] = [];
  const proto = protocolMatches(e.protocol, protocol);
  if (proto === "no") return undefined;
  if (e.protocol.kind === "unknown") reasons.push(e.protocol.reason);
  let ports: PortRange = { ...ALL_PORTS };
  let portsCertain = true;
  if (proto === "maybe") portsCertain = false;
  else if (e.protocol.kind === "known" && normalizeProtocol(e.protocol.value) !== "all") {
    if (e.portRange.kind === "unknown") {
      portsCertain = false;
      reasons.push(e.portRange.reason);
    } else if (e.portRange.value !== null) {
      const from = Math.max(0, e.portRange.value.from);
      const to = Math.min(65535, e.portRange.value.to);
      if (from > to) return undefined;
      ports = { from, to };
    }
  }
  let cidr: Ipv4Cidr | undefined;
  if (e.cidr.kind === "unknown") reasons.push(e.cidr.reason);
  else {
    if (e.cidr.value.kind === "ipv6") return undefined; // IPv4 traffic
    cidr = parseIpv4Cidr(e.cidr.value.cidr);
    if (!cidr) reasons.push({ code: "unsupported", message: `"${e.cidr.value.cidr}" is not an IPv4 CIDR` });
  }
  if (e.ruleNumber.kind === "unknown") reasons.push(e.ruleNumber.reason);
  if (e.action.kind === "unknown") reasons.push(e.action.reason);
  if (e.conditional) reasons.push(e.conditional);
  return {
    entry: e,
    order: e.ruleNumber.kind === "known" ? e.ruleNumber.value : undefined,
    ports,
    portsCertain,
    protocolCertain: proto === "yes",
    cidr,
    action: e.action.kind === "known" ? e.action.value : undefined,
    reasons,
  };
}

/** One piece of the peer's addresses: an interval of known ranges, or the whole peer when its ranges are not known / it is the internet. */
type PeerPiece = { kind: "interval"; interval: AddressInterval } | { kind: "whole" };

function addressMatch(p: PreparedEntry, piece: PeerPiece, space: AddressSpace): { answer: YesMaybeNo; reason?: UnknownReason } {
  if (!p.cidr) return { answer: "maybe" };
  if (piece.kind === "interval") {
    const c = cidrInterval(p.cidr);
    return { answer: c.first <= piece.interval.first && piece.interval.last <= c.last ? "yes" : "no" };
  }
  const effect = cidrEffect(p.cidr, space);
  if (effect.kind === "all") return { answer: "yes" };
  if (effect.kind === "none") return { answer: "no" };
  return { answer: "maybe", ...(effect.kind === "unknown" ? { reason: effect.reason } : {}) };
}

interface PieceOutcome {
  allow: boolean;
  deny: boolean;
  /** The entry that decided, when the outcome is certain; "implicit" for the final deny. */
  decider?: PreparedEntry | "implicit";
  reasons: UnknownReason[];
}

function walk(sorted: PreparedEntry[], floating: PreparedEntry[], piece: PeerPiece, seg: PortRange, space: AddressSpace): PieceOutcome {
  const out: PieceOutcome = { allow: false, deny: false, reasons: [] };
  const add = (p: PreparedEntry) => {
    if (p.action !== "deny") out.allow = true;
    if (p.action !== "allow") out.deny = true;
  };
  const matchOf = (p: PreparedEntry): YesMaybeNo => {
    if (!rangeContains(p.ports, seg)) return "no";
    const a = addressMatch(p, piece, space);
    if (a.answer === "no") return "no";
    if (a.reason) out.reasons.push(a.reason);
    return a.answer === "yes" && p.portsCertain && p.protocolCertain && p.cidr && !p.entry.conditional ? "yes" : "maybe";
  };
  // Entries whose place in the order is not known might come first.
  for (const p of floating) {
    if (matchOf(p) !== "no") {
      add(p);
      out.reasons.push(...p.reasons);
    }
  }
  let decided = false;
  for (const p of sorted) {
    const m = matchOf(p);
    if (m === "no") continue;
    if (m === "yes" && p.action) {
      add(p);
      out.decider = p;
      decided = true;
      break;
    }
    add(p);
    out.reasons.push(...p.reasons);
    if (m === "yes") {
      decided = true; // matches for certain, action unknown
      break;
    }
  }
  if (!decided) {
    out.decider = "implicit";
    out.deny = true;
  }
  if (!(out.allow && out.deny)) out.reasons = [];
  else out.decider = undefined;
  return out;
}

/**
 * Answers already given per ACL: every instance of a fleet asks its subnet's ACL the same questions about
 * the same endpoints. The function is pure, so the answer (never mutated by its users) is shared.
 */
const answers = new WeakMap<NetworkAcl, Map<string, Check>>();

/** For every port of `ports`, decide allow/deny for traffic in one direction between this subnet and the peer ranges. */
export function evaluateNetworkAcl(
  acl: NetworkAcl,
  direction: "inbound" | "outbound",
  protocol: "tcp",
  ports: PortRange,
  peerRanges: Value<string[]>,
  options?: { internet?: boolean; label?: string },
): Check {
  let known = answers.get(acl);
  if (!known) {
    known = new Map();
    answers.set(acl, known);
  }
  const key = JSON.stringify([direction, protocol, ports, peerRanges, options?.internet === true, options?.label ?? null]);
  let answer = known.get(key);
  if (!answer) {
    answer = decideNetworkAcl(acl, direction, protocol, ports, peerRanges, options);
    known.set(key, answer);
  }
  return answer;
}

function decideNetworkAcl(
  acl: NetworkAcl,
  direction: "inbound" | "outbound",
  protocol: "tcp",
  ports: PortRange,
  peerRanges: Value<string[]>,
  options?: { internet?: boolean; label?: string },
): Check {
  const internet = options?.internet === true;
  const label =
    options?.label ?? (internet ? "the internet" : peerRanges.kind === "known" ? peerRanges.value.join(", ") || "the peer" : "the peer");
  if (!acl.entriesComplete) {
    // Entries outside the input may carry any rule number, so may come first and decide either way.
    return undecided([
      {
        code: "outside",
        message: `${acl.name} may have entries that are not in the input`,
        decide: "describe the whole network ACL in the input",
      },
    ]);
  }
  const space = addressSpace(peerRanges, internet, label);
  const prepared = acl.entries
    .filter((e) => e.egress === (direction === "outbound"))
    .map((e) => prepare(e, protocol))
    .filter((p): p is PreparedEntry => p !== undefined);
  const segments = splitAtEdges(
    ports,
    prepared.filter((p) => p.portsCertain).map((p) => p.ports),
  );
  const outcomes = tallyOutcomes(prepared, segments, peerPieces(space, prepared), space);
  const peerLabel = space.kind === "ranges" ? `${label}${options?.label ? ` (${space.cidrs.map(formatIpv4Cidr).join(", ")})` : ""}` : label;
  return aclCheck(acl, direction, peerLabel, outcomes);
}

/** The peer's addresses cut at every entry's edges, so that each entry matches a piece everywhere or nowhere. */
function peerPieces(space: AddressSpace, prepared: PreparedEntry[]): PeerPiece[] {
  if (space.kind !== "ranges") return [{ kind: "whole" }];
  const pieces: PeerPiece[] = [];
  const edges = prepared.flatMap((p) => (p.cidr ? [cidrInterval(p.cidr)] : []));
  for (const iv of space.intervals) {
    const cuts = new Set<number>([iv.first, iv.last + 1]);
    for (const e of edges) {
      if (e.first > iv.first && e.first <= iv.last) cuts.add(e.first);
      if (e.last + 1 > iv.first && e.last + 1 <= iv.last) cuts.add(e.last + 1);
    }
    const s = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < s.length; i++) pieces.push({ kind: "interval", interval: { first: s[i]!, last: s[i + 1]! - 1 } });
  }
  return pieces;
}

type Decider = PreparedEntry | "implicit";

/** Per port segment, what the entries decide over all of the peer: who allowed, who denied which ports, and what is left open. */
interface AclOutcomes {
  allowedBy: Set<PreparedEntry>;
  deniedBy: Map<Decider, PortRange[]>;
  /** Entries that decide some segment for only part of the peer. */
  partialBy: Map<Decider, PortRange[]>;
  reasons: UnknownReason[];
  anyDenied: boolean;
  anyUndecided: boolean;
}

function tallyOutcomes(prepared: PreparedEntry[], segments: PortRange[], pieces: PeerPiece[], space: AddressSpace): AclOutcomes {
  const sorted = prepared.filter((p) => p.order !== undefined).sort((a, b) => a.order! - b.order!);
  const floating = prepared.filter((p) => p.order === undefined);
  const tally: AclOutcomes = {
    allowedBy: new Set(),
    deniedBy: new Map(),
    partialBy: new Map(),
    reasons: [],
    anyDenied: false,
    anyUndecided: false,
  };
  for (const seg of segments) {
    const outcomes = pieces.map((c) => walk(sorted, floating, c, seg, space));
    if (outcomes.every((o) => o.allow && !o.deny)) {
      outcomes.forEach((o) => {
        if (o.decider && o.decider !== "implicit") tally.allowedBy.add(o.decider);
      });
      continue;
    }
    if (outcomes.every((o) => o.deny && !o.allow)) {
      tally.anyDenied = true;
      for (const o of outcomes) addSegment(tally.deniedBy, o.decider ?? "implicit", seg);
      continue;
    }
    tally.anyUndecided = true;
    for (const o of outcomes) {
      tally.reasons.push(...o.reasons);
      if (!(o.allow && o.deny) && o.decider) addSegment(tally.partialBy, o.decider, seg);
    }
  }
  return tally;
}

function addSegment(segments: Map<Decider, PortRange[]>, decider: Decider, segment: PortRange): void {
  const list = segments.get(decider) ?? [];
  list.push(segment);
  segments.set(decider, list);
}

/** Fails when some port is denied, passes when every port is allowed, and is unknown otherwise. */
function aclCheck(acl: NetworkAcl, direction: "inbound" | "outbound", peerLabel: string, outcomes: AclOutcomes): Check {
  const entryOf = (d: Decider) => (d === "implicit" ? IMPLICIT_DENY : naclEntryFacts(d.entry));
  const originOf = (d: Decider) => (d === "implicit" ? acl.origin : d.entry.origin);
  if (outcomes.anyDenied) {
    return fail(
      [...outcomes.deniedBy].map(([d, segs]) => ({
        code: "nacl-denies",
        args: { acl: acl.name, rule: entryOf(d), ports: formatPortRanges(segs), direction, peer: peerLabel },
        origin: originOf(d),
      })),
    );
  }
  if (!outcomes.anyUndecided) {
    return pass(
      [...outcomes.allowedBy].map((d) => ({
        code: "nacl-allows",
        args: { acl: acl.name, rule: entryOf(d), direction },
        origin: originOf(d),
      })),
    );
  }
  const reasons = [...outcomes.reasons];
  const evidence: Evidence[] = [];
  for (const [d, segs] of outcomes.partialBy) {
    const rule = entryOf(d);
    const portText = formatPortRanges(segs);
    evidence.push({
      code: "nacl-partial",
      args: { acl: acl.name, rule, ports: portText, direction, peer: peerLabel },
      origin: originOf(d),
    });
    reasons.push({
      code: "computed",
      message: `${acl.name}: "${networkAclEntryText(rule)}" decides ${direction} ports ${portText} for only part of ${peerLabel}`,
      decide: `make the entries treat all of ${peerLabel} alike`,
    });
  }
  if (reasons.length === 0) reasons.push({ code: "unresolved", message: `cannot tell whether ${acl.name} allows ${peerLabel}` });
  const seen = new Set<string>();
  return undecided(
    reasons.filter((r) => {
      const key = `${r.code}\u0000${r.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    evidence,
  );
}
