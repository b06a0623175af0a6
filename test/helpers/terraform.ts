/** Lint a Terraform plan (or a configuration's text) in-process, as the CLI does. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, type Finding, type RunResult, runRules } from "../../src/engine/run.js";
import { type DhmcSetting, unknown, type Value } from "../../src/model/index.js";
import { loadTerraformPlan } from "../../src/sources/terraform/load.js";
import { loadTerraformConfiguration } from "../../src/sources/terraform-config/load.js";

export interface LintPlanOptions extends EngineOptions {
  region?: string;
  dhmc?: Value<DhmcSetting>;
  tfRoot?: string;
  cwd?: string;
}

export function lintPlan(file: string, options: LintPlanOptions = {}): RunResult {
  return lintPlanText(file, readFileSync(file, "utf8"), options);
}

export function lintPlanText(file: string, text: string, options: LintPlanOptions = {}): RunResult {
  const world = loadTerraformPlan(file, text, {
    ...(options.region ? { region: options.region } : {}),
    dhmc: options.dhmc ?? unknown("outside", "static input cannot see DHMC"),
    ...(options.tfRoot !== undefined ? { tfRoot: options.tfRoot } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  return runRules(world, RULES, { today: "2026-01-01", ...options });
}

/** Failing (error, warning, note-severity) unsuppressed findings as "SD302 aws_security_group.x". */
export function failing(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.verdict === "fail" && !f.suppression)
    .map((f) => `${f.ruleId} ${f.subject.key}`)
    .sort();
}

/**
 * Lint one main.tf text as a configuration without a plan, in a directory of its own (the test run's TMPDIR). The
 * caller initialises the HCL parser first (initHclParser in a beforeAll).
 */
export function lintConfigurationText(text: string): RunResult {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-config-"));
  writeFileSync(join(dir, "main.tf"), text);
  return runRules(loadTerraformConfiguration(dir, { dhmc: unknown("outside", "static input cannot see DHMC") }), RULES, {
    today: "2026-01-01",
  });
}
