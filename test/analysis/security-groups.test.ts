import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argsOf } from "../../src/analysis/evidence.js";
import { EPHEMERAL, HTTPS, type PortRange } from "../../src/analysis/ports.js";
import { securityGroupRuleText } from "../../src/analysis/reason-text.js";
import { evaluateSecurityGroups, ruleFacts, type TrafficPeer } from "../../src/analysis/security-groups.js";
import { known, type Ref, type SecurityGroupRule, unknown, type ValueList } from "../../src/model/index.js";
import { COND, egress, group, ingress, list, ranges, readsAs, rule, UNKNOWN_RANGES, world } from "./helpers.js";

const sgRule = (text: string) => readsAs(securityGroupRuleText, text);

const endpointPeer: TrafficPeer = {
  ranges: ranges("10.0.8.0/24"),
  groups: list(["rEndpointSg"]),
  label: "the ssm endpoint's network interfaces",
};
const internet: TrafficPeer = { ranges: ranges("0.0.0.0/0"), groups: known([]), internet: true, label: "the internet (through nat-1)" };

function evalEgress(rules: SecurityGroupRule[], p: TrafficPeer = endpointPeer, ports: PortRange = HTTPS, extra = {}) {
  const g = group("rAppSg", rules, extra);
  return evaluateSecurityGroups(world(g), list(["rAppSg"]), "egress", p, "tcp", ports);
}

describe("ruleFacts", () => {
  const describeRule = (r: SecurityGroupRule) => securityGroupRuleText(ruleFacts(r));

  it("keeps a rule's traffic and peer as data", () => {
    expect(ruleFacts(egress("tcp", 443, 443, "10.0.0.0/16"))).toEqual({
      direction: "egress",
      traffic: { protocol: "tcp", ports: { from: 443, to: 443 } },
      peer: { kind: "cidr", value: "10.0.0.0/16" },
      conditional: false,
    });
    expect(ruleFacts(egress("all", 0, 65535, "sg:rEndpointSg")).peer).toEqual({ kind: "group", value: "rEndpointSg" });
  });

  it("as unknown reasons quote them, the way people read them", () => {
    expect(describeRule(egress("tcp", 443, 443, "10.0.0.0/16"))).toBe("tcp 443 to 10.0.0.0/16");
    expect(describeRule(egress("all", 0, 65535, "sg:rEndpointSg"))).toBe("all traffic to sg rEndpointSg");
    expect(describeRule(ingress("tcp", 443, 443, "pl:pl-123"))).toBe("tcp 443 from pl-123");
    expect(describeRule(ingress("tcp", 1024, 65535, "10.0.0.0/8"))).toBe("tcp 1024-65535 from 10.0.0.0/8");
    expect(describeRule(egress("tcp", 0, 65535, "0.0.0.0/0"))).toBe("all tcp to 0.0.0.0/0");
    expect(describeRule(egress("icmp", 8, 0, "0.0.0.0/0"))).toBe("icmp to 0.0.0.0/0");
    expect(describeRule(rule("egress", unknown("parameter", "P"), 443, 443, "0.0.0.0/0"))).toBe("unknown protocol to 0.0.0.0/0");
  });
});

