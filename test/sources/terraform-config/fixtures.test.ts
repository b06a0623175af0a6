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

describe("a data source's attribute that the configuration refers to", () => {
  // Its data source is read when Terraform plans: without a plan the attribute is not known, and says so (not
  // "read at apply", as a plan would say, nor "not a subnet" for an attribute the .tf does not set, such as ids).
  it.each([
    ["acl-subnets-from-data-source", "SD304", "ids of data.aws_subnets.private is read from the account when Terraform plans"],
    ["route-table-subnet-from-data-source", "SD201", "id of data.aws_subnet.isolated is read from the account when Terraform plans"],
  ])("%s: the unknown %s names when the data source is read", (name, rule, said) => {
    const finding = lintConfiguration(join(ROOT, name)).findings.find((f) => f.ruleId === rule);
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain(said);
    expect(JSON.stringify(finding)).toContain("run terraform plan and lint the plan JSON");
  });
});
