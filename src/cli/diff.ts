/**
 * `ssm-doctor diff OLD NEW` and `lint NEW --baseline OLD`: lint both, match instances and findings, and
 * report what the change makes worse. Only a new finding at or above --fail-on fails the run.
 */
import { statSync } from "node:fs";
import { basename, relative } from "node:path";
import type { Command } from "commander";
import { RULES } from "../../rules/index.js";
import { compareRuns, type FileBaseline, pairFiles } from "../engine/baseline.js";
import { type RunResult, runRules } from "../engine/run.js";
import type { FileResult } from "../report/index.js";
import { sources } from "../sources/index.js";
import { ExitError } from "./common.js";
import { collectInputs, readText } from "./inputs.js";
import { addLintOptions, type LintOptions, lintSetup } from "./lint-options.js";
import { addOutputOptions, writeReports } from "./output.js";

interface NamedResult {
  name: string;
  file: string;
  /** The source that read it, which compares its versions. */
  kind: string;
  result: RunResult;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Lint each argument; name each file by its place inside the argument (a folder, a cdk.out) for pairing. */
async function lintNamed(paths: string[], setup: Awaited<ReturnType<typeof lintSetup>>): Promise<NamedResult[]> {
  const out: NamedResult[] = [];
  for (const path of paths) {
    const worlds = await sources.loadWorlds((await collectInputs([path])).inputs, setup.load);
    for (const { file, kind, world } of worlds) {
      const name = isFile(path) ? basename(path) : relative(path, file).split("\\").join("/");
      out.push({ name, file, kind, result: runRules(world, RULES, setup.engine) });
    }
  }
  return out;
}

/** A base file the change removed: its findings are all absent. */
function removedInput(base: NamedResult): FileResult {
  const baseline: FileBaseline = {
    baselineFile: base.file,
    states: new Map(),
    absent: base.result.findings,
    ...(base.result.world.locate ? { absentLocate: base.result.world.locate } : {}),
    causes: new Map(),
    hopBreaks: [],
    instances: base.result.instances.map((i) => ({ key: i.key, name: i.name, before: i.status })),
    notes: ["the change removes this input"],
  };
  return { file: base.file, result: { ...base.result, findings: [], instances: [], notes: [], expiredSuppressions: [] }, baseline };
}

export async function compareWithBaseline(basePaths: string[], changePaths: string[], opts: LintOptions): Promise<number> {
  const setup = await lintSetup(opts);
  sources.retainSourceDocuments(true);
  const base = await lintNamed(basePaths, setup);
  const change = await lintNamed(changePaths, setup);
  const files: FileResult[] = [];
  for (const pair of pairFiles(base, change)) {
    if (!pair.change) {
      files.push(removedInput(pair.base!));
      continue;
    }
    const kind = pair.change.result.world.source;
    // Two files of the same kind (a Terraform configuration is a folder: its findings are matched, its changes not read).
    const comparison =
      pair.base && pair.base.result.world.source === kind && isFile(pair.base.file) && isFile(pair.change.file)
        ? await sources.compareInputs(
            pair.change.kind,
            { file: pair.base.file, text: readText(pair.base.file) },
            { file: pair.change.file, text: readText(pair.change.file) },
          )
        : undefined;
    files.push({ file: pair.change.file, result: pair.change.result, baseline: compareRuns(pair.base, pair.change, comparison) });
  }
  sources.retainSourceDocuments(false);
  return writeReports(files, opts, { rules: RULES, failOn: setup.config.failOn });
}

export function registerDiff(program: Command): void {
  addLintOptions(addOutputOptions(program.command("diff")))
    .summary("what a change breaks: lint the input before and after, report new, fixed and unchanged findings")
    .description(
      "Lint OLD (the base: a template, plan, folder or cdk.out) and NEW (the same after the change), match\n" +
        "instances and findings, and report each finding as new, unchanged, updated or absent (fixed).\n" +
        "Beside each new finding: the change that caused it (security group, IAM and network changes).",
    )
    .argument("<old>", "the input before the change")
    .argument("<new>", "the input after the change")
    .addHelpText(
      "after",
      `
Examples:
  git show origin/main:template.yaml > base.yaml && ssm-doctor diff base.yaml template.yaml
  ssm-doctor diff base-plan.json plan.json --format markdown=summary.md
  ssm-doctor diff cdk.out.base/ cdk.out/ --format sarif=ssm-doctor.sarif

Exit codes: 0 no new finding at or above --fail-on (fixed and unchanged ones never fail), 1 a new one,
2 bad input or usage.`,
    )
    .action(async (oldPath: string, newPath: string, opts: LintOptions) => {
      throw new ExitError(await compareWithBaseline([oldPath], [newPath], opts));
    });
}
