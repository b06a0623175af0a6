/**
 * Turns recognised inputs into worlds, one per template or plan. Each source kind plugs in here; the
 * CLI knows only this function.
 */
import type { DhmcSetting, Value, World } from "../model/index.js";
import { loadCdkOut, loadCloudFormation } from "./cloudformation/index.js";
import { loadTerraformPlan } from "./terraform/index.js";

export type InputKind = "cloudformation" | "terraform-plan" | "cdk-out";

export interface Input {
  kind: InputKind;
  /** As the user named it (or relative to the named directory). */
  file: string;
  text?: string;
}

export interface LoadOptions {
  parameters: Record<string, string>;
  region?: string;
  dhmc: Value<DhmcSetting>;
  /** Terraform: the root of the .tf files, for locations and inline suppressions. */
  tfRoot?: string;
}

export interface LoadedWorld {
  file: string;
  world: World;
}

export function loadWorlds(inputs: Input[], options: LoadOptions): LoadedWorld[] {
  const worlds: LoadedWorld[] = [];
  const region = options.region ? { region: options.region } : {};
  for (const input of inputs) {
    switch (input.kind) {
      case "cdk-out":
        worlds.push(...loadCdkOut(input.file, { parameters: options.parameters, ...region, dhmc: options.dhmc }));
        break;
      case "cloudformation":
        worlds.push({
          file: input.file,
          world: loadCloudFormation(input.file, input.text ?? "", { parameters: options.parameters, ...region, dhmc: options.dhmc }),
        });
        break;
      case "terraform-plan":
        worlds.push({
          file: input.file,
          world: loadTerraformPlan(input.file, input.text ?? "", {
            ...region,
            dhmc: options.dhmc,
            ...(options.tfRoot !== undefined ? { tfRoot: options.tfRoot } : {}),
          }),
        });
        break;
    }
  }
  return worlds;
}
