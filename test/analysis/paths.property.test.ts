/**
 * The path analysis against a brute-force reference (path-oracle.ts), over random worlds.
 *
 * Comparison contract, per instance and required service (ssm, ssmmessages), between the analysis
 * verdict (pass / fail / unknown, from analyzeWorld) and the reference (pass: every fixed-but-unknown
 * choice connects; fail: none does; undetermined: some do, or the connection leaves the described world):
 * - never a false pass: the analysis says pass only when the reference says pass;
 * - never a false fail: the analysis says fail only when the reference says fail;
 * - a world that always connects passes: reference pass ⇒ analysis pass;
 * - where everything is known (exact worlds: private IPs and endpoint interface addresses given, one subnet
 *   per endpoint, no prefix list, no public block, no transit gateway or peering) the two agree exactly;
 *   elsewhere the analysis may say unknown where the reference says fail ("unknown is an answer").
 * Centralised endpoints (private hosted zones, transit gateway) have their own generator and property:
 * never a pass (the hub side is in another account), never a fail the reference does not confirm.
 *
 * Also: adding an allow rule (security group or network ACL) never makes a verdict worse; the same input
 * gives the same bytes out of the JSON and SARIF reporters.
 *
 * Runs: a fixed seed, so `npm test` and CI are repeatable; PROPERTY_SEED=random (or a number) explores
 * others, and a counterexample prints its seed and path for replay. Run counts are set so the whole file
 * takes a few seconds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import type { Verdict } from "../../src/analysis/verdict.js";
import { analyzeWorld } from "../../src/analysis/world-analysis.js";
import { runRules } from "../../src/engine/run.js";
import { type FileResult, render } from "../../src/report/index.js";
import { lintText } from "../helpers/lint.js";

const seedSetting = process.env.PROPERTY_SEED;
if (seedSetting !== "random") fc.configureGlobal({ seed: seedSetting ? Number(seedSetting) : 20261204 });

import {
  type AclEntrySpec,
  blurrings,
  buildWorld,
  describeRuns,
  describeWorld,
  instanceKey,
  type OracleResult,
  oracle,
  SERVICES,
  type Service,
  type SgRuleSpec,
  type WorldSpec,
  worldSpec,
} from "./path-oracle.js";

type Verdicts = Map<string, Verdict>;

/** The analysis verdict per "instance/service" (each generated instance has one subnet). */
function analysed(spec: WorldSpec): Verdicts {
  const out: Verdicts = new Map();
  for (const a of analyzeWorld(buildWorld(spec)).instances) {
    for (const path of a.placements[0]!.paths) out.set(`${a.instance.key}/${path.service}`, path.verdict);
  }
  return out;
}

interface Comparison {
  instance: number;
  service: Service;
  analysis: Verdict;
  reference: OracleResult;
}

function compare(spec: WorldSpec): Comparison[] {
  const verdicts = analysed(spec);
  return spec.instances.flatMap((_, i) =>
    SERVICES.map((service) => ({
      instance: i,
      service,
      analysis: verdicts.get(`${instanceKey(i)}/${service}`)!,
      reference: oracle(spec, i, service),
    })),
  );
}

/** Throws with the world and both verdicts, so fast-check shows a counterexample a person can read. */
function disagree(spec: WorldSpec, c: Comparison, rule: string): never {
  throw new Error(
    `${rule}\n${instanceKey(c.instance)} → ${c.service}: analysis ${c.analysis}, reference ${c.reference.verdict} (${describeRuns(c.reference)})\n--- world ---\n${describeWorld(spec)}`,
  );
}

function checkSound(spec: WorldSpec, c: Comparison): void {
  if (c.analysis === "pass" && c.reference.verdict !== "pass") disagree(spec, c, "a pass the reference does not confirm");
  if (c.analysis === "fail" && c.reference.verdict !== "fail") disagree(spec, c, "a fail the reference does not confirm");
  if (c.reference.verdict === "pass" && c.analysis !== "pass") disagree(spec, c, "a world that always connects, not passed");
}

const RUNS = { exact: 200, open: 200, monotone: 100, hub: 100, blur: 150 };

