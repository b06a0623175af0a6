/**
 * `npm run demo:live`: live mode without an AWS account. Starts the loopback fake AWS endpoint with a bundled
 * account scenario (fixtures/accounts/demo.yaml unless named), runs the built CLI's `check` against it, and
 * prints the report and the AWS calls it took. Extra arguments after the scenario go to `check`.
 *
 *   npm run demo:live                          # check --all against fixtures/accounts/demo.yaml
 *   npx tsx test/fake-aws/demo.ts healthy --instance i-0a000000000000001 --format json
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { lookupAwsManagedPolicy } from "../../src/analysis/iam.js";
import { fleetSpec } from "./fleet.js";
import { expandScenario } from "./scenario.js";
import { fakeEnv, startFakeAws } from "./server.js";

const [scenario = "demo", ...rest] = process.argv.slice(2);
const args = rest.length > 0 ? rest : ["--all"];
// "fleet" is generated: 1,000 instances in 10 VPCs with 5 roles (FLEET=20000x50 for another size). FAKE_LATENCY_MS
// adds latency to every answer.
const latencyMs = Number(process.env.FAKE_LATENCY_MS ?? 0);
const [instances = 1000, vpcs = 10] = (process.env.FLEET ?? "1000x10").split("x").map(Number);
const fake = await startFakeAws(scenario === "fleet" ? expandScenario(fleetSpec(instances, vpcs, 5), lookupAwsManagedPolicy) : scenario, {
  latencyMs,
});
process.stderr.write(`fake AWS endpoint for scenario ${scenario} on ${fake.url} (AWS_ENDPOINT_URL)\n`);
process.stderr.write(`$ ssm-doctor check ${args.join(" ")}\n\n`);
const bin = join(import.meta.dirname, "../../bin/ssm-doctor.js");
const start = process.hrtime.bigint();
const child = spawn(process.execPath, [bin, "check", ...args], { env: { ...process.env, ...fakeEnv(fake) }, stdio: "inherit" });
const code: number = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 2)));
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
const byOp = new Map<string, number>();
for (const c of fake.calls) byOp.set(c.action, (byOp.get(c.action) ?? 0) + 1);
process.stderr.write(
  `\nexit code ${code}; check took ${wallMs.toFixed(0)} ms; ${fake.calls.length} AWS calls (${[...byOp].map(([k, v]) => `${k} ×${v}`).join(", ")})\n`,
);
await fake.close();
