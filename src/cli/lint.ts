/** `ssm-doctor lint`: static checks of templates, cdk.out and plans. */
import { type Command, Option } from "commander";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, runRules } from "../engine/run.js";
import { Timings, timed, unknown } from "../model/index.js";
import { isCloudFormationText } from "../sources/cloudformation/index.js";
import { type LoadOptions, loadWorlds } from "../sources/load.js";
import { collect, dhmcValue, ExitError, readConfigFile } from "./common.js";
import { CONFIG_FILE, hubsOf, suppressionsOf } from "./config.js";
import { compareWithBaseline } from "./diff.js";
import { collectInputs, parseParameters } from "./inputs.js";
import { addOutputOptions, type OutputOptions, writeReports } from "./output.js";

export interface LintOptions extends OutputOptions {
  parameters: string[];
  region?: string;
  agentVersion?: string;
  config?: string;
  dhmc?: "enabled" | "disabled";
  tfRoot?: string;
  var: string[];
  varFile: string[];
  /** --baseline: the base's inputs; only what the change makes worse fails the run. */
  baseline?: string[];
}

/** What lint and diff share: the configuration, the engine options, and how inputs become worlds. */
export function lintSetup(opts: LintOptions, clock?: Timings) {
  const { config, file: configFile } = readConfigFile(opts.config);
  const region = opts.region ?? config.region;
  const agentVersion = opts.agentVersion ?? config.agentVersion;
  const dhmc =
    dhmcValue(opts.dhmc ?? config.dhmc) ??
    unknown(
      "outside",
      "static input cannot see the account's Default Host Management Configuration",
      `set dhmc: enabled|disabled in ${CONFIG_FILE}`,
    );
  const parameters = parseParameters(opts.parameters);
  const suppressions = suppressionsOf(config);
  const engine: EngineOptions = {
    ...(agentVersion ? { agentVersion } : {}),
    ...(config.severity ? { severities: config.severity } : {}),
    ...(config.hubs ? { hubs: hubsOf(config, configFile ?? CONFIG_FILE) } : {}),
    suppressions,
    ...(clock ? { timings: clock } : {}),
  };
  const load: LoadOptions = {
    parameters,
    dhmc,
    ...(region ? { region } : {}),
    ...(opts.tfRoot ? { tfRoot: opts.tfRoot } : {}),
    vars: opts.var,
    varFiles: opts.varFile,
    ...(clock ? { timings: clock } : {}),
  };
  return { config, engine, load };
}

async function lint(paths: string[], opts: LintOptions): Promise<number> {
  const clock = opts.timings ? new Timings() : undefined;
  clock?.add("start-up", performance.now());
  const { config, engine, load } = lintSetup(opts, clock);
  const inputs = timed(clock, "read", () => collectInputs(paths, isCloudFormationText));
  const worlds = await loadWorlds(inputs, load);
  if (process.stderr.isTTY && worlds.length > 20 && !opts.quiet) process.stderr.write(`linting ${worlds.length} inputs…\n`);
  const results = worlds.map(({ file, world }) => ({ file, result: runRules(world, RULES, engine) }));

  const code = timed(clock, "report", () => writeReports(results, opts, { rules: RULES, failOn: config.failOn }));
  if (clock) process.stderr.write(clock.format());
  return code;
}

/** The options that decide what lint finds (shared with diff). */
export function addLintOptions(command: Command): Command {
  return command
    .option("-p, --parameters <K=V|file>", "CloudFormation parameter value or a JSON parameters file (repeatable)", collect, [])
    .option("-r, --region <region>", "the region the template deploys to (decides ${AWS::Region})")
    .option("--agent-version <version>", "assume this SSM Agent version (default: the latest known)")
    .addOption(
      new Option("--dhmc <state>", "whether Default Host Management Configuration is on in the account").choices(["enabled", "disabled"]),
    )
    .option("--tf-root <dir>", "Terraform: the directory of the .tf files the plan came from (findings point at .tf lines)")
    .option("--var <name=value>", "Terraform configuration: a root variable's value, as terraform -var (repeatable)", collect, [])
    .option("--var-file <file>", "Terraform configuration: a .tfvars file, as terraform -var-file (repeatable)", collect, [])
    .option("-c, --config <file>", `configuration file (default: ${CONFIG_FILE} found upward from here)`);
}

export function registerLint(program: Command): void {
  addLintOptions(addOutputOptions(program.command("lint")))
    .summary("check CloudFormation templates, a cdk.out directory or a Terraform plan before deploy")
    .description(
      "Check CloudFormation templates (YAML or JSON), a CDK cdk.out directory, a Terraform plan\n" +
        "(terraform show -json tfplan > plan.json) or a Terraform configuration (a folder of .tf files) before deploy.\n" +
        "Each instance, launch template or Auto Scaling group gets a checklist of the five prerequisites;\n" +
        "each problem names the resource and line, the evidence, and the fix.",
    )
    .argument("<paths...>", "template files, Terraform plan JSON, folders of .tf files, directories of them, or cdk.out")
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
  ssm-doctor lint cdk.out/ --format json --output ssm-doctor.json
  terraform show -json tfplan > plan.json && ssm-doctor lint plan.json --tf-root .
  ssm-doctor lint infra/ --var subnet_id=subnet-0abc --var-file prod.tfvars   # .tf files, no plan
  ssm-doctor lint templates/ --format sarif --output ssm-doctor.sarif --format human
  ssm-doctor lint templates/ --format github --format markdown=summary.md
  git show origin/main:template.yaml > base.yaml && ssm-doctor lint template.yaml --baseline base.yaml

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input or usage.
Unknown verdicts (values this input cannot decide) are notes and never fail the run unless --strict.`,
    )
    .action(async (paths: string[], opts: LintOptions) => {
      throw new ExitError(opts.baseline ? await compareWithBaseline(opts.baseline, paths, opts) : await lint(paths, opts));
    });
}
