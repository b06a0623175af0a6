// Benchmark of an organisation sweep (issue 14): ACCOUNTS accounts × 4 regions × 200 instances, with
// 50 ms injected on every call of the loopback fake organisation. Prints calls and wall time per size,
// and calls per account/region pair, which must stay flat as the organisation grows (linear calls).
// Run with `npx tsx bench/sweep.ts` after `npm run build` (`npm run bench` runs it too). Measured,
// never asserted in tests.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lookupAwsManagedPolicy } from "../src/analysis/iam.js";
import { fleetSpec } from "../test/fake-aws/fleet.js";
import { type MemberAccount, organizationEnv, startFakeOrganization } from "../test/fake-aws/organization.js";
import { expandScenario } from "../test/fake-aws/scenario.js";

const ROOT = join(import.meta.dirname, "..");
const REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const LATENCY_MS = 50;

async function sweep(accounts: number): Promise<{ calls: number; pairs: number; ms: number; code: number }> {
  const fleet = expandScenario(fleetSpec(200, 4, 2) as Parameters<typeof expandScenario>[0], lookupAwsManagedPolicy);
  const members: MemberAccount[] = Array.from({ length: accounts }, (_, a) => ({
    id: String(100000000000 + a),
    name: `account-${a}`,
    regions: Object.fromEntries(REGIONS.map((r) => [r, fleet])),
  }));
  const org = await startFakeOrganization({ accounts: members, latencyMs: LATENCY_MS });
  try {
    const start = Date.now();
    const code = await new Promise<number>((resolve) => {
      execFile(
        process.execPath,
        [
          join(ROOT, "bin/ssm-doctor.js"),
          "check",
          "--all",
          "--accounts",
          "all",
          "--regions",
          "all",
          "--parallel",
          "8",
          "--format",
          "json",
          "--output",
          join(mkdtempSync(join(tmpdir(), "sweep-")), "org.json"),
          "--fail-on",
          "never",
        ],
        { env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), ...organizationEnv(org) }, maxBuffer: 1 << 28, timeout: 600_000 },
        (error) => resolve(error ? (typeof error.code === "number" ? error.code : 2) : 0),
      );
    });
    const ms = Date.now() - start;
    const memberCalls = [...org.members.values()].reduce((n, m) => n + m.calls.length, 0);
    return { calls: memberCalls + org.frontCalls.length, pairs: accounts * REGIONS.length, ms, code };
  } finally {
    await org.close();
  }
}

console.log(`| accounts × regions × instances | calls | calls per pair | wall (${LATENCY_MS} ms a call) | exit |`);
console.log("|---|---|---|---|---|");
for (const accounts of [10, 50]) {
  const r = await sweep(accounts);
  console.log(
    `| ${accounts} × ${REGIONS.length} × 200 | ${r.calls} | ${(r.calls / r.pairs).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} s | ${r.code} |`,
  );
}
