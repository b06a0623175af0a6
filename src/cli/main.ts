/** Argument parsing and wiring only: read inputs, build worlds, run rules, write reports, exit 0/1/2. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { findRule, RULES } from "../../rules/index.js";
import { managedPolicyData } from "../analysis/iam.js";
import { type EngineOptions, type FailOn, runRules, type SuppressionEntry, shouldFail } from "../engine/run.js";
import { type DhmcSetting, InputError, known, unknown, type Value, type World } from "../model/index.js";
import { type FileResult, formatHuman } from "../report/human.js";
import { formatJson } from "../report/json.js";
import { formatRuleDoc, formatRuleList } from "../report/rule-doc.js";
import { isCloudFormationText, loadCdkOut, loadCloudFormation } from "../sources/cloudformation/index.js";
import { CONFIG_FILE, type Config, findConfig, loadConfig } from "./config.js";
import { collectInputs, parseParameters } from "./inputs.js";

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
const TOOL = { name: "ssm-doctor", version: VERSION };

class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

let debug = process.argv.includes("--debug");

function fail(message: string): never {
  process.stderr.write(`ssm-doctor: ${message}\n`);
  throw new ExitError(2);
}

function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

/** Write whole or not at all: a temporary file renamed into place. */
function writeOutput(path: string, text: string): void {
  try {
    mkdirSync(dirname(path) || ".", { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    fail(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

function readConfig(path: string | undefined): Config {
  const file = path ?? findConfig(process.cwd());
  if (!file) return {};
  return loadConfig(file, display(file));
}

function dhmcValue(setting: string | undefined): Value<DhmcSetting> | undefined {
  if (setting === "enabled") return known({ enabled: true });
  if (setting === "disabled") return known({ enabled: false });
  return undefined;
}

interface LintOptions {
  format: "human" | "json";
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
  const worlds: { file: string; world: World }[] = [];
  for (const input of inputs) {
    if (input.kind === "terraform-plan") {
      throw new InputError(
        "Terraform plan JSON is recognised but not read by this version; lint CloudFormation templates or cdk.out",
        input.file,
      );
    }
    if (input.kind === "cdk-out") {
      worlds.push(...loadCdkOut(input.file, { parameters, ...(region ? { region } : {}), dhmc }));
      continue;
    }
    worlds.push({
      file: input.file,
      world: loadCloudFormation(input.file, input.text!, { parameters, ...(region ? { region } : {}), dhmc }),
    });
  }
  if (process.stderr.isTTY && worlds.length > 20 && !opts.quiet) process.stderr.write(`linting ${worlds.length} templates…\n`);
  const results: FileResult[] = worlds.map(({ file, world }) => ({ file, result: runRules(world, RULES, engine) }));

  const text =
    opts.format === "json"
      ? formatJson(results, RULES, TOOL)
      : formatHuman(results, RULES, {
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command();
  const data = managedPolicyData();
  program
    .name("ssm-doctor")
    .description(
      "Tells whether AWS Systems Manager Session Manager will reach your EC2 instances, and if not, which hop breaks\n" +
        "(agent, endpoints, HTTPS 443, DNS, IAM) and how to fix it.",
    )
    .version(`ssm-doctor ${VERSION}\nAWS managed policy data: ${data.source} (${data.generated})`, "-V, --version")
    .option("--debug", "show stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  program
    .command("lint")
    .summary("check CloudFormation templates or a cdk.out directory before deploy")
    .description(
      "Check CloudFormation templates (YAML or JSON) or a CDK cdk.out directory before deploy.\n" +
        "Each instance, launch template or Auto Scaling group gets a checklist of the five prerequisites;\n" +
        "each problem names the resource and line, the evidence, and the fix.",
    )
    .argument("<paths...>", "template files, directories of templates, or cdk.out")
    .addOption(new Option("-f, --format <format>", "output format").choices(["human", "json"]).default("human"))
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

  program
    .command("rules")
    .description("list the rules: id, name, severity, prerequisite, title")
    .action(() => {
      process.stdout.write(formatRuleList(RULES));
    });

  program
    .command("explain")
    .description("show a rule's documentation: why it breaks Session Manager, examples, the fix")
    .argument("<rule>", "rule id (SD301) or name (instance-egress-blocked)")
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) fail(`no rule ${id}; run 'ssm-doctor rules' for the list`);
      process.stdout.write(formatRuleDoc(rule));
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  debug = argv.includes("--debug");
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`ssm-doctor: ${e.format()}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return 2;
    }
    process.stderr.write(`ssm-doctor: internal error: ${(e as Error).message} (please report it; --debug shows the stack)\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
}
