/**
 * Terraform source: the JSON of a plan (`terraform show -json tfplan`) → World. resource_changes is
 * the source of truth, planned_values stands in when it is missing, the configuration tells what
 * computed values refer to. With --tf-root, origins are the .tf lines of the resources (module-aware)
 * and `# ssm-doctor:ignore` comments in resource blocks become suppressions.
 * Public API: the adapter `terraformPlan`; loadTerraformPlan (load.ts, imported when a plan is linted).
 */
import { type Input, type SourceAdapter, sharedOptions } from "../adapter.js";

export type { TerraformOptions } from "./build.js";

/** Terraform plan JSON: an object with format_version / resource_changes / planned_values near the start. */
export function looksLikeTerraformPlan(text: string): boolean {
  const head = text.slice(0, 4096);
  return /"(format_version|terraform_version|resource_changes|planned_values)"\s*:/.test(head) && !/"Resources"\s*:/.test(head);
}

/** Change review compares two plans' resource changes: both must say they are plans. */
function looksLikePlanText(text: string): boolean {
  return /"(format_version|resource_changes|planned_values)"\s*:/.test(text.slice(0, 4096));
}

/** Plans by their content: JSON (or YAML-named JSON) files and standard input, tested before templates. */
export const terraformPlan: SourceAdapter = {
  kind: "terraform-plan",
  // A folder's JSON and YAML files are told apart by their content: the same names as templates.
  fileNames: /\.(ya?ml|json|template)$/i,
  detect(candidate): Input[] {
    if (candidate.type !== "file" || !looksLikeTerraformPlan(candidate.text())) return [];
    return [{ kind: "terraform-plan", file: candidate.file, text: candidate.text() }];
  },
  async load(input, options) {
    const { loadTerraformPlan } = await import("./load.js");
    const tfRoot = options.tfRoot ?? input.shadows;
    const world = loadTerraformPlan(input.file, input.text ?? "", {
      ...sharedOptions(options),
      ...(tfRoot !== undefined ? { tfRoot } : {}),
    });
    if (input.shadows !== undefined)
      world.notes.push({
        level: "info",
        code: "plan-over-configuration",
        message: `${input.shadows} also holds .tf files: the plan beside them was linted, since it knows more than the configuration (findings point at the .tf lines)`,
      });
    return [{ file: input.file, world }];
  },
  compare: async (before, after) =>
    looksLikePlanText(before.text) && looksLikePlanText(after.text)
      ? (await import("./changes.js")).compareTerraformPlans(before, after)
      : undefined,
};
