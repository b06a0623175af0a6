/**
 * aws_ec2_instance_state: a stopped instance runs no agent (SD101); before, the resource was not read and the
 * instance passed. A state the configuration leaves open is unknown, never a pass.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initHclParser } from "../../src/sources/terraform-config/load.js";
import { lintConfigurationText as lintConfiguration, lintPlan } from "../helpers/terraform.js";

const FIXTURE = join(import.meta.dirname, "../../fixtures/terraform/instance-state-stopped");

beforeAll(async () => {
  await initHclParser();
});

describe("aws_ec2_instance_state", () => {
  it("stopped: SD101 fails on the state line, in the plan", () => {
    const result = lintPlan(join(FIXTURE, "plan.json"), { tfRoot: FIXTURE });
    expect(result.findings.map((f) => [f.ruleId, f.messageId, f.location.region?.startLine])).toEqual([["SD101", "notRunning", 108]]);
    expect(result.instances.map((i) => i.status)).toEqual(["fail"]);
  });

  it("a state from a variable without a value is unknown; running changes nothing", () => {
    const text = readFileSync(join(FIXTURE, "main.tf"), "utf8");
    const open = lintConfiguration(
      `${text.replace('state       = "stopped"', "state       = var.power")}\nvariable "power" {\n  type = string\n}\n`,
    );
    expect(open.findings.filter((f) => f.ruleId === "SD101").map((f) => [f.messageId, f.verdict])).toEqual([["unknownState", "unknown"]]);
    expect(open.instances.map((i) => i.status)).toEqual(["unknown"]);
    const running = lintConfiguration(text.replace('state       = "stopped"', 'state       = "running"'));
    expect(running.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