describe("evaluateSecurityGroups: examples", () => {
  it("passes on tcp 443 to 0.0.0.0/0, naming the rule", () => {
    const r = evalEgress([egress("tcp", 443, 443, "0.0.0.0/0")]);
    expect(r.verdict).toBe("pass");
    expect(r.evidence).toEqual([
      {
        code: "sg-allows",
        args: { group: "rAppSg", rule: sgRule("tcp 443 to 0.0.0.0/0") },
        origin: expect.objectContaining({ id: "rule-egress-tcp-443" }),
      },
    ]);
  });

  it("passes on a CIDR containing the endpoint subnets", () => {
    expect(evalEgress([egress("tcp", 443, 443, "10.0.0.0/16")]).verdict).toBe("pass");
  });

  it("fails when only other ports are open, with one sg-no-match per group", () => {
    const r = evalEgress([egress("tcp", 22, 22, "0.0.0.0/0"), egress("tcp", 443, 443, "10.0.0.0/24")]);
    expect(r.verdict).toBe("fail");
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({
      code: "sg-no-match",
      args: {
        group: "rAppSg",
        rules: [sgRule("tcp 22 to 0.0.0.0/0"), sgRule("tcp 443 to 10.0.0.0/24")],
        peer: endpointPeer.label,
        direction: "egress",
      },
      origin: { id: "rAppSg" },
    });
  });

  it("says 'none' for a group without rules (Terraform group without egress)", () => {
    const r = evalEgress([]);
    expect(r.verdict).toBe("fail");
    expect(r.evidence[0]).toMatchObject({ code: "sg-no-match", args: { rules: [] } });
  });

  it("protocol all matches tcp, whatever the port fields say", () => {
    expect(evalEgress([egress("all", 0, 0, "0.0.0.0/0")]).verdict).toBe("pass");
    expect(evalEgress([egress("-1", -1, -1, "0.0.0.0/0")]).verdict).toBe("pass");
  });

  it("icmp and udp do not carry tcp", () => {
    expect(evalEgress([egress("icmp", -1, -1, "0.0.0.0/0"), egress("udp", 443, 443, "0.0.0.0/0")]).verdict).toBe("fail");
  });

  it("IPv6 rules do not carry the agent's IPv4 traffic", () => {
    expect(evalEgress([egress("tcp", 443, 443, "v6:::/0")]).verdict).toBe("fail");
  });

  it("the union over groups counts", () => {
    const a = group("rA", [egress("tcp", 22, 22, "0.0.0.0/0")]);
    const b = group("rB", [egress("tcp", 443, 443, "10.0.8.0/24")]);
    const r = evaluateSecurityGroups(world(a, b), list(["rA", "rB"]), "egress", endpointPeer, "tcp", HTTPS);
    expect(r.verdict).toBe("pass");
    expect(r.evidence.map((e) => argsOf(e, "sg-allows")?.group)).toEqual(["rB"]);
  });

  it("several rules together can cover the peer's ranges", () => {
    const p: TrafficPeer = { ...endpointPeer, ranges: ranges("10.0.8.0/24", "10.0.9.0/24") };
    expect(evalEgress([egress("tcp", 443, 443, "10.0.8.0/24")], p).verdict).toBe("unknown");
    const r = evalEgress([egress("tcp", 443, 443, "10.0.8.0/24"), egress("tcp", 443, 443, "10.0.9.0/24")], p);
    expect(r.verdict).toBe("pass");
    expect(r.evidence).toHaveLength(2);
  });

  it("partial coverage of the peer's range is unknown, with sg-partial evidence", () => {
    const r = evalEgress([egress("tcp", 443, 443, "10.0.8.0/25")]);
    expect(r.verdict).toBe("unknown");
    expect(r.evidence).toEqual([
      expect.objectContaining({
        code: "sg-partial",
        args: { group: "rAppSg", rule: sgRule("tcp 443 to 10.0.8.0/25"), peer: expect.stringContaining("10.0.8.0/24") },
      }),
    ]);
    expect(r.unknowns?.[0]?.message).toContain("only part of");
  });

  describe("security group references", () => {
    it("matches when the peer carries the referenced group", () => {
      const r = evalEgress([egress("tcp", 443, 443, "sg:rEndpointSg")]);
      expect(r.verdict).toBe("pass");
      expect(r.evidence[0]?.args).toMatchObject({ rule: sgRule("tcp 443 to sg rEndpointSg") });
    });
    it("does not match another group", () => {
      expect(evalEgress([egress("tcp", 443, 443, "sg:rOtherSg")]).verdict).toBe("fail");
    });
    it("is unknown when the peer's groups are partly unknown", () => {
      const p = { ...endpointPeer, groups: known([known("rX"), unknown("parameter", "EndpointSg has no value")]) } as TrafficPeer;
      const r = evalEgress([egress("tcp", 443, 443, "sg:rOtherSg")], p);
      expect(r.verdict).toBe("unknown");
      expect(r.unknowns?.[0]?.message).toBe("EndpointSg has no value");
    });
    it("is unknown when the rule's group is unknown", () => {
      const r = evalEgress([
        rule("egress", "tcp", 443, 443, known({ kind: "security-group", group: unknown("outside", "sg-0abc is not in the input") })),
      ]);
      expect(r.verdict).toBe("unknown");
      expect(r.unknowns?.[0]?.code).toBe("outside");
    });
    it("the default security group's self-reference admits members of the same group", () => {
      const def = group("rVpcDefaultSg", [ingress("all", -1, -1, "sg:rVpcDefaultSg"), egress("all", -1, -1, "0.0.0.0/0")], {
        isDefault: true,
        egressManagement: { mode: "aws-default" },
      });
      const instance: TrafficPeer = { ranges: ranges("10.0.1.0/24"), groups: list(["rVpcDefaultSg"]), label: "i-app" };
      const ok = evaluateSecurityGroups(world(def), list(["rVpcDefaultSg"]), "ingress", instance, "tcp", HTTPS);
      expect(ok.verdict).toBe("pass");
      expect(ok.evidence[0]?.args).toMatchObject({ rule: sgRule("all traffic from sg rVpcDefaultSg") });
      const other = evaluateSecurityGroups(
        world(def),
        list(["rVpcDefaultSg"]),
        "ingress",
        { ...instance, groups: list(["rAppSg"]) },
        "tcp",
        HTTPS,
      );
      expect(other.verdict).toBe("fail");
    });
  });

  it("unknown peer ranges: only 0.0.0.0/0 decides", () => {
    const p = { ...endpointPeer, ranges: UNKNOWN_RANGES };
    expect(evalEgress([egress("tcp", 443, 443, "10.0.0.0/16")], p).verdict).toBe("unknown");
    expect(evalEgress([egress("tcp", 443, 443, "0.0.0.0/0")], p).verdict).toBe("pass");
    expect(evalEgress([egress("tcp", 22, 22, "10.0.0.0/16")], p).verdict).toBe("fail");
  });

  it("empty list of groups fails", () => {
    const r = evaluateSecurityGroups(world(), known([]), "egress", endpointPeer, "tcp", HTTPS);
    expect(r.verdict).toBe("fail");
    expect(r.evidence[0]?.code).toBe("sg-no-groups");
  });

  it("unknown list, unknown element, and a group outside the world are unknown", () => {
    const w = world(group("rA", []));
    expect(evaluateSecurityGroups(w, unknown("computed", "known after apply"), "egress", endpointPeer, "tcp", HTTPS).verdict).toBe(
      "unknown",
    );
    const partly: ValueList<Ref> = known([known("rA"), unknown("parameter", "SgParam")]);
    const r1 = evaluateSecurityGroups(w, partly, "egress", endpointPeer, "tcp", HTTPS);
    expect(r1.verdict).toBe("unknown");
    expect(r1.unknowns?.map((u) => u.message)).toEqual(["SgParam"]);
    const r2 = evaluateSecurityGroups(w, list(["rA", "sg-0123"]), "egress", endpointPeer, "tcp", HTTPS);
    expect(r2.verdict).toBe("unknown");
    expect(r2.unknowns?.[0]?.code).toBe("outside");
  });

  it("a certain allow wins over unknown groups", () => {
    const w = world(group("rA", [egress("tcp", 443, 443, "0.0.0.0/0")]));
    expect(
      evaluateSecurityGroups(w, known([known("rA"), unknown("parameter", "SgParam")]), "egress", endpointPeer, "tcp", HTTPS).verdict,
    ).toBe("pass");
  });

  it("prefix lists are unknown", () => {
    const r = evalEgress([egress("tcp", 443, 443, "pl:pl-123")]);
    expect(r.verdict).toBe("unknown");
    expect(r.unknowns?.[0]?.message).toContain("pl-123");
  });

  it("incomplete rules: unknown without a match, pass with one", () => {
    expect(evalEgress([egress("tcp", 22, 22, "0.0.0.0/0")], endpointPeer, HTTPS, { rulesComplete: known(false) }).verdict).toBe("unknown");
    expect(evalEgress([egress("tcp", 443, 443, "0.0.0.0/0")], endpointPeer, HTTPS, { rulesComplete: known(false) }).verdict).toBe("pass");
  });

  it("conditional rules and groups are unknown when they would match, irrelevant otherwise", () => {
    expect(evalEgress([egress("tcp", 443, 443, "0.0.0.0/0", { conditional: COND })]).verdict).toBe("unknown");
    expect(evalEgress([egress("tcp", 22, 22, "0.0.0.0/0", { conditional: COND })]).verdict).toBe("fail");
    const r = evalEgress([egress("tcp", 443, 443, "0.0.0.0/0")], endpointPeer, HTTPS, { conditional: COND });
    expect(r.verdict).toBe("unknown");
    expect(r.unknowns).toEqual([COND]);
  });

  it("unknown rule fields: unknown unless another field rules the rule out", () => {
    const unknownPorts = rule("egress", "tcp", unknown("parameter", "Port"), unknown("parameter", "Port"), "0.0.0.0/0");
    expect(evalEgress([unknownPorts]).verdict).toBe("unknown");
    const udpUnknownPorts = rule("egress", "udp", unknown("parameter", "Port"), unknown("parameter", "Port"), "0.0.0.0/0");
    expect(evalEgress([udpUnknownPorts]).verdict).toBe("fail");
    const unknownProto = rule("egress", unknown("parameter", "Proto"), 443, 443, "0.0.0.0/0");
    expect(evalEgress([unknownProto]).verdict).toBe("unknown");
    const unknownPeer = rule("egress", "tcp", 443, 443, unknown("computed", "cidr after apply"));
    expect(evalEgress([unknownPeer]).unknowns?.[0]?.message).toBe("cidr after apply");
  });

  it("every asked port is needed: a narrower range fails with the missing ports", () => {
    const r = evaluateSecurityGroups(
      world(group("rEp", [ingress("tcp", 1024, 40000, "10.0.0.0/16")])),
      list(["rEp"]),
      "ingress",
      endpointPeer,
      "tcp",
      EPHEMERAL,
    );
    expect(r.verdict).toBe("fail");
    expect(r.evidence[0]?.args).toMatchObject({ ports: "40001-65535" });
  });

  describe("the internet peer", () => {
    it("0.0.0.0/0 matches", () => {
      expect(evalEgress([egress("tcp", 443, 443, "0.0.0.0/0")], internet).verdict).toBe("pass");
    });
    it("a public CIDR cannot be told", () => {
      const r = evalEgress([egress("tcp", 443, 443, "52.0.0.0/8")], internet);
      expect(r.verdict).toBe("unknown");
      expect(r.unknowns?.[0]?.message).toContain("52.0.0.0/8");
    });
    it("a prefix list cannot be told", () => {
      expect(evalEgress([egress("tcp", 443, 443, "pl:pl-63a5400a")], internet).verdict).toBe("unknown");
    });
    it("private CIDRs and group references do not match", () => {
      const r = evalEgress([egress("tcp", 443, 443, "10.0.0.0/8"), egress("tcp", 443, 443, "sg:rEndpointSg")], internet);
      expect(r.verdict).toBe("fail");
      expect(r.evidence[0]?.args).toMatchObject({ peer: "the internet (through nat-1)" });
    });
  });
});

