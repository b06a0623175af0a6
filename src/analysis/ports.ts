/** Port range arithmetic (inclusive ranges). Pure functions, no I/O. */
import type { OperatingSystem } from "../model/index.js";

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = Object.freeze({ from: 0, to: 65535 });
export const HTTPS: PortRange = Object.freeze({ from: 443, to: 443 });
/**
 * Ports the OS picks for the agent's outbound connections; return traffic arrives on them.
 * Linux uses 32768–60999, Windows 49152–65535: an ACL that admits the union, 32768–65535, admits either.
 */
export const EPHEMERAL: PortRange = Object.freeze({ from: 32768, to: 65535 });

/** The ephemeral ports of one operating system (or of the NAT gateway). */
export interface OsPorts {
  readonly os: string;
  readonly range: PortRange;
}

/**
 * The ports a client takes replies on: `all` is what is asked first, and when an ACL does not admit all of it, each
 * of `byOs` (the systems the client may run) is asked on its own. One system: its answer is the answer. Several: the
 * answer is fail only when every system's ports are denied.
 */
export interface ReplyPorts {
  readonly all: PortRange;
  readonly byOs: readonly OsPorts[];
}

/**
 * Linux kernels since 2.6 (net.ipv4.ip_local_port_range 32768 60999; the AWS VPC user guide, "Ephemeral ports", names
 * 32768-61000 for Amazon Linux); Windows Server 2008 and later 49152–65535 (the same guide); macOS the IANA dynamic
 * range, 49152–65535.
 */
const LINUX: OsPorts = Object.freeze({ os: "Linux", range: Object.freeze({ from: 32768, to: 60999 }) });
const HIGH: PortRange = Object.freeze({ from: 49152, to: 65535 });

/** The reply ports of an instance whose operating system is the one named, or either when not known. */
export function instanceReplyPorts(os: OperatingSystem | undefined): ReplyPorts {
  if (os === "Linux") return { all: EPHEMERAL, byOs: [LINUX] };
  if (os) return { all: EPHEMERAL, byOs: [{ os, range: HIGH }] };
  return UNKNOWN_OS;
}

const UNKNOWN_OS: ReplyPorts = Object.freeze({ all: EPHEMERAL, byOs: [LINUX, { os: "Windows or macOS", range: HIGH }] });

/**
 * Ports a NAT gateway translates connections to; the internet's replies arrive on them in the NAT
 * gateway's subnet (AWS VPC user guide, "Ephemeral ports": "A NAT gateway uses ports 1024-65535").
 */
export const NAT_GATEWAY_PORTS: ReplyPorts = Object.freeze({ all: { from: 1024, to: 65535 }, byOs: [] });

export function rangeContains(outer: PortRange, inner: PortRange): boolean {
  return outer.from <= inner.from && inner.to <= outer.to;
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function intersectRange(a: PortRange, b: PortRange): PortRange | undefined {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from <= to ? { from, to } : undefined;
}

/** Sorted, overlapping and adjacent ranges joined; empty ranges (from > to) dropped. */
export function mergeRanges(r: PortRange[]): PortRange[] {
  const sorted = r.filter((x) => x.from <= x.to).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.from <= last.to + 1) last.to = Math.max(last.to, x.to);
    else out.push({ from: x.from, to: x.to });
  }
  return out;
}

/** The ports of `from` that are in no range of `remove`; normalized, sorted, merged. */
export function subtractRanges(from: PortRange[], remove: PortRange[]): PortRange[] {
  const rm = mergeRanges(remove);
  const out: PortRange[] = [];
  for (const a of mergeRanges(from)) {
    let start = a.from;
    for (const b of rm) {
      if (b.to < start) continue;
      if (b.from > a.to) break;
      if (b.from > start) out.push({ from: start, to: b.from - 1 });
      start = Math.max(start, b.to + 1);
      if (start > a.to) break;
    }
    if (start <= a.to) out.push({ from: start, to: a.to });
  }
  return mergeRanges(out);
}

/** "443", "1024-65535", "all" (0–65535). */
export function formatPortRange(r: PortRange): string {
  if (r.from <= 0 && r.to >= 65535) return "all";
  if (r.from === r.to) return String(r.from);
  return `${r.from}-${r.to}`;
}

/** "443, 1024-2047"; "none" for an empty list. */
export function formatPortRanges(r: PortRange[]): string {
  const m = mergeRanges(r);
  return m.length === 0 ? "none" : m.map(formatPortRange).join(", ");
}

/**
 * Cuts `within` into consecutive pieces at the edges of `ranges`, so that every piece is either wholly
 * inside or wholly outside each range.
 */
export function splitAtEdges(within: PortRange, ranges: PortRange[]): PortRange[] {
  const cuts = new Set<number>([within.from, within.to + 1]);
  for (const r of ranges) {
    if (r.from > within.from && r.from <= within.to) cuts.add(r.from);
    if (r.to + 1 > within.from && r.to + 1 <= within.to) cuts.add(r.to + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: PortRange[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) out.push({ from: sorted[i]!, to: sorted[i + 1]! - 1 });
  return out;
}
