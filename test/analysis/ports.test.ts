import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EPHEMERAL, formatPortRange, HTTPS, mergeRanges, type PortRange, rangeContains, subtractRanges } from "../../src/analysis/ports.js";

describe("constants", () => {
  it("HTTPS and EPHEMERAL", () => {
    expect(HTTPS).toEqual({ from: 443, to: 443 });
    expect(EPHEMERAL).toEqual({ from: 32768, to: 65535 });
  });
});

describe("formatPortRange", () => {
  it("formats single ports, ranges and all", () => {
    expect(formatPortRange(HTTPS)).toBe("443");
    expect(formatPortRange({ from: 1024, to: 65535 })).toBe("1024-65535");
    expect(formatPortRange({ from: 0, to: 65535 })).toBe("all");
  });
});

describe("rangeContains", () => {
  it("is inclusive at both ends", () => {
    expect(rangeContains({ from: 1024, to: 65535 }, EPHEMERAL)).toBe(true);
    expect(rangeContains({ from: 49152, to: 65535 }, EPHEMERAL)).toBe(false);
    expect(rangeContains(HTTPS, HTTPS)).toBe(true);
    expect(rangeContains({ from: 444, to: 500 }, HTTPS)).toBe(false);
  });
});

describe("mergeRanges / subtractRanges", () => {
  it("merges overlapping and adjacent ranges, drops empty ones", () => {
    expect(
      mergeRanges([
        { from: 10, to: 20 },
        { from: 0, to: 5 },
        { from: 21, to: 30 },
        { from: 4, to: 8 },
        { from: 50, to: 40 },
      ]),
    ).toEqual([
      { from: 0, to: 8 },
      { from: 10, to: 30 },
    ]);
  });
  it("subtracts", () => {
    expect(subtractRanges([EPHEMERAL], [{ from: 49152, to: 65535 }])).toEqual([{ from: 32768, to: 49151 }]);
    expect(
      subtractRanges(
        [{ from: 0, to: 100 }],
        [
          { from: 10, to: 20 },
          { from: 15, to: 30 },
          { from: 100, to: 200 },
        ],
      ),
    ).toEqual([
      { from: 0, to: 9 },
      { from: 31, to: 99 },
    ]);
    expect(subtractRanges([HTTPS], [{ from: 0, to: 65535 }])).toEqual([]);
    expect(subtractRanges([HTTPS], [])).toEqual([HTTPS]);
  });
});

const range = fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 })).map(([a, b]): PortRange => ({ from: a, to: b }));
const toSet = (rs: PortRange[]) => {
  const s = new Set<number>();
  for (const r of rs) for (let p = r.from; p <= r.to; p++) s.add(p);
  return s;
};
const normalized = (rs: PortRange[]) => rs.every((r, i) => r.from <= r.to && (i === 0 || rs[i - 1]!.to + 1 < r.from));

describe("properties (against a Set of ports)", () => {
  it("mergeRanges keeps the same ports, normalized", () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 8 }), (rs) => {
        const m = mergeRanges(rs);
        expect(normalized(m)).toBe(true);
        expect([...toSet(m)].sort((a, b) => a - b)).toEqual([...toSet(rs)].sort((a, b) => a - b));
      }),
    );
  });
  it("subtractRanges = set difference, normalized", () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), fc.array(range, { maxLength: 6 }), (a, b) => {
        const d = subtractRanges(a, b);
        const B = toSet(b);
        expect(normalized(d)).toBe(true);
        expect([...toSet(d)].sort((x, y) => x - y)).toEqual([...toSet(a)].filter((p) => !B.has(p)).sort((x, y) => x - y));
      }),
    );
  });
  it("rangeContains = subset", () => {
    fc.assert(
      fc.property(range, range, (a, b) => {
        fc.pre(a.from <= a.to && b.from <= b.to);
        const A = toSet([a]);
        expect(rangeContains(a, b)).toBe([...toSet([b])].every((p) => A.has(p)));
      }),
    );
  });
});
