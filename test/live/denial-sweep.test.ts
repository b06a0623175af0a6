/**
 * Never a false pass in live mode: for every account scenario of the fake (fixtures/accounts/*.yaml) and every
 * operation the collector calls for it, deny that one operation and compare with the run that was allowed
 * everything. Removing a read may turn a verdict into `?` (naming the permission), never into ✓ and never into
 * ✗; what the read decides is `?` and counted in the summary.
 *
 * In-process (collectLiveWorld + runRules against one loopback fake per scenario), so the whole sweep costs
 * a few seconds instead of a CLI start per case.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { type RunResult, runRules } from "../../src/engine/run.js";
import { collectLiveWorld } from "../../src/sources/aws/index.js";
import { READ_ONLY_OPERATIONS } from "../../src/sources/aws/operations.js";
import { ACCOUNTS_DIR } from "../fake-aws/scenario.js";
import { type FakeAws, fakeEnv, startFakeAws } from "../fake-aws/server.js";

const SCENARIOS = readdirSync(ACCOUNTS_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.replace(/\.yaml$/, ""))
  .sort();

/** Scenarios that only say something with an operator to simulate. */
const PRINCIPALS: Record<string, string> = {
  "operator-cannot-start-session": "arn:aws:iam::111122223333:role/oncall",
};

/** Without these nothing can be checked at all: the run stops with one line (exit 2), no verdict is given. */
const REQUIRED = new Set(["sts:GetCallerIdentity", "ec2:DescribeInstances"]);

/**
 * Reads that decide a prerequisite of every instance that has something to read with them: denied, each
 * instance that passed before must be `?` now, and a finding must name the permission.
 */
const DECISIVE = new Set([
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeVpcAttribute",
  "ssm:DescribeInstanceInformation",
  "ssm:GetDocument",
  "iam:GetInstanceProfile",
  "iam:SimulatePrincipalPolicy",
  "route53:ListHostedZonesByVPC",
]);

/** Where a decisive read decides nothing, and why. */
const NOT_DECIDED_BY: Record<string, Record<string, string>> = {
  "centralised-endpoints": {
    // A private hosted zone of the service's name cannot coexist with an endpoint's private DNS for it.
    "ec2:DescribeVpcEndpoints": "the hosted zones decide the way",
  },
};

interface Verdicts {
  /** "instance" → status; "instance|prerequisite" → status; "instance|service" → path verdict; "…|way|hop|subject" → hop verdict. */
  entries: Map<string, string>;
  unknownInstances: number;
  /** What the unknown findings and hops say would decide them. */
  decide: string[];
}

function verdictsOf(result: RunResult): Verdicts {
  const entries = new Map<string, string>();
  const decide = result.findings.filter((f) => f.verdict === "unknown").flatMap((f) => f.unknowns.map((u) => u.decide ?? ""));
  for (const c of result.instances) {
    entries.set(c.key, c.status === "warn" ? "fail" : c.status);
    for (const p of c.checks) entries.set(`${c.key}|${p.prerequisite}`, p.status === "warn" ? "fail" : p.status);
  }
  for (const a of result.analysis.instances)
    for (const placement of a.placements)
      for (const path of placement.paths) {
        const at = `${a.instance.key}|${path.service}`;
        entries.set(at, path.verdict);
        for (const h of path.hops) {
          if (h.verdict === "unknown") for (const u of h.unknowns ?? []) decide.push(u.decide ?? "");
          // Keyed by the way too: the route hop of a way through a hub and that of the internet way are different hops.
          const key = `${at}|${path.route}|${h.id}|${h.subject ?? ""}`;
          // The same hop twice on one path (an ACL on both legs) keeps its worst verdict.
          const before = entries.get(key);
          entries.set(key, before === "fail" || h.verdict === "fail" ? "fail" : before === "unknown" ? "unknown" : h.verdict);
        }
      }
  return {
    entries,
    unknownInstances: result.instances.filter((c) => c.status === "unknown").length,
    decide,
  };
}

async function run(fake: FakeAws, scenario: string): Promise<RunResult> {
  const principal = PRINCIPALS[scenario];
  const live = await collectLiveWorld(
    { endpointUrl: fake.url, region: fake.account.region, timeoutMs: 10_000, concurrency: 16, maxAttempts: 1 },
    { instanceIds: [], all: true, tags: [], ...(principal ? { principal } : {}) },
  );
  return runRules(live.world, RULES, {});
}

const saved = { ...process.env };
beforeAll(() => {
  // Static test credentials for the SDK's default chain, nothing of the machine running the tests.
  const env = fakeEnv({ url: "http://127.0.0.1:9", account: { region: "us-east-1" } } as FakeAws);
  for (const [k, v] of Object.entries(env)) if (k !== "AWS_ENDPOINT_URL" && k !== "AWS_REGION") process.env[k] = v;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
});
afterAll(() => {
  process.env = saved;
});

describe("denying one read never leaves a ✓ it would have decided", () => {
  it.each(SCENARIOS)("%s: every operation the collector calls, denied in turn", async (scenario) => {
    const fake = await startFakeAws(scenario);
    try {
      const baseline = verdictsOf(await run(fake, scenario));
      const called = new Set(fake.calls.map((c) => c.action));
      const operations = READ_ONLY_OPERATIONS.filter((op) => called.has(op) && !REQUIRED.has(op));
      expect(operations.length).toBeGreaterThan(8);
      const problems: string[] = [];
      for (const operation of operations) {
        fake.faults = [{ operation: operation.slice(operation.indexOf(":") + 1), kind: "denied" }];
        fake.calls.length = 0;
        const denied = verdictsOf(await run(fake, scenario));
        expect(
          fake.calls.some((c) => c.action === operation && c.status >= 400),
          `${operation} was denied`,
        ).toBe(true);
        let changed = false;
        for (const [key, verdict] of denied.entries) {
          const before = baseline.entries.get(key);
          if (before === undefined) {
            if (verdict === "pass" && !key.includes("|", key.indexOf("|") + 1)) problems.push(`${operation}: ${key} is ✓ only when denied`);
            continue;
          }
          if (verdict === before) continue;
          changed = true;
          if (verdict !== "unknown") problems.push(`${operation}: ${key} was ${before}, denied it is ${verdict}`);
        }
        const grant = `grant ${operation}`;
        if (changed && !denied.decide.includes(grant)) problems.push(`${operation}: verdicts changed and nothing says "${grant}"`);
        if (DECISIVE.has(operation) && !NOT_DECIDED_BY[scenario]?.[operation]) {
          for (const [key, verdict] of baseline.entries)
            if (!key.includes("|") && verdict === "pass" && denied.entries.get(key) !== "unknown")
              problems.push(`${operation}: ${key} passed and is ${denied.entries.get(key)} when denied, not ?`);
          const passed = [...baseline.entries].some(([key, verdict]) => !key.includes("|") && verdict === "pass");
          if (passed && denied.unknownInstances === 0) problems.push(`${operation}: the summary counts no unknown instance`);
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
