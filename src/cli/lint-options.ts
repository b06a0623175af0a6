/** What `lint` and `diff` share: their options, and the configuration, engine and load options they make of them. */
import { type Command, Option } from "commander";
import type { EngineOptions } from "../engine/run.js";
import { dhmcStated, type Timings } from "../model/index.js";
import type { LoadOptions } from "../sources/index.js";
import { collect, readConfigFile } from "./common.js";
import { CONFIG_FILE, hubsOf, suppressionsOf } from "./config.js";
import { parseParameters, SKIPPED_FOLDERS_TEXT } from "./inputs.js";
import type { OutputOptions } from "./output.js";
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
export async function lintSetup(opts: LintOptions, clock?: Timings) {
  const { config, file: configFile, path: configPath } = await readConfigFile(opts.config, opts.verbose);
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