// ---------------------------------------------------------------- property: against a brute-force oracle

const BASE = 0x0a000000; // 10.0.0.0; addresses 10.0.0.0–10.0.0.63
const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const block = (prefixMin: number) =>
  fc.record({ offset: fc.integer({ min: 0, max: 63 }), prefix: fc.integer({ min: prefixMin, max: 32 }) }).map(({ offset, prefix }) => {
    const size = 2 ** (32 - prefix);
    const base = BASE + offset - (offset % size);
    return { text: `${dotted(base)}/${prefix}`, first: base, last: base + size - 1 };
  });
type Block = { text: string; first: number; last: number };

const GROUPS = ["gA", "gB", "gC"];
const PEER_GROUPS = ["gP", "gQ", "gA"];
type RuleSpec = {
  direction: "ingress" | "egress";
  protocol: string;
  from: number;
  to: number;
  peer: { kind: "cidr"; block: Block } | { kind: "any" } | { kind: "far" } | { kind: "sg"; ref: string } | { kind: "v6" };
};
const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  direction: fc.constantFrom("ingress" as const, "egress" as const),
  protocol: fc.constantFrom("tcp", "tcp", "all", "udp", "icmp"),
  from: fc.integer({ min: 438, max: 452 }),
  to: fc.integer({ min: 438, max: 452 }),
  peer: fc.oneof(
    { weight: 5, arbitrary: block(26).map((b) => ({ kind: "cidr" as const, block: b })) },
    { weight: 1, arbitrary: fc.constant({ kind: "any" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "far" as const }) },
    { weight: 2, arbitrary: fc.constantFrom(...GROUPS, ...PEER_GROUPS).map((ref) => ({ kind: "sg" as const, ref })) },
    { weight: 1, arbitrary: fc.constant({ kind: "v6" as const }) },
  ),
});

