/**
 * Values of a root module's variables, in Terraform's order: TF_VAR_* from the environment,
 * terraform.tfvars, *.auto.tfvars, then -var-file and -var as given.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../model/index.js";
import { readInputText } from "../common/read-file.js";
import { evaluateSafely } from "./evaluate.js";
import { type Block, bodyParts } from "./module.js";
import { kids, parseHcl } from "./parse.js";
import { type TfValue, Unknown } from "./values.js";

/** -var, -var-file and the environment, as the CLI passes them. */
export interface VariableOptions {
  /** -var NAME=VALUE, in order. */
  vars?: readonly string[];
  /** -var-file FILE, in order. */
  varFiles?: readonly string[];
  /** The environment (TF_VAR_*); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A value given on the command line or in TF_VAR_*: a string for a variable of type string or without
 * a type, else an HCL expression (`["a","b"]`, `{ k = "v" }`, `true`), as Terraform reads it.
 */
function commandLineValue(raw: string, name: string, declaration: Block | undefined, where: string): TfValue {
  const type = declaration ? bodyParts(declaration.body).attributes.get("type")?.text.trim() : undefined;
  if (type === undefined || type === "string") return raw;
  const root = parseHcl(where, `value = ${raw}\n`);
  const body = kids(root).find((c) => c.type === "body");
  const expr = body ? bodyParts(body).attributes.get("value") : undefined;
  if (!expr) throw new InputError(`the value of ${name} is not an HCL expression`, where);
  return evaluateSafely(expr, NO_REFERENCES_SCOPE, name);
}

const NO_REFERENCES_SCOPE = {
  resolver: { resolve: (head: string) => ({ value: new Unknown("unsupported", `a variable value cannot refer to ${head}`), used: 0 }) },
  vars: new Map<string, TfValue>(),
};

/** Root variable values in Terraform's order: TF_VAR_*, terraform.tfvars, *.auto.tfvars, then -var-file and -var as given. */
export function rootVariables(dir: string, options: VariableOptions, declared: ReadonlyMap<string, Block>): Map<string, TfValue> {
  const out = new Map<string, TfValue>();
  const env = options.env ?? process.env;
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith("TF_VAR_") || v === undefined) continue;
    const name = k.slice(7);
    if (declared.has(name)) out.set(name, commandLineValue(v, name, declared.get(name), k));
  }
  const readVarFile = (file: string) => {
    const text = readInputText(file, { expected: "a Terraform variables file (.tfvars or .tfvars.json)", allowEmpty: true });
    if (file.endsWith(".json")) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, TfValue>)) out.set(k, v);
      } catch (e) {
        throw new InputError(`invalid JSON: ${(e as Error).message}`, file);
      }
      return;
    }
    const root = parseHcl(file, text);
    const body = kids(root).find((c) => c.type === "body");
    if (!body) return;
    const scope = {
      resolver: { resolve: (head: string) => ({ value: new Unknown("unsupported", `a .tfvars file cannot refer to ${head}`), used: 0 }) },
      vars: new Map(),
    };
    for (const [name, expr] of bodyParts(body).attributes) out.set(name, evaluateSafely(expr, scope, `${name} in ${file}`));
  };
  for (const name of ["terraform.tfvars", "terraform.tfvars.json"]) if (existsSync(join(dir, name))) readVarFile(join(dir, name));
  let autos: string[] = [];
  try {
    autos = readdirSync(dir)
      .filter((n) => /\.auto\.tfvars(\.json)?$/.test(n))
      .sort();
  } catch {
    autos = [];
  }
  for (const name of autos) readVarFile(join(dir, name));
  for (const file of options.varFiles ?? []) readVarFile(file);
  for (const pair of options.vars ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new InputError(`-var expects NAME=VALUE, got '${pair}'`);
    const name = pair.slice(0, eq);
    if (!declared.has(name))
      throw new InputError(
        `-var ${name}: the configuration declares no variable '${name}'`,
        dir,
        undefined,
        undefined,
        `declared: ${[...declared.keys()].slice(0, 8).join(", ") || "none"}`,
      );
    out.set(name, commandLineValue(pair.slice(eq + 1), name, declared.get(name), `-var ${name}`));
  }
  return out;
}
