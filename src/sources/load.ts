/**
 * Turns recognised inputs into worlds, one per template or plan. Each source kind plugs in here; the
 * CLI knows only this function.
 */
import type { InputComparison, SourceKind, StatedAssumptions, Timings, World } from "../model/index.js";
import { loadCdkOut, loadCloudFormation } from "./cloudformation/index.js";
import { retainParsedTemplates } from "./cloudformation/parse.js";
import { compareTerraformPlans } from "./terraform/changes.js";
import { loadTerraformPlan } from "./terraform/index.js";

export type InputKind = "cloudformation" | "terraform-plan" | "terraform-configuration" | "cdk-out";

export interface Input {
  kind: InputKind;
  /** As the user named it (or relative to the named directory). */
  file: string;
  text?: string;
  /** A plan linted instead of the .tf files beside it (this folder). */
  shadows?: string;
}

/** The run's assumptions (region, DHMC, agent version) as the caller states them; each source settles them on its World. */
export interface LoadOptions extends StatedAssumptions {
  parameters: Record<string, string>;
  /** Terraform: the root of the .tf files, for locations and inline suppressions. */
  tfRoot?: string;
  /** Terraform configurations: -var NAME=VALUE and -var-file FILE, in order. */
  vars?: string[];
  varFiles?: string[];
  timings?: Timings;
}

export interface LoadedWorld {
  file: string;
  world: World;
}

export async function loadWorlds(inputs: Input[], options: LoadOptions): Promise<LoadedWorld[]> {
  const worlds: LoadedWorld[] = [];
  // The HCL parser (WebAssembly) is loaded only when a configuration is linted.
  const configuration = inputs.some((i) => i.kind === "terraform-configuration")
    ? await import("./terraform-config/index.js").then(async (m) => {
        await m.initHclParser();
        return m;
      })
    : undefined;
  // What every source takes the same way: the stated assumptions and the clock of --timings.
  const shared = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.dhmc ? { dhmc: options.dhmc } : {}),
    ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
  };
  for (const input of inputs) {
    switch (input.kind) {
      case "cdk-out":
        worlds.push(...loadCdkOut(input.file, { parameters: options.parameters, ...shared }));
        break;
      case "cloudformation":
        worlds.push({
          file: input.file,
          world: loadCloudFormation(input.file, input.text ?? "", { parameters: options.parameters, ...shared }),
        });
        break;
      case "terraform-plan": {
        const tfRoot = options.tfRoot ?? input.shadows;
        const world = loadTerraformPlan(input.file, input.text ?? "", {
          ...shared,
          ...(tfRoot !== undefined ? { tfRoot } : {}),
        });
        if (input.shadows !== undefined)
          world.notes.push({
            level: "info",
            code: "plan-over-configuration",
            message: `${input.shadows} also holds .tf files: the plan beside them was linted, since it knows more than the configuration (findings point at the .tf lines)`,
          });
        worlds.push({ file: input.file, world });
        break;
      }
      case "terraform-configuration":
        if (!configuration) break;
        worlds.push({
          file: input.file,
          world: configuration.loadTerraformConfiguration(input.file, {
            ...shared,
            ...(options.vars ? { vars: options.vars } : {}),
            ...(options.varFiles ? { varFiles: options.varFiles } : {}),
          }),
        });
        break;
    }
  }
  return worlds;
}

function looksLikePlanText(text: string): boolean {
  return /"(format_version|resource_changes|planned_values)"\s*:/.test(text.slice(0, 4096));
}

/** Keep parsed templates for compareInputs while a change review runs (off again after it). */
export function retainSourceDocuments(on: boolean): void {
  retainParsedTemplates(on);
}

/**
 * What changed between two versions of one input (a template or a plan), for change review. The
 * CloudFormation comparison loads @aws-cdk/cloudformation-diff on first use, never before.
 */
export async function compareInputs(
  kind: SourceKind,
  before: { file: string; text: string },
  after: { file: string; text: string },
): Promise<InputComparison | undefined> {
  if (kind === "cloudformation") {
    const { compareCloudFormation } = await import("./cloudformation/changes.js");
    return compareCloudFormation(before, after);
  }
  if (kind === "terraform" && looksLikePlanText(before.text) && looksLikePlanText(after.text)) return compareTerraformPlans(before, after);
  return undefined;
}
