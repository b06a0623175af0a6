/**
 * Gathering inputs: standard input, named files and directories, quoted globs, and what a folder holds
 * (walked with the skips). Which of them are inputs, and of which source, the sources decide.
 */
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError } from "../model/index.js";
import { STDIN } from "../report/repo-path.js";
import {
  decodeInputText,
  describeSpecialFile,
  type Input,
  MAX_INPUT_BYTES,
  readInputText,
  type SourceRegistry,
  sources,
} from "../sources/index.js";
import type { SkipTest } from "./glob.js";

export const readText = readInputText;

/** `lint -`: all of standard input, refused when it is a terminal (nobody would type a template). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new InputError("standard input is a terminal: pipe a template or plan into it (cat template.yaml | ssm-doctor lint -)", STDIN);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw new InputError("more than the 50 MB this tool reads", STDIN);
    chunks.push(buf);
  }
  return decodeInputText(Buffer.concat(chunks), STDIN);
}

/** Folders never searched for templates (README, "Use"): dependencies, build output, tool state, hidden folders. */
export const SKIPPED_FOLDERS = ["node_modules", "dist", ".terraform", ".git"] as const;
const SKIP_DIRS: ReadonlySet<string> = new Set(SKIPPED_FOLDERS);
/** The built-in skips in words, for --help. */
export const SKIPPED_FOLDERS_TEXT = "node_modules, dist, and names starting with a dot (.git, .terraform, …)";
const MAX_DEPTH = 8;

function skippedByDefault(name: string): boolean {
  return SKIP_DIRS.has(name) || (name.startsWith(".") && name !== "." && name !== "..");
}

/**
 * The glob matching (picomatch, tinyglobby), loaded only for --skip-path and quoted globs: a run that names
 * files and folders never compiles it.
 */
const globbing = () => import("./glob.js");

/**
 * Only these characters make picomatch read a pattern as a glob (or negated): an argument without them is
 * a plain path, decided without loading the matcher. Errors on plain paths are thus thrown before any await,
 * and --debug's stack trace names the functions that threw.
 */
