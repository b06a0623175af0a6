/**
 * The output options every command shares (--format, --output, --sarif-root, --fail-on, --strict,
 * colour, verbosity, --timings) and the step that renders and writes the reports. Several formats in one run:
 * `--format sarif --output results.sarif --format human` (each --output binds to the --format before
 * it) or `--format sarif=results.sarif`. At most one format goes to the terminal.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { newFindings } from "../engine/baseline.js";
import type { Rule } from "../engine/rule.js";
import { type FailOn, shouldFail } from "../engine/run.js";
import { type FileResult, FORMATS, type Format, renderPieces } from "../report/index.js";
import { defaultRepoPath, type RepoPathMapper, STDIN } from "../report/repo-path.js";
import {
  applyBooleanEnv,
  type ColorSetting,
  fileIdentity,
  resolveOutputPath,
  TOOL,
  usageFailure,
  useColor,
  writeOutput,
} from "./common.js";
import { repositoryRoot } from "./repository-root.js";

/** Commander calls option parsers in argv order; the sequence number keeps that order across options. */
let sequence = 0;

interface FormatRequest {
  format: Format;
  file?: string;
  seq: number;
}

interface OutputRequest {
  file: string;
  seq: number;
}

export interface OutputOptions {
  format?: FormatRequest[];
  output?: OutputRequest[];
  sarifRoot?: string;
  failOn?: FailOn;
  strict?: boolean;
  color?: ColorSetting;
  quiet?: boolean;
  verbose?: boolean;
  /** --timings: where the run spent its time, on stderr. */
  timings?: boolean;
}

export interface ReportTarget {
  format: Format;
  /** Undefined: the terminal (stdout). */
  file?: string;
}

function parseFormat(value: string, previous: FormatRequest[] | undefined): FormatRequest[] {
  const eq = value.indexOf("=");
  const name = eq === -1 ? value : value.slice(0, eq);
  const file = eq === -1 ? undefined : value.slice(eq + 1);
  if (!(FORMATS as readonly string[]).includes(name)) throw new InvalidArgumentError(`Allowed choices are ${FORMATS.join(", ")}.`);
  if (file === "") throw new InvalidArgumentError(`${name}= needs a file name.`);
  return [...(previous ?? []), { format: name as Format, ...(file ? { file } : {}), seq: sequence++ }];
}

function parseOutput(value: string, previous: OutputRequest[] | undefined): OutputRequest[] {
  return [...(previous ?? []), { file: value, seq: sequence++ }];
}

/** Adds the shared output options to a command (lint, check, diff). */
export function addOutputOptions(command: Command): Command {
  command
    .addOption(
      new Option(
        "-f, --format <format>",
        `output format: ${FORMATS.join("|")} (default: human); repeat for several, FORMAT=FILE writes to a file`,
      )
        .argParser(parseFormat)
        .env("SSM_DOCTOR_FORMAT"),
    )
    .addOption(
      new Option("-o, --output <file>", "write the report of the --format before it to a file (written whole or not at all)")
        .argParser(parseOutput)
        .env("SSM_DOCTOR_OUTPUT"),
    )
    .option("--sarif-root <dir>", "repository root report paths are relative to (default: the nearest folder up holding .git, else here)")
    .addOption(
      new Option("--fail-on <level>", "exit 1 when a finding is at or above this level (default: error)")
        .choices(["error", "warning", "note", "never"])
        .env("SSM_DOCTOR_FAIL_ON"),
    )
    .option("--strict", `unknown verdicts fail the run too (env: ${BOOLEAN_ENV.strict}=true)`)
    .addOption(
      new Option("--color <when>", "colours in the terminal report: auto is on a terminal unless NO_COLOR is set (default: auto)")
        .choices(["auto", "always", "never"])
        .env("SSM_DOCTOR_COLOR"),
    )
    .option("--no-color", "the same as --color never")
    .option(
      "-q, --quiet",
      `human format: print only the instances that will not connect, errors and warnings, and the summary line (env: ${BOOLEAN_ENV.quiet}=true)`,
    )
    .option("--verbose", "also show suppressed findings, and say which configuration file is used")
    .option("--timings", "print where the run spent its time (read, parse, model, analysis, rules, report) to stderr");
  return command.hook("preAction", (_program, action) => applyBooleanEnv(action, BOOLEAN_ENV));
}

/** Flags without a value, set from the environment as true/false (1/0, yes/no) when not given on the command line. */
const BOOLEAN_ENV = { quiet: "SSM_DOCTOR_QUIET", strict: "SSM_DOCTOR_STRICT" } as const;

/**
 * Pair formats with files. An --output goes to the nearest --format before it; one given before any
 * --format goes to the first format after it that has no file (so `-o x.json -f json` works too);
 * with no --format at all, to the human report.
 */
