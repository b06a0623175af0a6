/**
 * Terraform source: the JSON of a plan (`terraform show -json tfplan`) → World. resource_changes is
 * the source of truth, planned_values stands in when it is missing, the configuration tells what
 * computed values refer to. With --tf-root, origins are the .tf lines of the resources (module-aware)
 * and `# ssm-doctor:ignore` comments in resource blocks become suppressions.
 * Public API: loadTerraformPlan.
 */
import { timed, type World } from "../../model/index.js";
import { buildWorld, type TerraformOptions } from "./build.js";
import { parsePlan } from "./parse.js";
import { PlanPositions } from "./positions.js";

export type { TerraformOptions } from "./build.js";

export function loadTerraformPlan(file: string, text: string, options: TerraformOptions = {}): World {
  const parsed = timed(options.timings, "parse", () => parsePlan(file, text));
  const { plan, offset, notes: extractionNotes, text: planText } = parsed;
  const world = timed(options.timings, "model", () => buildWorld(file, plan, options, extractionNotes, false));
  const positions = new PlanPositions(planText, offset);
  return {
    ...world,
    locate: (origin) => (origin.file === file && origin.pointer !== undefined ? positions.region(origin.pointer) : undefined),
  };
}
