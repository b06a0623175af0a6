/** Reading and recognising inputs: a CloudFormation template, a cdk.out directory, or a folder of templates. */
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, posix, relative } from "node:path";
import picomatch from "picomatch";
import { globSync, isDynamicPattern } from "tinyglobby";
import { InputError } from "../model/index.js";
import { STDIN } from "../report/repo-path.js";
import { decodeInputText, describeSpecialFile, MAX_INPUT_BYTES, readInputText } from "../sources/common/read-file.js";
import type { Input } from "../sources/load.js";

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

/** Terraform plan JSON: an object with format_version / resource_changes / planned_values near the start. */
export function looksLikeTerraformPlan(text: string): boolean {
  const head = text.slice(0, 4096);
  return /"(format_version|terraform_version|resource_changes|planned_values)"\s*:/.test(head) && !/"Resources"\s*:/.test(head);
}

const TEMPLATE_EXTENSIONS = /\.(ya?ml|json|template)$/i;
/** Folders never searched for templates (README, "Use"): dependencies, build output, tool state, hidden folders. */
export const SKIPPED_FOLDERS = ["node_modules", "dist", ".terraform", ".git"] as const;
const SKIP_DIRS: ReadonlySet<string> = new Set(SKIPPED_FOLDERS);
/** The built-in skips in words, for --help. */
export const SKIPPED_FOLDERS_TEXT = "node_modules, dist, and names starting with a dot (.git, .terraform, …)";
const MAX_DEPTH = 8;

function skippedByDefault(name: string): boolean {
  return SKIP_DIRS.has(name) || (name.startsWith(".") && name !== "." && name !== "..");
}

/** A path skipped by --skip-path: matched as shown, relative to the folder or glob base, or by its name. */
type SkipTest = (shown: string, rel: string) => boolean;

