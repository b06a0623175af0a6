/**
 * Loading a plan: parse, build the World, look positions up lazily. Imported by the adapter (index.ts) only
 * when a plan is linted, so that other runs do not load the Terraform source.
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
