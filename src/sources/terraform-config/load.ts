/**
 * Loading a configuration: evaluate the root module and its local modules into a plan, and build the World
 * from it. Imported by the adapter (index.ts) only when a configuration is linted.
 */
import { relative } from "node:path";
import { InputError, type SourceNote, timed, type World } from "../../model/index.js";
import { buildWorld, type TerraformOptions } from "../terraform/build.js";
import {
  clearModuleCache,
  defaultOf,
  installedModules,
  jsonSyntaxFiles,
  ModuleInstance,
  type RunSettings,
  readModule,
  unreadJsonFiles,
} from "./module.js";
import { writePlan } from "./synthetic-plan.js";
import type { TfValue } from "./values.js";
import { rootVariables, type VariableOptions } from "./variables.js";

export { initHclParser } from "./parse.js";

export interface ConfigurationOptions extends TerraformOptions, VariableOptions {}

/** Lints a root module directory (`dir` as the user named it). initHclParser() must have been awaited. */
export function loadTerraformConfiguration(dir: string, options: ConfigurationOptions = {}): World {
  // --timings: reading and evaluating the .tf files is the parse; the world from their plan, the model.
  const { plan, notes } = timed(options.timings, "parse", () => configurationPlan(dir, options));
  return timed(options.timings, "model", () => buildWorld(dir, plan, { ...options, tfRoot: dir }, notes, true));
}

function configurationPlan(dir: string, options: ConfigurationOptions) {
  clearModuleCache();
  const config = readModule(dir);
  if (!config) {
    const json = jsonSyntaxFiles(dir).length > 0;
    throw new InputError(
      json
        ? "no .tf files in this directory, only .tf.json (Terraform's JSON syntax), which is read only from a plan"
        : "no .tf files in this directory",
      dir,
      undefined,
      undefined,
      json ? "run terraform plan -out=tfplan && terraform show -json tfplan > plan.json, and lint plan.json" : undefined,
    );
  }
  const installed = installedModules(dir);
  const settings: RunSettings = { rootVariables: rootVariables(dir, options, config.variables), installedModules: installed, rootDir: dir };
  const variables = new Map<string, TfValue>();
  for (const [name, block] of config.variables) variables.set(name, defaultOf(block, `var.${name}`, settings, true));
  const root = new ModuleInstance(config, "", "", "", variables, settings);
  const { plan, missingModules } = writePlan(root);
  const notes: SourceNote[] = [
    {
      level: "info",
      code: "terraform-configuration",
      message:
        "read the .tf files without a plan: values Terraform knows only at plan or apply time (data sources, computed ids, variables without values) are unknown; lint the plan JSON for the full picture",
    },
  ];
  const json = unreadJsonFiles().map((file) => relative(dir, file) || file);
  if (json.length > 0)
    notes.push({
      level: "warning",
      code: "terraform-json-syntax",
      message: `${json.length === 1 ? "a file" : `${json.length} files`} in Terraform's JSON syntax (${json.slice(0, 2).join(", ")}${json.length > 2 ? ", …" : ""}) ${json.length === 1 ? "is" : "are"} not read without a plan: what ${json.length === 1 ? "it declares" : "they declare"} is not checked, and a verdict that depends on it can be wrong; lint the plan JSON (terraform show -json)`,
    });
  if (missingModules.length > 0)
    notes.push({
      level: "info",
      code: "terraform-modules",
      message: `${missingModules.length} module${missingModules.length === 1 ? "" : "s"} could not be read (${missingModules.slice(0, 2).join("; ")}${missingModules.length > 2 ? "; …" : ""})`,
    });
  return { plan, notes };
}
