/**
 * Loading a configuration: evaluate the root module and its local modules into a plan, and build the World
 * from it. Imported by the adapter (index.ts) only when a configuration is linted.
 */
import { InputError, type SourceNote, timed, type World } from "../../model/index.js";
import { buildWorld, type TerraformOptions } from "../terraform/build.js";
import { clearModuleCache, defaultOf, installedModules, ModuleInstance, type RunSettings, readModule } from "./module.js";
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
  if (!config) throw new InputError("no .tf files in this directory", dir);
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
  if (missingModules.length > 0)
    notes.push({
      level: "info",
      code: "terraform-modules",
      message: `${missingModules.length} module${missingModules.length === 1 ? "" : "s"} could not be read (${missingModules.slice(0, 2).join("; ")}${missingModules.length > 2 ? "; …" : ""})`,
    });
  return { plan, notes };
}
