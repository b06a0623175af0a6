import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateNetworkAcl, naclEntryFacts } from "../../src/analysis/network-acls.js";
import { EPHEMERAL, HTTPS, type PortRange } from "../../src/analysis/ports.js";
import { networkAclEntryText } from "../../src/analysis/reason-text.js";
import { known, type NetworkAclEntry, unknown } from "../../src/model/index.js";
import { acl, COND, entry, ranges, readsAs, UNKNOWN_RANGES } from "./helpers.js";

const aclEntry = (text: string) => readsAs(networkAclEntryText, text);

const INTERNET = { internet: true, label: "the internet" };
const internetRanges = ranges("0.0.0.0/0");
const endpointSubnet = ranges("10.0.8.0/24");

describe("naclEntryFacts", () => {
  const describeNaclEntry = (e: NetworkAclEntry) => networkAclEntryText(naclEntryFacts(e));

  it("as unknown reasons quote them, the way people read them", () => {
    expect(describeNaclEntry(entry(100, true, "allow", "0.0.0.0/0", "tcp", [443, 443]))).toBe("100 allow tcp 443 to 0.0.0.0/0");
    expect(describeNaclEntry(entry(200, false, "deny", "10.0.0.0/8", "all"))).toBe("200 deny all traffic from 10.0.0.0/8");
    expect(describeNaclEntry(entry(110, false, "allow", "0.0.0.0/0", "tcp", [1024, 65535]))).toBe(
      "110 allow tcp 1024-65535 from 0.0.0.0/0",
    );
    expect(describeNaclEntry(entry(unknown("parameter", "N"), false, "allow", "0.0.0.0/0", "tcp", null))).toBe(
      "(unknown number) allow all tcp from 0.0.0.0/0",
    );
  });
});