const MAYBE_GLOB = /[*?[{(!]/;

export interface CollectOptions {
  /** --skip-path globs. */
  skipPaths?: readonly string[];
  /** Standard input's text, for the argument `-`. */
  stdin?: string;
  /** The sources that recognise inputs (default: all of them). */
  registry?: SourceRegistry;
}

/** Something in a folder that was not linted, and why. */
export interface Skipped {
  path: string;
  why: string;
}

interface Walk {
  /** Files whose names some source reads, in the order met. */
  files: string[];
  skipped: Skipped[];
  skippedFolders: string[];
}

function walk(root: string, dir: string, out: Walk, depth: number, skip: SkipTest, registry: SourceRegistry): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    out.skipped.push({
      path: dir,
      why: code === "EACCES" || code === "EPERM" ? "folder not readable: permission denied" : `folder not readable: ${code}`,
    });
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    // --skip-path: asked for, so not reported as skipped.
    if (skip(path, relative(root, path))) continue;
    if (entry.isDirectory()) {
      if (skippedByDefault(entry.name)) out.skippedFolders.push(path);
      else if (depth >= MAX_DEPTH) out.skipped.push({ path, why: `folder deeper than ${MAX_DEPTH} levels` });
      else walk(root, path, out, depth + 1, skip, registry);
      continue;
    }
    if (entry.name.startsWith(".")) continue; // hidden files: configuration and tool state, never templates
    if (!registry.searches(entry.name)) continue;
    if (entry.isFile()) {
      out.files.push(path);
      continue;
    }
    if (entry.isSymbolicLink()) {
      let target: ReturnType<typeof statSync>;
      try {
        target = statSync(path);
      } catch {
        out.skipped.push({ path, why: "broken symbolic link" });
        continue;
      }
      if (target.isFile()) out.files.push(path);
      else
        out.skipped.push({
          path,
          why: target.isDirectory() ? "symbolic link to a folder, not followed" : `links to ${describeSpecialFile(target)}`,
        });
      continue;
    }
    out.skipped.push({ path, why: `${describeSpecialFile(entry)}, not a regular file` });
  }
}

/** Inputs to lint, and what inside the named folders was passed over (printed on stderr; never fails the run). */
export interface CollectedInputs {
  inputs: Input[];
  skipped: Skipped[];
  skippedFolders: string[];
}

/**
 * Expand the user's arguments into inputs. A named file is always linted (and must be recognisable);
 * inside a directory, only files a source recognises are taken, and what could not be read is reported
 * as skipped.
 */
export async function collectInputs(args: string[], options: CollectOptions = {}): Promise<CollectedInputs> {
  const registry = options.registry ?? sources;
  const inputs: Input[] = [];
  const skipped: Skipped[] = [];
  const skippedFolders: string[] = [];
  const skip: SkipTest = options.skipPaths?.length ? (await globbing()).skipMatcher(options.skipPaths) : () => false;
  const named = (file: string, read: () => string) => {
    const input = registry.detectNamedFile(file, read);
    if (!input) throw new InputError("not an input any source reads", file);
    inputs.push(input);
  };
  for (const arg of args) {
    if (arg === "-") {
      named(STDIN, () => options.stdin ?? "");
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch (e) {
      const glob = MAYBE_GLOB.test(arg) ? await globbing() : undefined;
      if (glob?.isDynamicPattern(arg)) {
        const files = glob.expandGlob(arg, skip, skippedByDefault);
        if (files.length === 0) throw new InputError("no file matches this pattern", arg);
        // Several .tf files of one folder are one configuration.
        for (const input of (await collectInputs(files, { registry })).inputs)
          if (!inputs.some((i) => i.kind === input.kind && i.file === input.file)) inputs.push(input);
        continue;
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(
        code === "ENOENT" ? "cannot read: no such file or directory" : `cannot read: ${code ?? (e as Error).message}`,
        arg,
      );
    }
    if (!st.isDirectory()) {
      named(arg, () => readText(arg));
      continue;
    }
    const whole = registry.detectDirectory(arg);
    if (whole) {
      inputs.push(whole);
      continue;
    }
    const found = searchFolder(arg, skip, registry, inputs);
    skipped.push(...found.skipped);
    skippedFolders.push(...found.skippedFolders);
    if (found.count === 0)
      throw new InputError(
        "no CloudFormation templates, Terraform plans or configurations, or cdk.out manifest found in this directory",
        arg,
      );
  }
  return { inputs, skipped, skippedFolders };
}

/**
 * The inputs in a named folder, added to `inputs`: the files the sources recognise, in the order met
 * (a file that cannot be read is skipped), then what the sources find among the folder's files as a
 * whole (Terraform root modules).
 */
function searchFolder(arg: string, skip: SkipTest, registry: SourceRegistry, inputs: Input[]): Walk & { count: number } {
  const found: Walk = { files: [], skipped: [], skippedFolders: [] };
  walk(arg, arg, found, 0, skip, registry);
  let count = 0;
  for (const f of found.files) {
    const shown = join(arg, relative(arg, f));
    let input: Input | undefined;
    try {
      input = registry.detectFoundFile(shown, () => readText(f));
    } catch (e) {
      found.skipped.push({ path: shown, why: e instanceof InputError ? e.message : (e as Error).message });
      continue;
    }
    if (!input) continue;
    inputs.push(input);
    count++;
  }
  for (const input of registry.detectInFolder(arg, found.files, inputs)) {
    inputs.push(input);
    count++;
  }
  return { ...found, count };
}

/** --parameters: K=V pairs, a JSON file ({"K":"V"} or the CLI's [{ParameterKey, ParameterValue}]). */
export function parseParameters(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq > 0 && !/\.(json|ya?ml)$/i.test(value)) {
      out[value.slice(0, eq)] = value.slice(eq + 1);
      continue;
    }
    const text = readText(value);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new InputError(
        `invalid JSON in the parameters file: ${(e as Error).message}`,
        value,
        undefined,
        undefined,
        'expected {"Key": "Value"} or [{"ParameterKey": …, "ParameterValue": …}]',
      );
    }
    if (Array.isArray(data)) {
      for (const item of data) {
        const k = (item as { ParameterKey?: unknown }).ParameterKey;
        const v = (item as { ParameterValue?: unknown }).ParameterValue;
        if (typeof k !== "string" || v === undefined) throw new InputError("each entry needs ParameterKey and ParameterValue", value);
        out[k] = String(v);
      }
    } else if (data && typeof data === "object") {
      const obj = data as Record<string, unknown>;
      const params = (obj.Parameters && typeof obj.Parameters === "object" ? obj.Parameters : obj) as Record<string, unknown>;
      for (const [k, v] of Object.entries(params)) out[k] = Array.isArray(v) ? v.join(",") : String(v);
    } else {
      throw new InputError('expected {"Key": "Value"} or [{"ParameterKey": …, "ParameterValue": …}]', value);
    }
  }
  return out;
}
