/**
 * Command-line values checked by the configuration's own zod schema, through the built CLI: regions against
 * the partition data the AWS SDK ships (with the closest known region), agent versions, rule ids in the
 * configuration, and --parameters against what the template declares.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without types
import { extractRegions } from "../../scripts/extract-regions.mjs";
import { closestRegion, isKnownRegion } from "../../src/cli/regions.js";
import regions from "../../src/data/aws-regions.json" with { type: "json" };

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const GOOD = "fixtures/cloudformation/seed-000/good.yaml";

function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("--region", () => {
  it("is checked against the SDK's partition data, naming the closest known region", () => {
    const mars = run(["lint", GOOD, "--region", "mars-north-9"]);
    expect(mars.code).toBe(2);
    expect(mars.stderr).toBe("ssm-doctor: --region mars-north-9: not a known AWS region (closest: eu-north-1)\n");
    expect(mars.stdout).toBe("");
    const upper = run(["lint", GOOD, "--region", "EU-WEST-1"]);
    expect(upper.code).toBe(2);
    expect(upper.stderr).toBe("ssm-doctor: --region EU-WEST-1: not a known AWS region (closest: eu-west-1)\n");
    expect(run(["lint", GOOD, "--region", "eu-west-1"]).code).toBe(0);
    expect(run(["lint", GOOD, "--region", "cn-north-1"]).code).toBe(0);
  });

  it("check refuses it the same way, before reading any account", () => {
    const r = run(["check", "--instance", "i-0123456789abcdef0", "--region", "EU-WEST-1", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ssm-doctor: --region EU-WEST-1: not a known AWS region (closest: eu-west-1)\n");
  });

  it("a bad value from SSM_DOCTOR_REGION names the variable, for lint and check; the flag wins over it", () => {
    const env = { SSM_DOCTOR_REGION: "eu-west-x" };
    const lint = run(["lint", GOOD], ROOT, env);
    expect(lint.code).toBe(2);
    expect(lint.stderr).toBe('ssm-doctor: SSM_DOCTOR_REGION="eu-west-x": not a known AWS region (closest: eu-west-1)\n');
    const check = run(["check", "--instance", "i-0123456789abcdef0", "--endpoint-url", "http://127.0.0.1:9"], ROOT, env);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(lint.stderr);
    expect(run(["lint", GOOD, "--region", "eu-west-1"], ROOT, env).code).toBe(0);
  });

  it("the configuration's region is checked by the same schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-values-"));
    writeFileSync(join(dir, "t.yaml"), readFileSync(join(ROOT, GOOD)));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "region: mars-north-9\n");
    const r = run(["lint", "t.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ssm-doctor: \.ssm-doctor\.yaml: invalid configuration at region: not a known AWS region \(closest: eu-north-1\)/,
    );
  });

  it("the committed region list is the installed SDK's", async () => {
    expect(await extractRegions()).toEqual(regions);
    expect(isKnownRegion("us-gov-west-1")).toBe(true);
    expect(isKnownRegion("aws-global")).toBe(false);
    expect(closestRegion(" US-EAST-1 ")).toBe("us-east-1");
  });
});

describe("other values", () => {
  it("--agent-version must be a version", () => {
    const r = run(["lint", GOOD, "--agent-version", "banana"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ssm-doctor: --agent-version banana: expected an SSM Agent version such as 3.3.40.0\n");
    expect(run(["lint", GOOD, "--agent-version", "3.3.40.0"]).code).toBe(0);
    const fromEnv = run(["lint", GOOD], ROOT, { SSM_DOCTOR_AGENT_VERSION: "banana\x1b[31m" });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toBe(
      'ssm-doctor: SSM_DOCTOR_AGENT_VERSION="banana\\u001b[31m": expected an SSM Agent version such as 3.3.40.0\n',
    );
  });

  it("a configuration ignore or severity entry must name a rule that exists", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-values-"));
    writeFileSync(join(dir, "t.yaml"), readFileSync(join(ROOT, GOOD)));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "ignore:\n  - id: SD999\n    reason: a rule that does not exist\n");
    const ignore = run(["lint", "t.yaml"], dir);
    expect(ignore.code).toBe(2);
    expect(ignore.stderr).toMatch(/invalid configuration at ignore\.0\.id: no rule named SD999; run 'ssm-doctor rules' for the list/);
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "severity:\n  SD998: off\n");
    const severity = run(["lint", "t.yaml"], dir);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/invalid configuration at severity\.SD998: no rule named SD998/);
  });

  it("--parameters may name only parameters the template declares", () => {
    const r = run(["lint", GOOD, "-p", "NoSuchParam=1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "ssm-doctor: --parameters NoSuchParam: not declared by the template; its parameters: pCidr, pInstanceType, pLatestAmiId\n",
    );
    expect(run(["lint", GOOD, "-p", "pCidr=10.0.0.0/16"]).code).toBe(0);
    const plan = run(["lint", "fixtures/terraform/good-nat-gateway/plan.json", "-p", "X=1"]);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toBe("ssm-doctor: --parameters X: parameters are for CloudFormation templates, and none is linted\n");
  });
});
