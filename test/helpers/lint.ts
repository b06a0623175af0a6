/** Lint a CloudFormation file in-process, as the CLI does. */
import { readFileSync } from "node:fs";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, type Finding, type RunResult, runRules } from "../../src/engine/run.js";
import { type DhmcSetting, unknown, type Value } from "../../src/model/index.js";
import { loadCloudFormation } from "../../src/sources/cloudformation/index.js";

export interface LintFileOptions extends EngineOptions {
  region?: string;
  parameters?: Record<string, string>;
  dhmc?: Value<DhmcSetting>;
}

export function lintFile(file: string, options: LintFileOptions = {}): RunResult {
  const text = readFileSync(file, "utf8");
  return lintText(file, text, options);
}

export function lintText(file: string, text: string, options: LintFileOptions = {}): RunResult {
  const dhmc = options.dhmc ?? unknown("outside", "static input cannot see DHMC");
  const world = loadCloudFormation(file, text, {
    ...(options.region ? { region: options.region } : {}),
    ...(options.parameters ? { parameters: options.parameters } : {}),
    dhmc,
  });
  return runRules(world, RULES, { today: "2026-01-01", ...options });
}

/** `# expect: SD301, SD303` comments → "SD301@12" strings. */
export function expectedFromComments(text: string): string[] {
  const out: string[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /#\s*expect:\s*([A-Z0-9, ]+)/.exec(line);
    if (!m) return;
    for (const id of m[1]!.split(/[ ,]+/).filter(Boolean)) out.push(`${id}@${i + 1}`);
  });
  return out.sort();
}

/** Failing (error/warning) unsuppressed findings as "SD301@12". */
export function actualFindings(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.verdict === "fail" && !f.suppression)
    .map((f) => `${f.ruleId}@${f.location.region?.startLine ?? 0}`)
    .sort();
}