describe("path analysis against a packet-by-packet reference (property)", () => {
  it("agrees exactly where the world leaves nothing unknown", () => {
    fc.assert(
      fc.property(worldSpec("exact"), (spec) => {
        for (const c of compare(spec)) {
          checkSound(spec, c);
          if (c.reference.verdict === "fail" && c.analysis !== "fail") disagree(spec, c, "a certain failure, not failed");
          if (c.reference.verdict === "undetermined") disagree(spec, c, "an exact world the reference cannot decide (generator error)");
        }
      }),
      { numRuns: RUNS.exact },
    );
  });

  it("never passes or fails against the reference where the world leaves things open", () => {
    fc.assert(
      fc.property(worldSpec("open"), (spec) => {
        for (const c of compare(spec)) checkSound(spec, c);
      }),
      { numRuns: RUNS.open },
    );
  });
});

// ------------------------------------------------------------------ less knowledge

describe("taking knowledge away (property)", () => {
  it("turns verdicts into unknown, never into a pass or fail the world does not have", () => {
    fc.assert(
      fc.property(fc.oneof(worldSpec("open"), worldSpec("exact")), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (spec, picks) => {
        const world = buildWorld(spec);
        const ways = blurrings(world);
        const chosen = [...new Set(picks.map((p) => p % ways.length))];
        for (const i of chosen) ways[i]!.apply(world);
        for (const a of analyzeWorld(world).instances) {
          for (const path of a.placements.flatMap((p) => p.paths)) {
            if (path.verdict === "unknown") continue;
            const i = Number(a.instance.key.slice(2));
            const reference = oracle(spec, i, path.service as Service);
            const c: Comparison = { instance: i, service: path.service as Service, analysis: path.verdict, reference };
            if (path.verdict !== (reference.verdict === "pass" ? "pass" : reference.verdict === "fail" ? "fail" : "none"))
              disagree(spec, c, `a verdict the world does not have, with unknown: ${chosen.map((i) => ways[i]!.what).join("; ")}`);
          }
        }
      }),
      { numRuns: RUNS.blur },
    );
  });
});

// ------------------------------------------------------------------ monotonicity

const RANK: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

type Addition =
  | { kind: "sg"; group: number; direction: "egress" | "ingress"; rule: SgRuleSpec }
  | { kind: "acl"; acl: number; entry: AclEntrySpec };

const addition: fc.Arbitrary<Addition> = fc.oneof(
  fc.record({
    kind: fc.constant("sg" as const),
    group: fc.nat(),
    direction: fc.constantFrom<"egress" | "ingress">("egress", "ingress"),
    rule: fc.record({
      protocol: fc.constantFrom<SgRuleSpec["protocol"]>("tcp", "all", "udp"),
      ports: fc.constantFrom<readonly [number, number]>([443, 443], [0, 65535], [1024, 65535], [22, 22]),
      peer: fc.oneof(
        fc.constantFrom("0.0.0.0/0", "10.0.0.0/24", "10.0.0.16/28", "52.0.0.0/8").map((cidr) => ({ cidr })),
        fc.nat().map((group) => ({ group })),
        fc.constant({ prefixList: "pl-0123" }),
      ),
    }),
  }),
  fc.record({
    kind: fc.constant("acl" as const),
    acl: fc.nat(),
    entry: fc.record({
      n: fc.integer({ min: 1, max: 300 }),
      egress: fc.boolean(),
      action: fc.constant("allow" as const),
      protocol: fc.constantFrom<AclEntrySpec["protocol"]>("tcp", "all"),
      ports: fc.constantFrom<readonly [number, number] | null>([443, 443], [1024, 65535], [32768, 65535], null),
      cidr: fc.constantFrom("0.0.0.0/0", "10.0.0.0/24", "10.0.0.0/28", "52.0.0.0/8"),
    }),
  }),
);

function withAddition(spec: WorldSpec, a: Addition): WorldSpec {
  if (a.kind === "sg") {
    const index = a.group % spec.groups.length;
    const rule = "group" in a.rule.peer ? { ...a.rule, peer: { group: a.rule.peer.group % spec.groups.length } } : a.rule;
    const groups = spec.groups.map((g, i) => (i === index ? { ...g, [a.direction]: [...g[a.direction], rule] } : g));
    return { ...spec, groups };
  }
  const index = a.acl % spec.acls.length;
  const acls = spec.acls.map((acl, i) => {
    if (i !== index) return acl;
    // Rule numbers are unique per direction: take the first free one from the drawn number.
    let n = a.entry.n;
    while (acl.entries.some((e) => e.egress === a.entry.egress && e.n === n)) n++;
    const entry = { ...a.entry, ports: a.entry.protocol === "all" ? null : a.entry.ports, n };
    return { entries: [...acl.entries, entry] };
  });
  return { ...spec, acls };
}

