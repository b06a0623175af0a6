/** `ssm-doctor lint`: static checks of templates, cdk.out and plans. */
import { type Command, Option } from "commander";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, runRules } from "../engine/run.js";
import { dhmcStated, Timings, timed } from "../model/index.js";
import { inputText } from "../report/text.js";
import { isCloudFormationText } from "../sources/cloudformation/index.js";
import { type LoadedWorld, type LoadOptions, loadWorlds } from "../sources/load.js";
import { collect, ExitError, readConfigFile, usageFailure } from "./common.js";
import { CONFIG_FILE, hubsOf, suppressionsOf, validateFlags } from "./config.js";
import { compareWithBaseline } from "./diff.js";
import { collectInputs, parseParameters, readStdin, SKIPPED_FOLDERS, SKIPPED_FOLDERS_TEXT, type Skipped } from "./inputs.js";
import { addOutputOptions, type OutputOptions, writeReports } from "./output.js";
import { addRuleSelectionOptions, type RuleSelectionOptions, selectRules } from "./rule-selection.js";

export interface LintOptions extends OutputOptions, RuleSelectionOptions {
  parameters?: string[];
  skipPath?: string[];
  region?: string;
  agentVersion?: string;
  config?: string;
  dhmc?: "enabled" | "disabled";
  tfRoot?: string;
  var?: string[];
  varFile?: string[];
  /** --baseline: the base's inputs; only what the change makes worse fails the run. */
  baseline?: string[];
}

/** What lint and diff share: the configuration, the engine options, and how inputs become worlds. */
export function lintSetup(opts: LintOptions, clock?: Timings) {
  validateFlags({ region: opts.region, agentVersion: opts.agentVersion });
  const { config, file: configFile, path: configPath } = readConfigFile(opts.config, opts.verbose);
  const region = opts.region ?? config.region;
  const agentVersion = opts.agentVersion ?? config.agentVersion;
  const dhmc = dhmcStated(opts.dhmc ?? config.dhmc);
  const parameters = parseParameters(opts.parameters ?? []);
  const suppressions = suppressionsOf(config);
  const severities = selectRules(config.severity, opts);
  const engine: EngineOptions = {
    ...(severities ? { severities } : {}),
    ...(config.hubs ? { hubs: hubsOf(config, configFile ?? CONFIG_FILE) } : {}),
    suppressions,
    ...(clock ? { timings: clock } : {}),
  };
  const load: LoadOptions = {
    parameters,
    ...(region ? { region } : {}),
    ...(dhmc ? { dhmc } : {}),
    ...(agentVersion ? { agentVersion } : {}),
    ...(opts.tfRoot ? { tfRoot: opts.tfRoot } : {}),
    vars: opts.var ?? [],
    varFiles: opts.varFile ?? [],
    ...(clock ? { timings: clock } : {}),
  };
  return { config, engine, load, ...(configPath ? { configPath } : {}) };
}

async function lint(paths: string[], opts: LintOptions): Promise<number> {
  if (paths.filter((p) => p === "-").length > 1) usageFailure("- (standard input) can be given once");
  const clock = opts.timings ? new Timings() : undefined;
  clock?.add("start-up", performance.now());
  const { config, engine, load, configPath } = lintSetup(opts, clock);
  const stdin = paths.includes("-") ? await readStdin() : undefined;
  const { inputs, skipped, skippedFolders } = timed(clock, "read", () =>
    collectInputs(paths, isCloudFormationText, { skipPaths: opts.skipPath ?? [], ...(stdin !== undefined ? { stdin } : {}) }),
  );
  if (!opts.quiet) reportSkipped(skipped, skippedFolders);
  const worlds = await loadWorlds(inputs, load);
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

/** The options that decide what lint finds (shared with diff). */
export function addLintOptions(command: Command): Command {
  return addRuleSelectionOptions(command)
    .addOption(
      new Option("-p, --parameters <K=V|file>", "CloudFormation parameter value or a JSON parameters file (repeatable)").argParser(collect),
    )
    .addOption(new Option("-r, --region <region>", "the region the template deploys to (decides ${AWS::Region})").env("SSM_DOCTOR_REGION"))
    .addOption(
      new Option("--agent-version <version>", "assume this SSM Agent version (default: the latest known)").env("SSM_DOCTOR_AGENT_VERSION"),
    )
    .addOption(
      new Option("--dhmc <state>", "whether Default Host Management Configuration is on in the account")
        .choices(["enabled", "disabled"])
        .env("SSM_DOCTOR_DHMC"),
    )
    .addOption(
      new Option("--tf-root <dir>", "Terraform: the directory of the .tf files the plan came from (findings point at .tf lines)").env(
        "SSM_DOCTOR_TF_ROOT",
      ),
    )
    .addOption(
      new Option("--var <name=value>", "Terraform configuration: a root variable's value, as terraform -var (repeatable)").argParser(
        collect,
      ),
    )
    .addOption(
      new Option("--var-file <file>", "Terraform configuration: a .tfvars file, as terraform -var-file (repeatable)").argParser(collect),
    )
    .addOption(
      new Option(
        "--skip-path <glob>",
        `in folders and globs, skip files and folders matching this glob (repeatable); always skipped: ${SKIPPED_FOLDERS_TEXT}`,
      ).argParser(collect),
    )
    .addOption(
      new Option("-c, --config <file>", `configuration file (default: ${CONFIG_FILE} found upward from here to the repository root)`).env(
        "SSM_DOCTOR_CONFIG",
      ),
    );
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
