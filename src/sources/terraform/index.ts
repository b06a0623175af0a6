/**
 * Terraform source: the JSON of a plan (`terraform show -json tfplan`) → World. resource_changes is
 * the source of truth, planned_values stands in when it is missing, the configuration tells what
 * computed values refer to. With --tf-root, origins are the .tf lines of the resources (module-aware)
 * and `# ssm-doctor:ignore` comments in resource blocks become suppressions.
 * Public API: the adapter `terraformPlan`; loadTerraformPlan, worldOfPlan.
 */
import {
  assumedAgentVersion,
  assumedDhmc,
  emptyWorld,
  InputError,
  known,
  type SourceNote,
  type StatedAssumptions,
  type Timings,
  timed,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { type Input, type SourceAdapter, sharedOptions } from "../adapter.js";
import { compareTerraformPlans } from "./changes.js";
import { buildCompute } from "./compute.js";
import { extractPlan } from "./extract.js";
import { buildIam } from "./iam.js";
import { buildNetwork, registerDefaultAliases } from "./network.js";
import { PlanIndex } from "./plan.js";
import { PlanPositions } from "./positions.js";
import { Reader } from "./reader.js";
import { References } from "./references.js";
import { dhmcOf, sessionPreferencesOf } from "./ssm.js";
import { TerraformRoot } from "./tf-root.js";
import { isObject, type RawPlan } from "./types.js";

/**
 * `region` (--region) overrides the provider's region; a setting of DHMC in the plan is used when the
 * caller's `dhmc` is not known.
 */
export interface TerraformOptions extends StatedAssumptions {
  /** --tf-root as the user wrote it. */
  tfRoot?: string;
  /** For display paths under an absolute --tf-root (default: the process's working directory). */
  cwd?: string;
  /** --timings: the JSON parse and the model building are timed apart. */
  timings?: Timings;
}

const KNOWN_FORMAT_MAJOR = 1;

/** The default AWS provider's region: a constant, a root variable's value, or data "aws_region". */
function regionOf(r: Reader): Value<string> | undefined {
  const providers = r.index.plan.configuration?.provider_config ?? {};
  const aws = Object.entries(providers).find(
    ([key, p]) => key === "aws" || (isObject(p) && p.name === "aws" && !p.alias && !key.includes(":")),
  )?.[1];
  const expression = aws?.expressions?.region;
  if (expression && !Array.isArray(expression)) {
    const targets = r.refs.resolve(expression, { scope: r.index.root, module: [] });
    const constant = targets.find((t) => t.kind === "constant" && typeof t.value === "string" && t.value !== "");
    if (constant?.kind === "constant") return known(constant.value as string);
  }
  for (const resource of r.index.byAddress.values()) {
    if (resource.mode !== "data" || resource.type !== "aws_region" || resource.module.length > 0) continue;
    const name = resource.values.name ?? resource.values.region;
    if (typeof name === "string" && name !== "") return known(name);
  }
  return undefined;
}

export function loadTerraformPlan(file: string, text: string, options: TerraformOptions = {}): World {
  const extracted = timed(options.timings, "parse", () => extractPlan(file, text));
  const { plan, offset, notes: extractionNotes, text: planText } = extracted;
  const world = timed(options.timings, "model", () => worldOfPlan(file, plan, options, extractionNotes, false));
  const positions = new PlanPositions(planText, offset);
  return {
    ...world,
    locate: (origin) => (origin.file === file && origin.pointer !== undefined ? positions.region(origin.pointer) : undefined),
  };
}

/**
 * A world from a plan object: a plan file's, or one the configuration reader wrote from `.tf` files
 * (then `fromConfiguration`: its tfRoot is the configuration itself, and plan-only notes do not apply).
 */
export function worldOfPlan(
  file: string,
  plan: RawPlan,
  options: TerraformOptions,
  extractionNotes: SourceNote[],
  fromConfiguration: boolean,
): World {
  const index = new PlanIndex(plan);
  const refs = new References(index, plan);
  let root: TerraformRoot | undefined;
  if (options.tfRoot !== undefined) {
    root = new TerraformRoot(options.tfRoot, index.scopes, options.cwd);
    if (!root.exists())
      throw new InputError(
        "--tf-root is not a directory",
        options.tfRoot,
        undefined,
        undefined,
        "give the directory of the .tf files the plan was made from",
      );
  }
  const r = new Reader(index, refs, file, root);
  registerDefaultAliases(r);

  const world = emptyWorld("terraform", [file], {
    region:
      (options.region ? known(options.region) : undefined) ??
      regionOf(r) ??
      unknown("parameter", "the plan does not say which region (the provider's region is not a constant)", "pass --region"),
    dhmc: assumedDhmc(options.dhmc, dhmcOf(r)),
    agentVersion: assumedAgentVersion(options.agentVersion),
  });
  buildNetwork(r, world);
  buildIam(r, world);
  buildCompute(r, world);
  const sessionPreferences = sessionPreferencesOf(r);

  const notes: SourceNote[] = [...extractionNotes];
  const format = /^(\d+)\./.exec(plan.format_version ?? "");
  if (format && Number(format[1]) > KNOWN_FORMAT_MAJOR)
    notes.push({
      level: "warning",
      code: "plan-format",
      message: `the plan's format_version ${plan.format_version} is newer than this version of ssm-doctor knows (1.x); some values may be missed`,
    });
  if (index.fromPlannedValuesOnly && !fromConfiguration)
    notes.push({
      level: "warning",
      code: "plan-partial",
      message: "the plan has no resource_changes, only planned_values: values Terraform computes at apply are treated as unknown",
    });
  if (!index.hasConfiguration && !fromConfiguration)
    notes.push({
      level: "warning",
      code: "plan-no-configuration",
      message: "the plan has no configuration section: what computed values (ids of new resources) refer to cannot be followed",
    });
  if (fromConfiguration) {
    // The configuration reader says itself what it could not read.
  } else if (!root) {
    notes.push({
      level: "info",
      code: "tf-root",
      message:
        "locations point into the plan file; pass --tf-root DIR (the directory of the .tf files) to point at the .tf lines, which GitHub and SARIF annotations need",
    });
  } else {
    const missing = r.unlocatedAddresses;
    if (missing.length > 0)
      notes.push({
        level: "info",
        code: "tf-root-unlocated",
        message: `${missing.length} resource${missing.length === 1 ? " is" : "s are"} not in the .tf files under ${options.tfRoot} (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}); their locations point into the plan`,
      });
    if (root.missingModules.size > 0)
      notes.push({
        level: "info",
        code: "tf-root-modules",
        message: `the sources of ${[...root.missingModules].slice(0, 3).join(", ")} are not local directories and .terraform/modules/modules.json does not list them (run terraform init under ${options.tfRoot})`,
      });
  }
  world.notes.push(...notes);
  return sessionPreferences ? { ...world, sessionPreferences } : world;
}

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
  load(input, options) {
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
    looksLikePlanText(before.text) && looksLikePlanText(after.text) ? compareTerraformPlans(before, after) : undefined,
};