export function resolveTargets(formats: FormatRequest[] = [], outputs: OutputRequest[] = []): ReportTarget[] {
  const requests = formats.length > 0 ? formats.map((f) => ({ ...f })) : [{ format: "human" as Format, seq: -1 } as FormatRequest];
  requests.sort((a, b) => a.seq - b.seq);
  for (const out of [...outputs].sort((a, b) => a.seq - b.seq)) {
    const before = requests.filter((r) => r.seq < out.seq).at(-1);
    const target = before ?? requests.find((r) => r.seq > out.seq && r.file === undefined);
    if (!target) usageFailure(`--output ${out.file}: no --format for it (write --format FORMAT before --output FILE)`);
    if (target.file !== undefined)
      usageFailure(`--output ${out.file}: --format ${target.format} already writes to ${target.file} (give each format its own --format)`);
    target.file = out.file;
  }
  const terminal = requests.filter((r) => r.file === undefined);
  if (terminal.length > 1)
    usageFailure(
      `${terminal.map((r) => r.format).join(" and ")} would both go to the terminal: give all but one an --output FILE (--format ${terminal[1]!.format} --output FILE)`,
    );
  const files = requests.flatMap((r) => (r.file ? [resolve(r.file)] : []));
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice) usageFailure(`two formats would write to the same file ${twice}`);
  return requests.map((r) => (r.file ? { format: r.format, file: r.file } : { format: r.format }));
}

function realpath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** The root report paths are relative to when --sarif-root does not name one: the repository root, else `cwd`. */
export function defaultRepoRoot(cwd: string = process.cwd()): string {
  return repositoryRoot(cwd) ?? cwd;
}

/** The formats that name files from the repository root. */
const ROOTED: ReadonlySet<Format> = new Set<Format>(["sarif", "github", "json"]);

/** Input files (as the user named them, relative to `cwd`) as paths relative to `root`. */
export function repoPathMapper(root: string, cwd: string = process.cwd()): RepoPathMapper {
  const realRoot = realpath(resolve(cwd, root));
  const cache = new Map<string, ReturnType<RepoPathMapper>>();
  return (file) => {
    const hit = cache.get(file);
    if (hit) return hit;
    if (file === STDIN) return defaultRepoPath(file);
    const rel = relative(realRoot, realpath(resolve(cwd, file)));
    const inside = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    const mapped = inside ? { path: rel.split(sep).join("/"), inRoot: true } : { path: defaultRepoPath(file).path, inRoot: false };
    cache.set(file, mapped);
    return mapped;
  };
}

/** Refuse an output that is one of the inputs (the same file after links: device and inode), before anything is written. */
export function refuseInputsAsOutputs(targets: readonly ReportTarget[], inputs: readonly string[]): void {
  const files = targets.flatMap((t) => (t.file ? [t.file] : []));
  if (files.length === 0 || inputs.length === 0) return;
  const read = new Map<string, string>();
  for (const input of inputs) {
    const id = fileIdentity(input);
    if (id && !read.has(id)) read.set(id, input);
  }
  for (const file of files) {
    const id = fileIdentity(resolveOutputPath(file));
    const input = id ? read.get(id) : undefined;
    if (input) usageFailure(`--output ${file} is the input ${input}: refusing to overwrite it (choose another file)`);
  }
}

/**
 * Render every requested format, write the files (each whole or not at all), print the terminal one,
 * and return the exit code: 1 when an unsuppressed finding is at or above --fail-on, else 0.
 */
export function writeReports(
  results: FileResult[],
  opts: OutputOptions,
  context: {
    rules: readonly Rule[];
    failOn?: FailOn | undefined;
    /** Files the run read: none of them may be an output. */
    inputs?: readonly string[];
    /** The configuration file used, if any (named in JSON and SARIF, relative to the repository root). */
    configFile?: string;
  },
): number {
  const targets = resolveTargets(opts.format, opts.output);
  refuseInputsAsOutputs(targets, context.inputs ?? []);
  const needsRoot = targets.some((t) => ROOTED.has(t.format));
  const repoPath = needsRoot ? repoPathMapper(opts.sarifRoot ?? defaultRepoRoot()) : undefined;
  const configFile = context.configFile && repoPath ? repoPath(context.configFile).path : undefined;
  const rendered = targets.map((t) => ({
    ...t,
    text: renderPieces(t.format, results, {
      rules: context.rules,
      tool: TOOL,
      color: !t.file && useColor(process.stdout, opts.color),
      quiet: opts.quiet ?? false,
      verbose: opts.verbose ?? false,
      ...(repoPath ? { repoPath } : {}),
      ...(configFile ? { configFile } : {}),
    }),
  }));
  for (const r of rendered) if (r.file) writeOutput(r.file, r.text);
  for (const r of rendered) if (!r.file) for (const piece of r.text) process.stdout.write(piece);
  const failOn = opts.failOn ?? context.failOn ?? "error";
  return shouldFail(
    results.flatMap((r) => newFindings(r.result.findings, r.baseline)),
    failOn,
    opts.strict ?? false,
  )
    ? 1
    : 0;
}
