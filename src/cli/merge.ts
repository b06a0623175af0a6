/** `ssm-doctor merge a.json b.json …`: one JSON report from the JSON reports of several runs. */
import type { Command } from "commander";
import { InputError } from "../model/index.js";
import { mergeReports, notAReport } from "../report/merge.js";
import { ExitError, TOOL, writeOutput } from "./common.js";
import { readText } from "./inputs.js";

interface MergeOptions {
  output?: string;
}

function merge(paths: string[], opts: MergeOptions): number {
  const reports = paths.map((path) => {
    let value: unknown;
    try {
      value = JSON.parse(readText(path));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`invalid JSON: ${(e as Error).message}`, path);
    }
    const why = notAReport(value);
    if (why) throw new InputError(why, path, undefined, undefined, "merge reads the reports of --format json");
    return value as Parameters<typeof mergeReports>[0][number];
  });
  const text = `${JSON.stringify(mergeReports(reports, TOOL), null, 2)}\n`;
  if (opts.output) writeOutput(opts.output, text);
  else process.stdout.write(text);
  return 0;
}

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .summary("merge JSON reports of several runs (e.g. one sweep job per account) into one")
    .description("Merge JSON reports (--format json) of several runs into one JSON report: every file in order, the summary counted anew.")
    .argument("<reports...>", "JSON reports written by lint or check --format json")
    .option("-o, --output <file>", "write the merged report to this file (default: standard output)")
    .addHelpText(
      "after",
      `
Examples:
  ssm-doctor merge sweep-*.json --output org.json
  ssm-doctor merge prod.json staging.json > all.json`,
    )
    .action((paths: string[], opts: MergeOptions) => {
      throw new ExitError(merge(paths, opts));
    });
}
