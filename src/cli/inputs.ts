/** Reading and recognising inputs: a CloudFormation template, a cdk.out directory, or a folder of templates. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { InputError } from "../model/index.js";

import type { Input } from "../sources/load.js";

const MAX_BYTES = 50 * 1024 * 1024;

export function readText(file: string): string {
  let buf: Buffer;
  try {
    const st = statSync(file);
    if (st.size > MAX_BYTES)
      throw new InputError(`file is ${(st.size / 1048576).toFixed(0)} MB, more than the 50 MB this tool reads`, file);
    buf = readFileSync(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory"
            : (e as Error).message;
    throw new InputError(`cannot read: ${why}`, file);
  }
  if (buf.length === 0)
    throw new InputError("empty file: expected a CloudFormation template or a Terraform plan (terraform show -json)", file);
  if (buf.subarray(0, 8000).includes(0))
    throw new InputError("binary file: expected a CloudFormation template (YAML/JSON) or a Terraform plan JSON", file);
  return buf.toString("utf8").replace(/^\uFEFF/, "");
}

/** Terraform plan JSON: an object with format_version / resource_changes / planned_values near the start. */
export function looksLikeTerraformPlan(text: string): boolean {
  const head = text.slice(0, 4096);
  return /"(format_version|terraform_version|resource_changes|planned_values)"\s*:/.test(head) && !/"Resources"\s*:/.test(head);
}

const TEMPLATE_EXTENSIONS = /\.(ya?ml|json|template)$/i;
const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", "dist"]);

function walk(dir: string, out: string[], depth: number, tfDirs: Set<string>): void {
  if (depth > 8) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") && entry.name !== ".") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, out, depth + 1, tfDirs);
    } else if (entry.isFile() && TEMPLATE_EXTENSIONS.test(entry.name)) out.push(path);
    else if (entry.isFile() && entry.name.endsWith(".tf")) tfDirs.add(dir);
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

/**
 * Expand the user's arguments into inputs. A named file is always linted (and must be recognisable);
 * inside a directory, only files that look like templates or plans are taken.
 */
export function collectInputs(args: string[], isTemplate: (text: string) => boolean): Input[] {
  const inputs: Input[] = [];
  for (const arg of args) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch {
      throw new InputError("cannot read: no such file or directory", arg);
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
      const files: string[] = [];
      const tfDirs = new Set<string>();
      walk(arg, files, 0, tfDirs);
      const planDirs = new Set<string>();
      let found = 0;
      for (const f of files) {
        let text: string;
        try {
          text = readText(f);
        } catch {
          continue;
        }
        const shown = join(arg, relative(arg, f));
        if (looksLikeTerraformPlan(text)) {
          inputs.push({ kind: "terraform-plan", file: shown, text });
          planDirs.add(normalize(dirname(f)));
        } else if (isTemplate(text)) inputs.push({ kind: "cloudformation", file: shown, text });
        else continue;
        found++;
      }
      const { roots, shadowed } = configurationRoots(tfDirs, planDirs);
      for (const dir of roots) {
        inputs.push({ kind: "terraform-configuration", file: join(arg, relative(arg, dir)) });
        found++;
      }
      for (const dir of shadowed) {
        const plan = inputs.find(
          (i) => i.kind === "terraform-plan" && normalize(dirname(i.file)) === normalize(join(arg, relative(arg, dir))),
        );
        if (plan) plan.shadows = join(arg, relative(arg, dir));
      }
      if (found === 0)
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
  return inputs;
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
