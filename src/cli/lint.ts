/** `ssm-doctor lint`: static checks of templates, cdk.out and plans. */
import { type Command, Option } from "commander";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, type FailOn, runRules, type SuppressionEntry, shouldFail } from "../engine/run.js";
import { unknown } from "../model/index.js";
import { FORMATS, type Format, render } from "../report/index.js";
import { isCloudFormationText } from "../sources/cloudformation/index.js";
import { loadWorlds } from "../sources/load.js";
import { collect, dhmcValue, ExitError, readConfig, TOOL, useColor, writeOutput } from "./common.js";
import { CONFIG_FILE } from "./config.js";
import { collectInputs, parseParameters } from "./inputs.js";

interface LintOptions {
  format: Format;
  output?: string;
  failOn?: FailOn;
  strict?: boolean;
  parameters: string[];
  region?: string;
  agentVersion?: string;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  dhmc?: "enabled" | "disabled";
}

function lint(paths: string[], opts: LintOptions): number {
  const config = readConfig(opts.config);
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
  const suppressions: SuppressionEntry[] = (config.ignore ?? []).map((i) => ({
    ruleId: i.id,
    reason: i.reason,
    source: CONFIG_FILE,
    ...(i.resource ? { resource: i.resource } : {}),
    ...(i.expires ? { expires: i.expires } : {}),
  }));
  const engine: EngineOptions = {
    ...(agentVersion ? { agentVersion } : {}),
    ...(config.severity ? { severities: config.severity } : {}),
    suppressions,
  };

  const inputs = collectInputs(paths, isCloudFormationText);
  const worlds = loadWorlds(inputs, { parameters, dhmc, ...(region ? { region } : {}) });
  if (process.stderr.isTTY && worlds.length > 20 && !opts.quiet) process.stderr.write(`linting ${worlds.length} inputs…\n`);
  const results = worlds.map(({ file, world }) => ({ file, result: runRules(world, RULES, engine) }));

  const text = render(opts.format, results, {
    rules: RULES,
    tool: TOOL,
    color: !opts.output && useColor(process.stdout, opts.color),
    quiet: opts.quiet ?? false,
    verbose: opts.verbose ?? false,
  });
  if (opts.output) writeOutput(opts.output, text);
  else process.stdout.write(text);
  const failOn = opts.failOn ?? config.failOn ?? "error";
  return shouldFail(
    results.flatMap((r) => r.result.findings),
    failOn,
    opts.strict ?? false,
  )
    ? 1
    : 0;
}

export function registerLint(program: Command): void {
  program
    .command("lint")
    .summary("check CloudFormation templates or a cdk.out directory before deploy")
    .description(
      "Check CloudFormation templates (YAML or JSON) or a CDK cdk.out directory before deploy.\n" +
        "Each instance, launch template or Auto Scaling group gets a checklist of the five prerequisites;\n" +
        "each problem names the resource and line, the evidence, and the fix.",
    )
    .argument("<paths...>", "template files, directories of templates, or cdk.out")
    .addOption(new Option("-f, --format <format>", "output format").choices([...FORMATS]).default("human"))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .addOption(
      new Option("--fail-on <level>", "exit 1 when a finding is at or above this level (default: error)").choices([
        "error",
        "warning",
        "note",
        "never",
      ]),
    )
    .option("--strict", "unknown verdicts fail the run too")
    .option("-p, --parameters <K=V|file>", "CloudFormation parameter value or a JSON parameters file (repeatable)", collect, [])
    .option("-r, --region <region>", "the region the template deploys to (decides ${AWS::Region})")
    .option("--agent-version <version>", "assume this SSM Agent version (default: the latest known)")
    .addOption(
      new Option("--dhmc <state>", "whether Default Host Management Configuration is on in the account").choices(["enabled", "disabled"]),
    )
    .option("-c, --config <file>", `configuration file (default: ${CONFIG_FILE} found upward from here)`)
    .option("--no-color", "no colours (NO_COLOR is honoured too)")
    .option("-q, --quiet", "only instances that fail and findings above notes")
    .option("--verbose", "also show suppressed findings")
    .addHelpText(
      "after",
      `
Examples:
  ssm-doctor lint template.yaml
  ssm-doctor lint template.yaml --region eu-west-1 --parameters VpcCidr=10.1.0.0/16
  ssm-doctor lint cdk.out/ --format json --output ssm-doctor.json

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 bad input or usage.
Unknown verdicts (values this input cannot decide) are notes and never fail the run unless --strict.`,
    )
    .action((paths: string[], opts: LintOptions) => {
      throw new ExitError(lint(paths, opts));
    });
}
