/**
 * Every Terraform fixture's main.tf, read without a plan, gives exactly the findings its plan gives:
 * verdict, rule, subject, and the .tf file and line of the location. (Each fixture's plan was made from
 * that main.tf with a loopback fake of the three AWS answers a plan needs, so nothing in these plans is
 * known only to the plan; the corpus test shows where a configuration alone knows less.)
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../../rules/index.js";
import type { Finding } from "../../../src/engine/run.js";
import { runRules } from "../../../src/engine/run.js";
import { unknown } from "../../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../../src/sources/terraform-config/load.js";
import { lintPlan } from "../../helpers/terraform.js";

const ROOT = "fixtures/terraform";
const dhmc = unknown("outside", "static input cannot see DHMC");

function lintConfiguration(dir: string) {
  const world = loadTerraformConfiguration(dir, { dhmc });
  return runRules(world, RULES, { today: "2026-01-01" });
}

const summary = (findings: Finding[]) =>
  findings
    .map(
      (f) =>
        `${f.verdict} ${f.ruleId} ${f.subject.key} ${f.location.file}:${f.location.region?.startLine ?? "?"}${f.suppression ? " suppressed" : ""}`,
    )
    .sort();

beforeAll(async () => {
  await initHclParser();
});

describe("a configuration gives the findings of its plan", () => {
  for (const name of readdirSync(ROOT).sort()) {
    it(name, () => {
      const dir = join(ROOT, name);
      const fromPlan = summary(lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir }).findings);
      const fromConfig = summary(lintConfiguration(dir).findings);
      expect(fromConfig).toEqual(fromPlan);
    });
  }
});
