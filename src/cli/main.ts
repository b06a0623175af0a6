/** Argument parsing and wiring only: each command lives in its own module and registers itself here. */
import { Command, CommanderError, Option } from "commander";
import { findRule, RULES } from "../../rules/index.js";
import { managedPolicyData } from "../analysis/iam.js";
import { InputError } from "../model/index.js";
import { formatRuleDoc, formatRuleList, formatRuleListJson } from "../report/rule-doc.js";
import { inputText } from "../report/text.js";
import { registerCheck } from "./check.js";
import { ExitError, TOOL, usageFailure, VERSION } from "./common.js";
import { flagsFromEnv, validateFlags } from "./config.js";
import { registerDiff } from "./diff.js";
import { registerLint } from "./lint.js";
import { registerMerge } from "./merge.js";

export function buildProgram(): Command {
  const program = new Command();
  const data = managedPolicyData();
  program
    .name("ssm-doctor")
    .description(
      "Tells whether AWS Systems Manager Session Manager will reach your EC2 instances, and if not, which hop breaks " +
        "(agent, endpoints, HTTPS 443, DNS, IAM) and how to fix it.",
    )
    .version(`ssm-doctor ${VERSION}\nAWS managed policy data: ${data.source} (${data.generated})`, "-V, --version")
    .option("--debug", "show stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    // --debug belongs to every command: each command's help lists it under "Global Options".
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride()
    // --region and --agent-version are checked before any command runs; a bad value names the variable that set it.
    .hook("preAction", (_program, action) => validateFlags(action.opts(), flagsFromEnv(action)));

  registerLint(program);
  registerCheck(program);
  registerDiff(program);
  registerMerge(program);

  program
    .command("rules")
    .description("list the rules: id, name, severity, prerequisite, title (--format json: every field, for scripts)")
    .addOption(
      new Option("-f, --format <format>", "human or json (documented in docs/json-output.md)").choices(["human", "json"]).default("human"),
    )
    .action((opts: { format: "human" | "json" }) => {
      process.stdout.write(opts.format === "json" ? formatRuleListJson(RULES, TOOL) : formatRuleList(RULES));
    });

  program
    .command("explain")
    .description("show a rule's documentation: why it breaks Session Manager, examples, the fix")
    .argument("<rule>", "rule id (SD301) or name (instance-egress-blocked)")
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule) usageFailure(`no rule ${id}; run 'ssm-doctor rules' for the list`);
      process.stdout.write(formatRuleDoc(rule));
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
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
      process.stderr.write(`ssm-doctor: ${inputText(e.format())}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return 2;
    }
    process.stderr.write(`ssm-doctor: internal error: ${inputText((e as Error).message)} (please report it; --debug shows the stack)\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
}