export function skipMatcher(patterns: readonly string[]): SkipTest {
  if (patterns.length === 0) return () => false;
  const clean = patterns.map((p) =>
    p
      .replace(/\\/g, "/")
      .replace(/^\.\//, "")
      .replace(/\/\*\*$/, "")
      .replace(/\/+$/, ""),
  );
  const isMatch = picomatch(clean, { dot: true });
  return (shown, rel) => {
    const s = posix.normalize(shown.replace(/\\/g, "/"));
    const r = posix.normalize(rel.replace(/\\/g, "/"));
    return isMatch(s) || isMatch(r) || isMatch(posix.basename(s));
  };
}

/** A quoted glob (`'templates/**\/*.yaml'`) as the shell would expand it, less the skipped folders; files only. */
function expandGlob(pattern: string, skip: SkipTest): string[] {
  const base = picomatch.scan(pattern).base;
  // Only what the wildcards matched is subject to the skips: `.github/**/*.yml` names its dot folder on purpose.
  const fixed = base ? base.split("/").length : 0;
  const matches = globSync(pattern, { absolute: isAbsolute(pattern), dot: false, followSymbolicLinks: false });
  return matches
    .filter((file) => {
      const parts = file.split(/[\\/]/);
      return !parts.some((name, i) => {
        if (i < fixed) return false;
        const shown = parts.slice(0, i + 1).join("/");
        return skippedByDefault(name) || skip(shown, base ? posix.relative(base, shown) : shown);
      });
    })
    .sort();
}

export interface CollectOptions {
  /** --skip-path globs. */
  skipPaths?: readonly string[];
  /** Standard input's text, for the argument `-`. */
  stdin?: string;
}

/** Something in a folder that was not linted, and why. */
export interface Skipped {
  path: string;
  why: string;
}

interface Walk {
  files: string[];
  skipped: Skipped[];
  skippedFolders: string[];
  /** Folders holding .tf files (Terraform configurations). */
  tfDirs: Set<string>;
}

function walk(root: string, dir: string, out: Walk, depth: number, skip: SkipTest): void {
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
      else walk(root, path, out, depth + 1, skip);
      continue;
    }
    if (entry.name.startsWith(".")) continue; // hidden files: configuration and tool state, never templates
    if (entry.name.endsWith(".tf") && entry.isFile()) {
      out.tfDirs.add(dir);
      continue;
    }
    if (!TEMPLATE_EXTENSIONS.test(entry.name) && !entry.name.endsWith(".tf")) continue;
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
      if (target.isFile() && entry.name.endsWith(".tf")) out.tfDirs.add(dir);
      else if (target.isFile()) out.files.push(path);
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

const LOCAL_SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/gm;

/**
 * Root modules among the folders that hold .tf files: those no other folder calls as a local module
 * (`source = "../modules/x"`). A folder whose plan JSON was found beside its .tf files is left to the plan.
 */
function configurationRoots(tfDirs: Set<string>, planDirs: Set<string>): { roots: string[]; shadowed: string[] } {
  const called = new Set<string>();
  for (const dir of tfDirs) {
    for (const file of readdirSync(dir).filter((n) => n.endsWith(".tf"))) {
      let text = "";
      try {
        if (!statSync(join(dir, file)).isFile()) continue; // a FIFO would block the read forever
        text = readFileSync(join(dir, file), "utf8");
      } catch {
        continue;
      }
      for (const m of text.matchAll(LOCAL_SOURCE)) called.add(normalize(join(dir, m[1] ?? "")));
    }
  }
  const roots: string[] = [];
  const shadowed: string[] = [];
  for (const dir of [...tfDirs].sort()) {
    if (called.has(normalize(dir))) continue;
    if (planDirs.has(normalize(dir))) shadowed.push(dir);
    else roots.push(dir);
  }
  return { roots, shadowed };
}

/** Inputs to lint, and what inside the named folders was passed over (printed on stderr; never fails the run). */
export interface CollectedInputs {
  inputs: Input[];
  skipped: Skipped[];
  skippedFolders: string[];
}

/**
 * Expand the user's arguments into inputs. A named file is always linted (and must be recognisable);
 * inside a directory, only files that look like templates or plans are taken, and what could not be
 * read is reported as skipped.
 */
export function collectInputs(args: string[], isTemplate: (text: string) => boolean, options: CollectOptions = {}): CollectedInputs {
  const inputs: Input[] = [];
  const skipped: Skipped[] = [];
  const skippedFolders: string[] = [];
  const skip = skipMatcher(options.skipPaths ?? []);
  for (const arg of args) {
    if (arg === "-") {
      const text = options.stdin ?? "";
      inputs.push({ kind: looksLikeTerraformPlan(text) ? "terraform-plan" : "cloudformation", file: STDIN, text });
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch (e) {
      if (isDynamicPattern(arg)) {
        const files = expandGlob(arg, skip);
        if (files.length === 0) throw new InputError("no file matches this pattern", arg);
        // Several .tf files of one folder are one configuration.
        for (const input of collectInputs(files, isTemplate).inputs)
          if (!inputs.some((i) => i.kind === input.kind && i.file === input.file)) inputs.push(input);
        continue;
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(
        code === "ENOENT" ? "cannot read: no such file or directory" : `cannot read: ${code ?? (e as Error).message}`,
        arg,
      );
    }
    if (st.isDirectory()) {
      let isCdk = false;
      try {
        isCdk = statSync(join(arg, "manifest.json")).isFile();
      } catch {
        isCdk = false;
      }
      if (isCdk) {
        inputs.push({ kind: "cdk-out", file: arg });
        continue;
      }
      const found: Walk = { files: [], skipped: [], skippedFolders: [], tfDirs: new Set() };
      walk(arg, arg, found, 0, skip);
      const planDirs = new Set<string>();
      let count = 0;
      for (const f of found.files) {
        const shown = join(arg, relative(arg, f));
        let text: string;
        try {
          text = readText(f);
        } catch (e) {
          found.skipped.push({ path: shown, why: e instanceof InputError ? e.message : (e as Error).message });
          continue;
        }
        if (looksLikeTerraformPlan(text)) {
          inputs.push({ kind: "terraform-plan", file: shown, text });
          planDirs.add(normalize(dirname(f)));
        } else if (isTemplate(text)) inputs.push({ kind: "cloudformation", file: shown, text });
        else continue;
        count++;
      }
      const { roots, shadowed } = configurationRoots(found.tfDirs, planDirs);
      for (const dir of roots) {
        inputs.push({ kind: "terraform-configuration", file: join(arg, relative(arg, dir)) });
        count++;
      }
      for (const dir of shadowed) {
        const plan = inputs.find(
          (i) => i.kind === "terraform-plan" && normalize(dirname(i.file)) === normalize(join(arg, relative(arg, dir))),
        );
        if (plan) plan.shadows = join(arg, relative(arg, dir));
      }
      skipped.push(...found.skipped);
      skippedFolders.push(...found.skippedFolders);
      if (count === 0)
        throw new InputError(
          "no CloudFormation templates, Terraform plans or configurations, or cdk.out manifest found in this directory",
          arg,
        );
      continue;
    }
    if (arg.endsWith(".tf")) {
      // Terraform reads a directory, not a file: the file's folder is the configuration.
      inputs.push({ kind: "terraform-configuration", file: dirname(arg) });
      continue;
    }
    const text = readText(arg);
    inputs.push({ kind: looksLikeTerraformPlan(text) ? "terraform-plan" : "cloudformation", file: arg, text });
  }
  return { inputs, skipped, skippedFolders };
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
