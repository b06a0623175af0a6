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
  const world = timed(options.timings, "model", () => buildWorld(file, parsed.plan, options, parsed.notes, false));
  return { ...world, locate: locator(file, parsed.text, parsed.offset, parsed.ends) };
}

/**
 * Positions in the plan's text, looked up when a report asks. Made apart from loadTerraformPlan, whose
 * closures hold the parsed plan: the world's `locate` keeps the text only, and the plan object (twice the
 * size of the text) can be collected once the world is built.
 */
function locator(file: string, text: string, offset: number, ends: Map<number, number>): NonNullable<World["locate"]> {
  const positions = new PlanPositions(text, offset, ends);
  return (origin) => (origin.file === file && origin.pointer !== undefined ? positions.region(origin.pointer) : undefined);
}
