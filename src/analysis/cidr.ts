/**
 * IPv4 CIDR arithmetic. Addresses are unsigned 32-bit numbers; a CIDR is kept with its host bits
 * masked away. Pure functions, no I/O.
 */
import type { UnknownReason, Value } from "../model/index.js";

export interface Ipv4Cidr {
  base: number;
  prefix: number;
}

/** An inclusive range of addresses, first <= last. */
export interface AddressInterval {
  first: number;
  last: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;
const PREFIX = /^(0|[1-9]\d?)$/;

/** "10.0.0.1" → 167772161. Strict dotted quad: four decimal octets 0–255, no leading zeros, no sign. */
export function parseIpv4(s: string): number | undefined {
  if (typeof s !== "string") return undefined;
  const parts = s.trim().split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

/** The netmask of a prefix length as an unsigned number (/0 → 0, /32 → 0xffffffff). */
export function prefixMask(prefix: number): number {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parsed ranges by their text: a fleet names the same subnets, endpoints and rules again and again. */
const parsedCidrs = new Map<string, Ipv4Cidr | undefined>();

/** "10.0.0.0/16"; a bare address is a /32; host bits are masked away ("10.1.2.3/16" → 10.1.0.0/16); anything else is undefined. */
export function parseIpv4Cidr(s: string): Ipv4Cidr | undefined {
  if (typeof s !== "string") return undefined;
  if (parsedCidrs.has(s)) {
    const hit = parsedCidrs.get(s);
    return hit ? { ...hit } : undefined;
  }
  const parsed = parseCidrText(s);
  if (parsedCidrs.size >= 100_000) parsedCidrs.clear(); // bounded: random inputs (property tests) must not grow it forever
  parsedCidrs.set(s, parsed);
  return parsed ? { ...parsed } : undefined;
}

function parseCidrText(s: string): Ipv4Cidr | undefined {
  const parts = s.trim().split("/");
  if (parts.length > 2) return undefined;
  const ip = parseIpv4(parts[0] ?? "");
  if (ip === undefined) return undefined;
  let prefix = 32;
  if (parts.length === 2) {
    const p = parts[1] ?? "";
    if (!PREFIX.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > 32) return undefined;
  }
  return { base: (ip & prefixMask(prefix)) >>> 0, prefix };
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${formatIpv4(firstAddress(c))}/${c.prefix}`;
}

export function firstAddress(c: Ipv4Cidr): number {
  return (c.base & prefixMask(c.prefix)) >>> 0;
}

export function lastAddress(c: Ipv4Cidr): number {
  return firstAddress(c) + 2 ** (32 - c.prefix) - 1;
}

export function cidrInterval(c: Ipv4Cidr): AddressInterval {
  return { first: firstAddress(c), last: lastAddress(c) };
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return outer.prefix <= inner.prefix && (firstAddress(inner) & prefixMask(outer.prefix)) >>> 0 === firstAddress(outer);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

const PRIVATE_BLOCKS: Ipv4Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((s) => parseIpv4Cidr(s)!);

/** Wholly inside 10/8, 172.16/12, 192.168/16 or 100.64/10: never a public AWS service address. */
export function isPrivateAddressSpace(c: Ipv4Cidr): boolean {
  return PRIVATE_BLOCKS.some((p) => cidrContains(p, c));
}

/**
 * How a rule's CIDR relates to a set of addresses known only as ranges: "all" (every address of every
 * range is inside), "none" (disjoint), "some". An empty list of ranges has no address: "none".
 */
export function coverage(rule: Ipv4Cidr, ranges: Ipv4Cidr[]): "all" | "none" | "some" {
  if (ranges.length === 0) return "none";
  let inside = 0;
  let overlapping = 0;
  for (const r of ranges) {
    if (cidrContains(rule, r)) inside++;
    else if (cidrsOverlap(rule, r)) overlapping++;
  }
  if (inside === ranges.length) return "all";
  if (inside === 0 && overlapping === 0) return "none";
  return "some";
}

// ---------------------------------------------------------------- intervals

/** Sorted, merged (adjacent intervals joined). */
export function mergeIntervals(list: AddressInterval[]): AddressInterval[] {
  const sorted = list.filter((i) => i.first <= i.last).sort((a, b) => a.first - b.first);
  const out: AddressInterval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.first <= last.last + 1) last.last = Math.max(last.last, i.last);
    else out.push({ first: i.first, last: i.last });
  }
  return out;
}

/** The parts of `list` inside `window`, merged. */
export function intersectIntervals(list: AddressInterval[], window: AddressInterval[]): AddressInterval[] {
  const out: AddressInterval[] = [];
  for (const a of list) {
    for (const w of window) {
      const first = Math.max(a.first, w.first);
      const last = Math.min(a.last, w.last);
      if (first <= last) out.push({ first, last });
    }
  }
  return mergeIntervals(out);
}

/** True when every address of `target` lies in some interval of `cover`. */
export function intervalsCover(cover: AddressInterval[], target: AddressInterval[]): boolean {
  const c = mergeIntervals(cover);
  return mergeIntervals(target).every((t) => c.some((i) => i.first <= t.first && t.last <= i.last));
}

// ---------------------------------------------------------------- the other end of a connection

/**
 * Where a peer's addresses lie, as analysis can use it: known ranges (merged, non-empty), "the internet"
 * (some public AWS service address), or not known (with the reason).
 */
export type AddressSpace =
  | { kind: "ranges"; intervals: AddressInterval[]; cidrs: Ipv4Cidr[] }
  | { kind: "internet" }
  | { kind: "unknown"; reason: UnknownReason };

/**
 * Reads a peer's ranges. Unknown ranges, an unparsable range, or an empty list (a peer with no known
 * address) give "unknown": an empty list is never read as "no address, so nothing to allow".
 */
export function addressSpace(ranges: Value<string[]>, internet: boolean, label: string): AddressSpace {
  if (internet) return { kind: "internet" };
  if (ranges.kind === "unknown") return { kind: "unknown", reason: ranges.reason };
  if (ranges.value.length === 0)
    return { kind: "unknown", reason: { code: "unresolved", message: `no address range is known for ${label}` } };
  const cidrs: Ipv4Cidr[] = [];
  for (const s of ranges.value) {
    const c = parseIpv4Cidr(s);
    if (!c)
      return { kind: "unknown", reason: { code: "unsupported", message: `"${s}" (an address range of ${label}) is not an IPv4 CIDR` } };
    cidrs.push(c);
  }
  return { kind: "ranges", intervals: mergeIntervals(cidrs.map(cidrInterval)), cidrs };
}

/** How a rule's CIDR relates to an address space. "some" carries the covered part of the space. */
export type CidrEffect =
  | { kind: "all" }
  | { kind: "none" }
  | { kind: "some"; intervals: AddressInterval[] }
  | { kind: "unknown"; reason: UnknownReason };

export function cidrEffect(c: Ipv4Cidr, space: AddressSpace): CidrEffect {
  if (c.prefix === 0) return { kind: "all" };
  switch (space.kind) {
    case "internet":
      if (isPrivateAddressSpace(c)) return { kind: "none" };
      return {
        kind: "unknown",
        reason: {
          code: "unsupported",
          message: `cannot tell whether the service's public addresses are inside ${formatIpv4Cidr(c)}`,
          decide: "allow 0.0.0.0/0 for the internet path, or use VPC endpoints",
        },
      };
    case "unknown":
      return { kind: "unknown", reason: space.reason };
    case "ranges": {
      const part = intersectIntervals([cidrInterval(c)], space.intervals);
      if (part.length === 0) return { kind: "none" };
      if (intervalsCover(part, space.intervals)) return { kind: "all" };
      return { kind: "some", intervals: part };
    }
  }
}