describe("evaluateNetworkAcl: examples", () => {
  it("the default ACL (100 allow all) passes", () => {
    const a = acl([entry(100, true, "allow", "0.0.0.0/0", "all"), entry(100, false, "allow", "0.0.0.0/0", "all")], { isDefault: true });
    const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet);
    expect(r.verdict).toBe("pass");
    expect(r.evidence).toEqual([
      {
        code: "nacl-allows",
        args: { acl: "rAcl", rule: aclEntry("100 allow all traffic to 0.0.0.0/0"), direction: "outbound" },
        origin: expect.objectContaining({ id: "entry-out-100" }),
      },
    ]);
  });

  it("a deny with a lower number wins over a later allow, whatever the list order", () => {
    const a = acl([entry(100, true, "allow", "0.0.0.0/0", "all"), entry(90, true, "deny", "0.0.0.0/0", "tcp", [443, 443])]);
    const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet);
    expect(r.verdict).toBe("fail");
    expect(r.evidence).toEqual([
      {
        code: "nacl-denies",
        args: { acl: "rAcl", rule: aclEntry("90 deny tcp 443 to 0.0.0.0/0"), ports: "443", direction: "outbound", peer: "10.0.8.0/24" },
        origin: expect.objectContaining({ id: "entry-out-90" }),
      },
    ]);
  });

  it("an allow with a lower number wins over a later deny", () => {
    const a = acl([entry(200, true, "deny", "0.0.0.0/0", "all"), entry(100, true, "allow", "10.0.0.0/16", "tcp", [443, 443])]);
    expect(evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet).verdict).toBe("pass");
  });

  it("no matching entry: the implicit deny, at the ACL's origin", () => {
    const a = acl([entry(100, true, "allow", "0.0.0.0/0", "udp", [443, 443]), entry(110, true, "allow", "0.0.0.0/0", "icmp")]);
    const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet);
    expect(r.verdict).toBe("fail");
    expect(r.evidence[0]).toMatchObject({
      code: "nacl-denies",
      args: { rule: aclEntry("* deny all (implicit)"), ports: "443" },
      origin: { id: "rAcl" },
    });
  });

  it("entries of the other direction do not count", () => {
    const a = acl([entry(100, true, "allow", "0.0.0.0/0", "all")]);
    expect(evaluateNetworkAcl(a, "inbound", "tcp", HTTPS, endpointSubnet).verdict).toBe("fail");
  });

  it("IPv6 entries do not match IPv4 traffic", () => {
    const a = acl([entry(100, true, "allow", "::/0", "all")]);
    expect(evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet).verdict).toBe("fail");
  });

  describe("ephemeral return ports", () => {
    it("1024-65535 covers them", () => {
      const a = acl([entry(100, false, "allow", "0.0.0.0/0", "tcp", [1024, 65535])]);
      expect(evaluateNetworkAcl(a, "inbound", "tcp", EPHEMERAL, endpointSubnet).verdict).toBe("pass");
    });
    it("49152-65535 (Windows only) leaves 32768-49151 to the implicit deny", () => {
      const a = acl([entry(100, false, "allow", "0.0.0.0/0", "tcp", [49152, 65535])]);
      const r = evaluateNetworkAcl(a, "inbound", "tcp", EPHEMERAL, endpointSubnet);
      expect(r.verdict).toBe("fail");
      expect(r.evidence).toEqual([
        expect.objectContaining({
          code: "nacl-denies",
          args: expect.objectContaining({ rule: aclEntry("* deny all (implicit)"), ports: "32768-49151" }),
        }),
      ]);
    });
    it("a deny in the middle names its own ports", () => {
      const a = acl([
        entry(90, false, "deny", "0.0.0.0/0", "tcp", [40000, 40010]),
        entry(100, false, "allow", "0.0.0.0/0", "tcp", [1024, 65535]),
      ]);
      const r = evaluateNetworkAcl(a, "inbound", "tcp", EPHEMERAL, endpointSubnet);
      expect(r.verdict).toBe("fail");
      expect(r.evidence[0]?.args).toMatchObject({ ports: "40000-40010" });
    });
  });

  it("a deny covering part of the peer before a decisive allow is unknown", () => {
    const a = acl([entry(100, true, "deny", "10.0.8.0/25", "all"), entry(200, true, "allow", "0.0.0.0/0", "all")]);
    const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet, { label: "the ssm endpoint's subnets" });
    expect(r.verdict).toBe("unknown");
    expect(r.evidence.map((e) => e.code)).toEqual(["nacl-partial", "nacl-partial"]);
    expect(r.unknowns?.[0]?.message).toContain("only part of the ssm endpoint's subnets (10.0.8.0/24)");
  });

  it("unknown rule number, cidr, action, ports, or a conditional entry that could decide: unknown", () => {
    const allow443 = (over: Partial<NetworkAclEntry>) => acl([{ ...entry(100, true, "allow", "0.0.0.0/0", "tcp", [443, 443]), ...over }]);
    for (const a of [
      allow443({ ruleNumber: unknown("parameter", "RuleNumber") }),
      allow443({ cidr: unknown("parameter", "Cidr") }),
      allow443({ action: unknown("parameter", "Action") }),
      allow443({ portRange: unknown("computed", "Ports") }),
      allow443({ protocol: unknown("parameter", "Protocol") }),
      allow443({ conditional: COND }),
    ]) {
      const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet);
      expect(r.verdict).toBe("unknown");
      expect(r.unknowns?.length).toBeGreaterThan(0);
    }
  });

  it("an unknown entry after a decisive one does not matter; before a certain one it does", () => {
    const a = acl([entry(100, true, "allow", "0.0.0.0/0", "all"), entry(200, true, "deny", unknown("parameter", "Cidr"), "all")]);
    expect(evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet).verdict).toBe("pass");
    const b = acl([entry(50, true, "deny", unknown("parameter", "Cidr"), "all"), entry(100, true, "allow", "0.0.0.0/0", "all")]);
    expect(evaluateNetworkAcl(b, "outbound", "tcp", HTTPS, endpointSubnet).verdict).toBe("unknown");
  });

  it("entries not all in the input: unknown", () => {
    const a = acl([entry(100, true, "allow", "10.0.0.0/8", "all")], { entriesComplete: false });
    const r = evaluateNetworkAcl(a, "outbound", "tcp", HTTPS, endpointSubnet);
    expect(r.verdict).toBe("unknown");
    expect(r.unknowns?.[0]?.code).toBe("outside");
  });

  it("unknown peer ranges: only 0.0.0.0/0 entries decide", () => {
    expect(evaluateNetworkAcl(acl([entry(100, true, "allow", "0.0.0.0/0", "all")]), "outbound", "tcp", HTTPS, UNKNOWN_RANGES).verdict).toBe(
      "pass",
    );
    const r = evaluateNetworkAcl(acl([entry(100, true, "allow", "10.0.0.0/16", "all")]), "outbound", "tcp", HTTPS, UNKNOWN_RANGES);
    expect(r.verdict).toBe("unknown");
    expect(r.unknowns?.[0]?.message).toBe("the endpoint's addresses are known after apply");
    expect(evaluateNetworkAcl(acl([]), "outbound", "tcp", HTTPS, UNKNOWN_RANGES).verdict).toBe("fail");
  });

  describe("the internet peer", () => {
    it("0.0.0.0/0 covers it", () => {
      const r = evaluateNetworkAcl(
        acl([entry(100, true, "allow", "0.0.0.0/0", "tcp", [443, 443])]),
        "outbound",
        "tcp",
        HTTPS,
        internetRanges,
        INTERNET,
      );
      expect(r.verdict).toBe("pass");
    });
    it("a smaller public CIDR is partial", () => {
      const r = evaluateNetworkAcl(
        acl([entry(100, true, "allow", "52.0.0.0/8", "all")]),
        "outbound",
        "tcp",
        HTTPS,
        internetRanges,
        INTERNET,
      );
      expect(r.verdict).toBe("unknown");
      expect(r.unknowns?.[0]?.message).toContain("52.0.0.0/8");
    });
    it("a private CIDR does not match", () => {
      const r = evaluateNetworkAcl(
        acl([entry(100, false, "allow", "10.0.0.0/8", "all")]),
        "inbound",
        "tcp",
        EPHEMERAL,
        internetRanges,
        INTERNET,
      );
      expect(r.verdict).toBe("fail");
      expect(r.evidence[0]?.args).toMatchObject({ peer: "the internet", ports: "32768-65535", direction: "inbound" });
    });
  });

  it("is fast on the whole port space", () => {
    const entries = Array.from({ length: 40 }, (_, i) =>
      entry(i + 1, false, i % 3 === 0 ? "deny" : "allow", `10.0.${i}.0/24`, "tcp", [i * 1000, i * 1000 + 999]),
    );
    const started = Date.now();
    const r = evaluateNetworkAcl(acl(entries), "inbound", "tcp", { from: 0, to: 65535 }, ranges("10.0.0.0/16"));
    expect(r.verdict).toBe("fail");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

// ---------------------------------------------------------------- property: against an (address, port) oracle

const BASE = 0x0a000000; // 10.0.0.0; addresses 10.0.0.0–10.0.0.31
const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
type Block = { text: string; first: number; last: number };
const block = (prefixMin: number): fc.Arbitrary<Block> =>
  fc.record({ offset: fc.integer({ min: 0, max: 31 }), prefix: fc.integer({ min: prefixMin, max: 32 }) }).map(({ offset, prefix }) => {
    const size = 2 ** (32 - prefix);
    const base = BASE + offset - (offset % size);
    return { text: `${dotted(base)}/${prefix}`, first: base, last: base + size - 1 };
  });
const WHOLE: Block = { text: "0.0.0.0/0", first: 0, last: 0xffffffff };
const FAR: Block = { text: "11.0.0.0/8", first: 0x0b000000, last: 0x0bffffff };

type EntrySpec = { egress: boolean; action: "allow" | "deny"; protocol: string; ports: [number, number] | null; cidr: Block | "v6" };

const entrySpec = (portMax: number, interesting: number[]): fc.Arbitrary<EntrySpec> => {
  const port = fc.oneof(fc.integer({ min: 0, max: portMax }), fc.constantFrom(...interesting));
  return fc.record({
    egress: fc.boolean(),
    action: fc.constantFrom("allow" as const, "deny" as const),
    protocol: fc.constantFrom("tcp", "tcp", "all", "udp"),
    ports: fc.option(
      fc.tuple(port, port).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
      { nil: null, freq: 4 },
    ),
    cidr: fc.oneof(
      { weight: 6, arbitrary: block(27) },
      { weight: 2, arbitrary: fc.constant(WHOLE) },
      { weight: 1, arbitrary: fc.constant(FAR) },
      { weight: 1, arbitrary: fc.constant("v6" as const) },
    ),
  });
};

function oracle(specs: { n: number; s: EntrySpec }[], direction: "inbound" | "outbound", ports: PortRange, addresses: number[]): string {
  const ordered = specs.filter((x) => x.s.egress === (direction === "outbound")).sort((a, b) => a.n - b.n);
  let anyDenied = false;
  let allAllowed = true;
  for (let port = ports.from; port <= ports.to; port++) {
    let allowed = 0;
    for (const addr of addresses) {
      const hit = ordered.find(
        ({ s }) =>
          (s.protocol === "all" || s.protocol === "tcp") &&
          (s.protocol === "all" || s.ports === null || (s.ports[0] <= port && port <= s.ports[1])) &&
          s.cidr !== "v6" &&
          s.cidr.first <= addr &&
          addr <= s.cidr.last,
      );
      if (hit?.s.action === "allow") allowed++;
    }
    if (allowed === 0) anyDenied = true;
    if (allowed < addresses.length) allAllowed = false;
  }
  return anyDenied ? "fail" : allAllowed ? "pass" : "unknown";
}

function property(portMax: number, interesting: number[], askedRange: fc.Arbitrary<PortRange>, numRuns: number) {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ n: fc.integer({ min: 1, max: 32766 }), s: entrySpec(portMax, interesting) }), {
        selector: (x) => x.n,
        maxLength: 8,
      }),
      fc.array(block(29), { minLength: 1, maxLength: 3 }),
      fc.constantFrom("inbound" as const, "outbound" as const),
      askedRange,
      (specs, peerBlocks, direction, ports) => {
        const a = acl(specs.map(({ n, s }) => entry(n, s.egress, s.action, s.cidr === "v6" ? "::/0" : s.cidr.text, s.protocol, s.ports)));
        const addresses = [...new Set(peerBlocks.flatMap((b) => Array.from({ length: b.last - b.first + 1 }, (_, i) => b.first + i)))];
        const got = evaluateNetworkAcl(a, direction, "tcp", ports, known(peerBlocks.map((b) => b.text)));
        expect(got.verdict).toBe(oracle(specs, direction, ports, addresses));
        if (got.verdict === "fail") expect(got.evidence.length).toBeGreaterThan(0);
        if (got.verdict === "unknown") expect(got.unknowns?.length).toBeGreaterThan(0);
      },
    ),
    { numRuns },
  );
}

describe("evaluateNetworkAcl: property against an (address, port) oracle", () => {
  it("agrees on a reduced port universe (0..63)", () => {
    const asked = fc
      .tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 }))
      .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
    property(63, [0, 63], asked, 1000);
  });

  it("agrees on the real port space, walking every port", () => {
    const interesting = [0, 443, 1023, 1024, 32767, 32768, 49151, 49152, 60999, 61000, 65535];
    const asked = fc.constantFrom(HTTPS, EPHEMERAL, { from: 1024, to: 65535 }, { from: 0, to: 65535 });
    property(65535, interesting, asked, 40);
  });
});
