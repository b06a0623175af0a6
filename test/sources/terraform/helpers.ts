/** Small hand-made plans for reader tests: resource changes, and the configuration they came from. */
import { RULES } from "../../../rules/index.js";
import { type RunResult, runRules } from "../../../src/engine/run.js";
import { unknown, type World } from "../../../src/model/index.js";
import { loadTerraformPlan, type TerraformOptions } from "../../../src/sources/terraform/load.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Change {
  address: string;
  type?: string;
  name?: string;
  module?: string;
  index?: string | number;
  mode?: "managed" | "data";
  actions?: string[];
  after?: { [key: string]: Json };
  unknown?: { [key: string]: Json };
  sensitive?: { [key: string]: Json };
  provider?: string;
}

/** type and name from an address such as `module.m.aws_sg.x["k"]`. */
function parts(c: Change) {
  const bare = c.address.replace(/\[[^\]]*\]/g, "");
  const segments = bare.split(".");
  const data = segments.at(-3) === "data";
  return { type: c.type ?? segments.at(-2)!, name: c.name ?? segments.at(-1)!, mode: c.mode ?? (data ? "data" : "managed") };
}

export function change(c: Change): Json {
  const { type, name, mode } = parts(c);
  return {
    address: c.address,
    ...(c.module !== undefined ? { module_address: c.module } : {}),
    mode,
    type,
    name,
    ...(c.index !== undefined ? { index: c.index } : {}),
    provider_name: c.provider ?? "registry.terraform.io/hashicorp/aws",
    change: {
      actions: c.actions ?? [mode === "data" ? "read" : "create"],
      before: null,
      after: c.after ?? {},
      after_unknown: c.unknown ?? {},
      after_sensitive: c.sensitive ?? {},
    },
  };
}

export function plan(options: {
  version?: string;
  format?: string;
  changes: Change[];
  configuration?: Json;
  variables?: { [key: string]: Json };
  region?: string;
}): string {
  const configuration = options.configuration ?? {
    provider_config: { aws: { name: "aws", expressions: { region: { constant_value: options.region ?? "us-east-1" } } } },
    root_module: {},
  };
  return JSON.stringify(
    {
      format_version: options.format ?? "1.2",
      terraform_version: options.version ?? "1.9.5",
      ...(options.variables ? { variables: Object.fromEntries(Object.entries(options.variables).map(([k, v]) => [k, { value: v }])) } : {}),
      resource_changes: options.changes.map(change),
      configuration,
    },
    null,
    2,
  );
}

export function load(text: string, options: TerraformOptions = {}): World {
  return loadTerraformPlan("plan.json", text, { dhmc: unknown("outside", "not visible"), ...options });
}

export function lint(text: string, options: TerraformOptions = {}): RunResult {
  return runRules(load(text, options), RULES, { today: "2026-01-01" });
}

/** A configuration resource entry. */
export function resource(address: string, expressions: { [key: string]: Json } = {}, extra: { [key: string]: Json } = {}): Json {
  const bare = address.replace(/\[[^\]]*\]/g, "");
  const segments = bare.split(".");
  const data = segments[0] === "data";
  return {
    address,
    mode: data ? "data" : "managed",
    type: segments.at(-2)!,
    name: segments.at(-1)!,
    provider_config_key: "aws",
    expressions,
    ...extra,
  };
}

export const refs = (...references: string[]) => ({ references });
export const constant = (value: Json) => ({ constant_value: value });

/** Two VPCs made in the plan, aws_vpc.v with aws_subnet.a and aws_vpc.w with aws_subnet.c: changes and configuration. */
export function twoVpcs(): { changes: Change[]; resources: Json[] } {
  return {
    changes: [
      { address: "aws_vpc.v", after: {}, unknown: { id: true } },
      { address: "aws_vpc.w", after: {}, unknown: { id: true } },
      { address: "aws_subnet.a", after: {}, unknown: { id: true, vpc_id: true } },
      { address: "aws_subnet.c", after: {}, unknown: { id: true, vpc_id: true } },
    ],
    resources: [
      resource("aws_subnet.a", { vpc_id: refs("aws_vpc.v.id", "aws_vpc.v") }),
      resource("aws_subnet.c", { vpc_id: refs("aws_vpc.w.id", "aws_vpc.w") }),
    ],
  };
}