describe("adding an allow rule (property)", () => {
  it("never turns a pass into a fail, nor any verdict into a worse one", () => {
    fc.assert(
      fc.property(fc.oneof(worldSpec("open"), worldSpec("exact"), worldSpec("hub")), addition, (spec, a) => {
        const before = analysed(spec);
        const after = analysed(withAddition(spec, a));
        for (const [key, verdict] of before) {
          const now = after.get(key)!;
          if (RANK[now] > RANK[verdict])
            throw new Error(`${key}: ${verdict} became ${now} after adding ${JSON.stringify(a)}\n--- world ---\n${describeWorld(spec)}`);
        }
      }),
      { numRuns: RUNS.monotone },
    );
  });
});

// ------------------------------------------------------------------ centralised endpoints

/**
 * A private hosted zone (centralised endpoints in a hub): the instance side is judged hop by hop, the
 * hub side stays unknown, so the path never passes. The hub's address is not known: only failures that
 * hold for every address outside the VPC can be certain. And nothing resolves without enableDnsSupport,
 * whatever DHCP option set the VPC names (live mode reads the default one as AmazonProvidedDNS).
 */
describe("centralised endpoints and the VPC resolver (property)", () => {
  it("judges the instance side of a hosted-zone path and never passes it", () => {
    fc.assert(
      fc.property(worldSpec("hub"), (spec) => {
        for (const c of compare(spec)) {
          if (c.analysis === "pass") disagree(spec, c, "a hosted-zone path passed: the hub side is never verified");
          if (c.analysis === "fail" && c.reference.verdict !== "fail") disagree(spec, c, "a fail the reference does not confirm");
          if (!spec.dnsSupport && c.analysis !== "fail") disagree(spec, c, "enableDnsSupport off: nothing resolves");
          const noEgress = spec.instances[c.instance]!.groups.every((g) =>
            spec.groups[g]!.egress.every((r) => r.protocol === "udp" || (r.protocol === "tcp" && (r.ports[0] > 443 || r.ports[1] < 443))),
          );
          if (noEgress && c.analysis !== "fail") disagree(spec, c, "no security group rule allows tcp 443 out at all");
        }
      }),
      { numRuns: RUNS.hub },
    );
  });

  it("fails every path without enableDnsSupport, whatever DHCP option set the VPC names", () => {
    fc.assert(
      fc.property(
        worldSpec("open").map((spec) => ({ ...spec, amazonDhcpOptions: true, dnsSupport: false })),
        (spec) => {
          for (const c of compare(spec)) if (c.analysis !== "fail") disagree(spec, c, "enableDnsSupport off: nothing resolves");
        },
      ),
      { numRuns: RUNS.hub },
    );
  });
});

// ------------------------------------------------------------------ same input, same bytes

const ROOT = join(import.meta.dirname, "../..");
const CONTEXT = { rules: RULES, tool: { name: "ssm-doctor", version: "0.0.0-test" }, color: false, quiet: false, verbose: false };

function bytes(results: FileResult[]): string {
  return `${render("json", results, CONTEXT)}\n${render("sarif", results, CONTEXT)}`;
}

describe("same input, same bytes out", () => {
  // The examples and a failing fixture for each hop of the path: enough to exercise every reporter branch.
  const fixtures = [
    "examples/broken-private-subnet.yaml",
    "examples/private-subnet-endpoints.yaml",
    ...["nacl-blocks-https", "endpoint-private-dns-off", "no-route-to-internet", "role-lacks-permissions"].map((d) => {
      const first = readdirSync(join(ROOT, "fixtures/cloudformation", d))
        .filter((f) => f.startsWith("bad") && f.endsWith(".yaml"))
        .sort()[0];
      return `fixtures/cloudformation/${d}/${first}`;
    }),
  ];

  it("lints fixtures twice to byte-identical JSON and SARIF", () => {
    for (const file of fixtures) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const once = bytes([{ file, result: lintText(file, text) }]);
      const twice = bytes([{ file, result: lintText(file, text) }]);
      expect(twice, file).toBe(once);
    }
  });

  it("runs a generated world twice to byte-identical JSON and SARIF (property)", () => {
    fc.assert(
      fc.property(worldSpec("open"), (spec) => {
        const run = () => bytes([{ file: "oracle.yaml", result: runRules(buildWorld(spec), RULES, { today: "2026-01-01" }) }]);
        expect(run()).toBe(run());
      }),
      { numRuns: 15 },
    );
  });
});
