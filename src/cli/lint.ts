/** `ssm-doctor lint`: static checks of templates, cdk.out and plans. */
import type { Command } from "commander";
import { RULES } from "../../rules/index.js";
import { runRules } from "../engine/run.js";
import { Timings, timed, timedAsync } from "../model/index.js";
import { inputText } from "../report/text.js";
import { type LoadedWorld, sources } from "../sources/index.js";
import { ExitError, usageFailure } from "./common.js";
import { CONFIG_FILE } from "./config.js";
import { compareWithBaseline } from "./diff.js";
import { collectInputs, readStdin, SKIPPED_FOLDERS, type Skipped } from "./inputs.js";
import { addLintOptions, type LintOptions, lintSetup } from "./lint-options.js";
import { addOutputOptions, writeReports } from "./output.js";

async function lint(paths: string[], opts: LintOptions): Promise<number> {
  if (paths.filter((p) => p === "-").length > 1) usageFailure("- (standard input) can be given once");
  const clock = opts.timings ? new Timings() : undefined;
  clock?.add("start-up", performance.now());
  const { config, engine, load, configPath } = await lintSetup(opts, clock);
  const stdin = paths.includes("-") ? await readStdin() : undefined;
  const { inputs, skipped, skippedFolders } = await timedAsync(clock, "read", () =>
    collectInputs(paths, { skipPaths: opts.skipPath ?? [], ...(stdin !== undefined ? { stdin } : {}) }),
  );
  if (!opts.quiet) reportSkipped(skipped, skippedFolders);
  const worlds = await sources.loadWorlds(inputs, load);
  const parameters = load.parameters;
  if (process.stderr.isTTY && worlds.length > 20 && !opts.quiet) process.stderr.write(`linting ${worlds.length} inputs…\n`);
  refuseUndeclaredParameters(parameters, worlds);
  const results = worlds.map(({ file, world }) => ({ file, result: runRules(world, RULES, engine) }));

  const read = [
    ...inputs.map((i) => i.file),
    ...worlds.map((w) => w.file),
    ...(opts.parameters ?? []),
    ...(configPath ? [configPath] : []),
  ];
  const code = timed(clock, "report", () =>
    writeReports(results, opts, {
      rules: RULES,
      failOn: config.failOn,
      inputs: read,
      ...(configPath ? { configFile: configPath } : {}),
    }),
  );
  if (clock) process.stderr.write(clock.format());
  return code;
}

/** A parameter no CloudFormation template declares would be ignored silently (CloudFormation itself refuses it). */
function refuseUndeclaredParameters(parameters: Record<string, string>, worlds: LoadedWorld[]): void {
  const given = Object.keys(parameters);
  if (given.length === 0) return;
  const templates = worlds.filter((w) => w.world.source === "cloudformation");
  const declared = [...new Set(templates.flatMap((w) => w.world.parameters ?? []))].sort();
  const missing = given.filter((k) => !declared.includes(k));
  if (missing.length === 0) return;
  if (templates.length === 0)
    usageFailure(`--parameters ${missing.join(", ")}: parameters are for CloudFormation templates, and none is linted`);
  usageFailure(
    `--parameters ${missing.join(", ")}: not declared by ${templates.length === 1 ? "the template" : "any template"}; ${declared.length > 0 ? `its parameters: ${declared.join(", ")}` : "it declares no parameters"}`,
  );
}

/** What a folder held that was not linted: on stderr, one line each, never failing the run. */
function reportSkipped(skipped: Skipped[], folders: string[]): void {
  if (folders.length > 0)
    process.stderr.write(
      `ssm-doctor: skipped ${folders.length === 1 ? "folder" : "folders"} ${folders.map((f) => inputText(f)).join(", ")} (${SKIPPED_FOLDERS.join(", ")} and hidden folders are not searched; name a file in them to lint it)\n`,
    );
  for (const s of skipped) process.stderr.write(`ssm-doctor: skipped ${inputText(s.path)}: ${inputText(s.why)}\n`);
}

export function registerLint(program: Command): void {
  addLintOptions(addOutputOptions(program.command("lint")))
    .summary("check CloudFormation templates, a cdk.out directory or a Terraform plan before deploy")
    .description(
      "Check CloudFormation templates (YAML or JSON), a CDK cdk.out directory, a Terraform plan " +
        "(terraform show -json tfplan > plan.json) or a Terraform configuration (a folder of .tf files) before deploy. " +
        "Each instance, launch template or Auto Scaling group gets a checklist of the five prerequisites; " +
        "each problem names the resource and line, the evidence, and the fix.",
    )
    .argument(
      "<paths...>",
      "template files, Terraform plan JSON, folders of .tf files, directories of them, cdk.out, quoted globs ('templates/**/*.yaml'), or - for standard input",
    )
    .option(
      "--baseline <path>",
      "the same input before the change (base branch file, base plan, folder or cdk.out): only new findings fail (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addHelpText(
      "after",
      `
Examples:
  ssm-doctor lint template.yaml
  ssm-doctor lint template.yaml --region eu-west-1 --parameters VpcCidr=10.1.0.0/16
  ssm-doctor lint 'templates/**/*.yaml' --skip-path legacy       # a quoted glob; skip every folder named legacy
  ssm-doctor lint cdk.out/ --format json --output ssm-doctor.json
  terraform show -json tfplan > plan.json && ssm-doctor lint plan.json --tf-root .
  ssm-doctor lint infra/ --var subnet_id=subnet-0abc --var-file prod.tfvars   # .tf files, no plan
  terraform show -json tfplan | ssm-doctor lint -                # standard input, named <stdin> in reports
  ssm-doctor lint templates/ --check SD301,SD303 --fail-on warning
  ssm-doctor lint templates/ --format sarif --output ssm-doctor.sarif --format human
  git show origin/main:template.yaml > base.yaml && ssm-doctor lint template.yaml --baseline base.yaml
  SSM_DOCTOR_FAIL_ON=warning ssm-doctor lint templates/      # options from the environment

Options can also come from SSM_DOCTOR_* environment variables (shown beside each option; SSM_DOCTOR_QUIET=1
for -q): the command line wins over them, and they win over ${CONFIG_FILE}.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input or usage.
Unknown verdicts (values this input cannot decide) are notes and never fail the run unless --strict.`,
    )
    .action(async (paths: string[], opts: LintOptions) => {
      if (opts.baseline && paths.includes("-"))
        usageFailure("--baseline compares files or folders: give the changed input as a file, not -");
      throw new ExitError(opts.baseline ? await compareWithBaseline(opts.baseline, paths, opts) : await lint(paths, opts));
    });
}