function toRule(s: RuleSpec): SecurityGroupRule {
  const p =
    s.peer.kind === "cidr"
      ? s.peer.block.text
      : s.peer.kind === "any"
        ? "0.0.0.0/0"
        : s.peer.kind === "far"
          ? "11.0.0.0/8"
          : s.peer.kind === "sg"
            ? `sg:${s.peer.ref}`
            : "v6:::/0";
  return rule(s.direction, s.protocol, s.from, s.to, p);
}

function ruleAllows(s: RuleSpec, addr: number, port: number, peerGroups: string[]): boolean {
  if (s.protocol !== "all" && s.protocol !== "tcp") return false;
  if (s.protocol === "tcp" && !(s.from <= port && port <= s.to)) return false;
  switch (s.peer.kind) {
    case "any":
      return true;
    case "far":
    case "v6":
      return false;
    case "cidr":
      return s.peer.block.first <= addr && addr <= s.peer.block.last;
    case "sg":
      return peerGroups.includes(s.peer.ref);
  }
}

/** The oracle's verdict: per port of the range, which of the peer's addresses some rule allows. */
function oracleVerdict(specs: RuleSpec[], peerBlocks: Block[], peerGroups: string[], ports: PortRange): "pass" | "fail" | "unknown" {
  const addresses = [...new Set(peerBlocks.flatMap((b) => Array.from({ length: b.last - b.first + 1 }, (_, i) => b.first + i)))];
  let anyPortDenied = false;
  let allAllowed = true;
  for (let port = ports.from; port <= ports.to; port++) {
    const allowed = addresses.filter((a) => specs.some((s) => ruleAllows(s, a, port, peerGroups)));
    if (allowed.length === 0) anyPortDenied = true;
    if (allowed.length < addresses.length) allAllowed = false;
  }
  return anyPortDenied ? "fail" : allAllowed ? "pass" : "unknown";
}

