import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cidrContains,
  cidrsOverlap,
  coverage,
  formatIpv4Cidr,
  type Ipv4Cidr,
  isPrivateAddressSpace,
  parseIpv4,
  parseIpv4Cidr,
} from "../../src/analysis/cidr.js";
import { addressesOf } from "./helpers.js";

const c = (s: string): Ipv4Cidr => {
  const r = parseIpv4Cidr(s);
  if (!r) throw new Error(`bad test CIDR ${s}`);
  return r;
};

describe("parseIpv4", () => {
  it("reads dotted quads", () => {
    expect(parseIpv4("0.0.0.0")).toBe(0);
    expect(parseIpv4("10.0.0.1")).toBe(167772161);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
  });
  it.each(["", "10.0.0", "10.0.0.0.0", "256.0.0.1", "01.0.0.0", "a.b.c.d", "10.0.0.-1", "10..0.1", "1e1.0.0.0", "10.0.0.0/8", " "])(
    "rejects %j",
    (s) => {
      expect(parseIpv4(s)).toBeUndefined();
    },
  );
});

describe("parseIpv4Cidr", () => {
  it("reads a CIDR", () => {
    expect(parseIpv4Cidr("10.0.0.0/16")).toEqual({ base: 0x0a000000, prefix: 16 });
  });
  it("reads a bare address as /32", () => {
    expect(parseIpv4Cidr("10.0.1.5")).toEqual({ base: 0x0a000105, prefix: 32 });
  });
  it("normalizes host bits away", () => {
    expect(formatIpv4Cidr(c("10.1.2.3/16"))).toBe("10.1.0.0/16");
    expect(formatIpv4Cidr(c("10.1.2.3/0"))).toBe("0.0.0.0/0");
    expect(c("255.255.255.255/1")).toEqual({ base: 0x80000000, prefix: 1 });
  });
  it("accepts /0 and /32", () => {
    expect(c("0.0.0.0/0")).toEqual({ base: 0, prefix: 0 });
    expect(formatIpv4Cidr(c("192.168.1.1/32"))).toBe("192.168.1.1/32");
  });
  it.each(["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/16/2", "10.0.0/8", "::/0", "10.0.0.0/a", "", "garbage"])(
    "rejects %j",
    (s) => {
      expect(parseIpv4Cidr(s)).toBeUndefined();
    },
  );
});

describe("contains / overlap", () => {
  it("relates nested and disjoint blocks", () => {
    expect(cidrContains(c("10.0.0.0/16"), c("10.0.1.0/24"))).toBe(true);
    expect(cidrContains(c("10.0.1.0/24"), c("10.0.0.0/16"))).toBe(false);
    expect(cidrContains(c("0.0.0.0/0"), c("203.0.113.7"))).toBe(true);
    expect(cidrContains(c("10.0.1.7"), c("10.0.1.7/32"))).toBe(true);
    expect(cidrsOverlap(c("10.0.1.0/24"), c("10.0.0.0/16"))).toBe(true);
    expect(cidrsOverlap(c("10.0.1.0/24"), c("10.0.2.0/24"))).toBe(false);
  });
});

describe("isPrivateAddressSpace", () => {
  it.each([
    ["10.1.0.0/16", true],
    ["172.16.0.0/12", true],
    ["172.31.255.0/24", true],
    ["172.32.0.0/16", false],
    ["192.168.10.0/24", true],
    ["100.64.0.0/10", true],
    ["100.128.0.0/16", false],
    ["8.0.0.0/7", false],
    ["0.0.0.0/0", false],
    ["10.0.0.0/7", false],
    ["52.94.0.0/16", false],
  ])("%s → %s", (s, expected) => {
    expect(isPrivateAddressSpace(c(s))).toBe(expected);
  });
});

describe("coverage", () => {
  it("all / some / none", () => {
    expect(coverage(c("10.0.0.0/16"), [c("10.0.1.0/24"), c("10.0.2.0/24")])).toBe("all");
    expect(coverage(c("10.0.1.0/24"), [c("10.0.1.0/24"), c("10.0.2.0/24")])).toBe("some");
    expect(coverage(c("10.0.1.0/25"), [c("10.0.1.0/24")])).toBe("some");
    expect(coverage(c("10.0.3.0/24"), [c("10.0.1.0/24"), c("10.0.2.0/24")])).toBe("none");
    expect(coverage(c("0.0.0.0/0"), [c("10.0.1.0/24")])).toBe("all");
  });
  it("has nothing to cover in an empty list", () => {
    expect(coverage(c("0.0.0.0/0"), [])).toBe("none");
  });
});

// ---------------------------------------------------------------- properties

const SPACE = 0x0a000000; // 10.0.0.0/24 as the small universe
const smallCidr = fc
  .record({ offset: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 24, max: 32 }) })
  .map(({ offset, prefix }) => c(`10.0.0.${offset}/${prefix}`));
const addrs = (x: Ipv4Cidr) => new Set(addressesOf(x.base, x.prefix));

describe("properties (brute force over 10.0.0.0/24)", () => {
  it("normalizes: the base has no host bits and lies in the universe", () => {
    fc.assert(
      fc.property(smallCidr, (x) => {
        expect(x.base - SPACE).toBeGreaterThanOrEqual(0);
        expect((x.base - SPACE) % 2 ** (32 - x.prefix)).toBe(0);
      }),
    );
  });

  it("cidrContains = subset of addresses", () => {
    fc.assert(
      fc.property(smallCidr, smallCidr, (a, b) => {
        const A = addrs(a);
        const expected = [...addrs(b)].every((x) => A.has(x));
        expect(cidrContains(a, b)).toBe(expected);
      }),
    );
  });

  it("cidrsOverlap = addresses intersect", () => {
    fc.assert(
      fc.property(smallCidr, smallCidr, (a, b) => {
        const A = addrs(a);
        expect(cidrsOverlap(a, b)).toBe([...addrs(b)].some((x) => A.has(x)));
      }),
    );
  });

  it("coverage = enumeration of the ranges' addresses", () => {
    fc.assert(
      fc.property(smallCidr, fc.array(smallCidr, { minLength: 1, maxLength: 4 }), (rule, rs) => {
        const R = addrs(rule);
        const all = rs.flatMap((r) => [...addrs(r)]);
        const inside = all.filter((x) => R.has(x)).length;
        const expected = inside === all.length ? "all" : inside === 0 ? "none" : "some";
        expect(coverage(rule, rs)).toBe(expected);
      }),
    );
  });

  it("format and parse round-trip over the whole IPv4 space, host bits dropped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const text = `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
        expect(parseIpv4(text)).toBe(ip);
        const parsed = c(`${text}/${prefix}`);
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        expect(parsed).toEqual({ base: (ip & mask) >>> 0, prefix });
        expect(parseIpv4Cidr(formatIpv4Cidr(parsed))).toEqual(parsed);
        expect(cidrContains(parsed, c(text))).toBe(true);
      }),
    );
  });
});