describe("evaluateSecurityGroups: property against an (address, port) oracle", () => {
  it("agrees with brute force on known rule sets", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.constantFrom(...GROUPS), rules: fc.array(ruleSpec, { maxLength: 5 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(block(28), { minLength: 1, maxLength: 3 }),
        fc.subarray(PEER_GROUPS),
        fc.constantFrom("ingress" as const, "egress" as const),
        fc.integer({ min: 438, max: 452 }),
        fc.integer({ min: 0, max: 4 }),
        (groupSpecs, peerBlocks, peerGroups, direction, portFrom, width) => {
          // one definition per key: the first one wins, as in a World
          const defs = new Map<string, RuleSpec[]>();
          for (const g of groupSpecs) if (!defs.has(g.key)) defs.set(g.key, g.rules);
          const w = world(...[...defs].map(([key, specs]) => group(key, specs.map(toRule))));
          const attached = groupSpecs.map((g) => g.key);
          const ports = { from: portFrom, to: portFrom + width };
          const trafficPeer: TrafficPeer = { ranges: ranges(...peerBlocks.map((b) => b.text)), groups: list(peerGroups), label: "peer" };
          const specs = [...new Set(attached)].flatMap((k) => defs.get(k)!.filter((s) => s.direction === direction));
          const expected = oracleVerdict(specs, peerBlocks, peerGroups, ports);
          const got = evaluateSecurityGroups(w, list(attached), direction, trafficPeer, "tcp", ports);
          expect(got.verdict).toBe(expected);
          if (got.verdict === "unknown") expect(got.unknowns?.length).toBeGreaterThan(0);
          if (got.verdict === "fail") expect(got.evidence.every((e) => e.code === "sg-no-match")).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------- groups of many rules (rules indexed by the group they name)

/** A group's rule letting in (or out) one of many instances' own groups, and rules by CIDR among them. */
const MANY_GROUPS = Array.from({ length: 40 }, (_, i) => `gM${i}`);
const manyRuleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  direction: fc.constantFrom("ingress" as const, "egress" as const),
  protocol: fc.constantFrom("tcp", "tcp", "all", "udp"),
  from: fc.integer({ min: 438, max: 452 }),
  to: fc.integer({ min: 438, max: 452 }),
  peer: fc.oneof(
    { weight: 2, arbitrary: block(26).map((b) => ({ kind: "cidr" as const, block: b })) },
    { weight: 1, arbitrary: fc.constant({ kind: "far" as const }) },
    { weight: 8, arbitrary: fc.constantFrom(...MANY_GROUPS, ...PEER_GROUPS).map((ref) => ({ kind: "sg" as const, ref })) },
  ),
});

describe("evaluateSecurityGroups: groups of many rules", () => {
  const many = (n: number, make: (i: number) => SecurityGroupRule) => Array.from({ length: n }, (_, i) => make(i));

  it("agrees with brute force when groups hold dozens of rules naming other groups", () => {
    fc.assert(
      fc.property(
        fc.array(manyRuleSpec, { minLength: 32, maxLength: 90 }),
        fc.array(block(28), { minLength: 1, maxLength: 2 }),
        fc.subarray([...PEER_GROUPS, ...MANY_GROUPS.slice(0, 4)]),
        fc.constantFrom("ingress" as const, "egress" as const),
        fc.integer({ min: 438, max: 452 }),
        fc.integer({ min: 0, max: 3 }),
        (specs, peerBlocks, peerGroups, direction, portFrom, width) => {
          const w = world(group("gBig", specs.map(toRule)));
          const ports = { from: portFrom, to: portFrom + width };
          const trafficPeer: TrafficPeer = { ranges: ranges(...peerBlocks.map((b) => b.text)), groups: list(peerGroups), label: "peer" };
          const mine = specs.filter((s) => s.direction === direction);
          const got = evaluateSecurityGroups(w, list(["gBig"]), direction, trafficPeer, "tcp", ports);
          expect(got.verdict).toBe(oracleVerdict(mine, peerBlocks, peerGroups, ports));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("names the first rule in the group's order that allows the peer, as with a few rules", () => {
    const rules = many(40, (i) =>
      i === 10
        ? ingress("tcp", 443, 443, "sg:gPeer")
        : i === 30
          ? ingress("tcp", 443, 443, "10.0.1.0/24")
          : ingress("tcp", 443, 443, `sg:gM${i}`),
    );
    const peer: TrafficPeer = { ranges: ranges("10.0.1.0/24"), groups: list(["gPeer"]), label: "the instance" };
    const r = evaluateSecurityGroups(world(group("gBig", rules)), list(["gBig"]), "ingress", peer, "tcp", HTTPS);
    expect(r.verdict).toBe("pass");
    expect(r.evidence).toEqual([expect.objectContaining({ args: { group: "gBig", rule: sgRule("tcp 443 from sg gPeer") } })]);
    // Without the peer's own group, the CIDR rule further down is the one that lets it in.
    const byCidr = rules.filter((_, i) => i !== 10);
    const c = evaluateSecurityGroups(world(group("gBig", byCidr)), list(["gBig"]), "ingress", peer, "tcp", HTTPS);
    expect(c.evidence).toEqual([expect.objectContaining({ args: { group: "gBig", rule: sgRule("tcp 443 from 10.0.1.0/24") } })]);
  });

  it("a peer whose groups are not all known may be let in by any rule naming a group", () => {
    const rules = many(40, (i) => ingress("tcp", 443, 443, `sg:gM${i}`));
    const peer: TrafficPeer = {
      ranges: ranges("10.0.1.0/24"),
      groups: known([known("gPeer"), unknown("computed", "the second group is created at apply")]),
      label: "the instance",
    };
    const r = evaluateSecurityGroups(world(group("gBig", rules)), list(["gBig"]), "ingress", peer, "tcp", HTTPS);
    expect(r.verdict).toBe("unknown");
    expect(r.unknowns?.map((u) => u.message)).toContain("the second group is created at apply");
    const unknownGroups: TrafficPeer = { ...peer, groups: unknown("computed", "the groups are known after apply") };
    expect(evaluateSecurityGroups(world(group("gBig", rules)), list(["gBig"]), "ingress", unknownGroups, "tcp", HTTPS).verdict).toBe(
      "unknown",
    );
  });

  it("rules naming groups let nothing out to the internet; a CIDR rule among them still does", () => {
    const rules = many(40, (i) => (i === 33 ? egress("tcp", 443, 443, "0.0.0.0/0") : egress("tcp", 443, 443, `sg:gM${i}`)));
    const r = evaluateSecurityGroups(world(group("gBig", rules)), list(["gBig"]), "egress", internet, "tcp", HTTPS);
    expect(r.verdict).toBe("pass");
    expect(r.evidence).toEqual([expect.objectContaining({ args: { group: "gBig", rule: sgRule("tcp 443 to 0.0.0.0/0") } })]);
    const none = rules.filter((_, i) => i !== 33);
    expect(evaluateSecurityGroups(world(group("gBig", none)), list(["gBig"]), "egress", internet, "tcp", HTTPS).verdict).toBe("fail");
  });
});
