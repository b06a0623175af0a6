/**
 * A plan object → World, element by element: the region and DHMC the run assumes, then VPCs, subnets,
 * route tables, gateways, security groups, network ACLs, endpoints, DHCP options, hosted zones, IAM,
 * instances and session preferences, and the notes on what the plan could not say.
 */
import {
  assumedAgentVersion,
  assumedDhmc,
  DHMC_SETTING_ID,
  type DhmcSetting,
  dhmcOfSettingValue,
  emptyWorld,
  InputError,
  known,
  type SourceNote,
  type StatedAssumptions,
  type Timings,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { buildEndpoints } from "./endpoint.js";
import { buildHostedZones, buildResolverRules } from "./hosted-zone.js";
import { buildIam } from "./iam.js";
import { buildInstanceStates, buildInstances } from "./instance.js";
import { buildNetworkAcls } from "./network-acl.js";
import { PlanIndex } from "./plan-index.js";
import { Reader } from "./reader.js";
import { References } from "./references.js";
import { buildGateways, buildRouteTables } from "./route-table.js";
import { buildSecurityGroups } from "./security-group.js";
import { buildLogGroups, buildSessionPreferences } from "./session-preferences.js";
import { buildSubnets } from "./subnet.js";
import { TerraformRoot } from "./tf-root.js";
import { isObject, type RawPlan } from "./types.js";
import { buildBlockPublicAccess, buildDhcpOptions, buildVpcs, registerDefaultAliases, uncertainDefaults } from "./vpc.js";

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
function regionOf(reader: Reader): Value<string> | undefined {
  const providers = reader.index.plan.configuration?.provider_config ?? {};
  const aws = Object.entries(providers).find(
    ([key, p]) => key === "aws" || (isObject(p) && p.name === "aws" && !p.alias && !key.includes(":")),
  )?.[1];
  const expression = aws?.expressions?.region;
  if (expression && !Array.isArray(expression)) {
    const targets = reader.refs.resolve(expression, { scope: reader.index.root, module: [] });
    const constant = targets.find((t) => t.kind === "constant" && typeof t.value === "string" && t.value !== "");
    if (constant?.kind === "constant") return known(constant.value as string);
  }
  for (const resource of reader.index.byAddress.values()) {
    if (resource.mode !== "data" || resource.type !== "aws_region" || resource.module.length > 0) continue;
    const name = resource.values.name ?? resource.values.region;
    if (typeof name === "string" && name !== "") return known(name);
  }
  return undefined;
}

/** The DHMC setting when the plan sets it (an aws_ssm_service_setting); undefined when it does not. */
function dhmcOf(reader: Reader): Value<DhmcSetting> | undefined {
  for (const resource of reader.index.ofType("aws_ssm_service_setting")) {
    const id = reader.raw(resource, ["setting_id"]);
    if (id.kind !== "value" || typeof id.value !== "string" || !id.value.endsWith(DHMC_SETTING_ID)) continue;
    const origin = reader.origin(resource);
    const value = reader.str(resource, ["setting_value"]);
    if (value.kind !== "known") return { ...value, origin };
    return known(dhmcOfSettingValue(value.value, origin), origin);
  }
  return undefined;
}

/** --tf-root, checked: undefined when it was not given. */
function terraformRootOf(options: TerraformOptions, index: PlanIndex): TerraformRoot | undefined {
  if (options.tfRoot === undefined) return undefined;
  const root = new TerraformRoot(options.tfRoot, index.scopes, options.cwd);
  if (!root.exists())
    throw new InputError(
      "--tf-root is not a directory",
      options.tfRoot,
      undefined,
      undefined,
      "give the directory of the .tf files the plan was made from",
    );
  return root;
}

/** What the plan itself could not say: its format, missing sections, and where locations point. */
function planNotes(
  reader: Reader,
  plan: RawPlan,
  options: TerraformOptions,
  root: TerraformRoot | undefined,
  fromConfiguration: boolean,
): SourceNote[] {
  const notes: SourceNote[] = [];
  const format = /^(\d+)\./.exec(plan.format_version ?? "");
  if (format && Number(format[1]) > KNOWN_FORMAT_MAJOR)
    notes.push({
      level: "warning",
      code: "plan-format",
      message: `the plan's format_version ${plan.format_version} is newer than this version of ssm-doctor knows (1.x); some values may be missed`,
    });
  if (reader.index.fromPlannedValuesOnly && !fromConfiguration)
    notes.push({
      level: "warning",
      code: "plan-partial",
      message: "the plan has no resource_changes, only planned_values: values Terraform computes at apply are treated as unknown",
    });
  if (!reader.index.hasConfiguration && !fromConfiguration)
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
    const missing = reader.unlocatedAddresses;
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
  return notes;
}

/**
 * A world from a plan object: a plan file's, or one the configuration reader wrote from `.tf` files
 * (then `fromConfiguration`: its tfRoot is the configuration itself, and plan-only notes do not apply).
 */
export function buildWorld(
  file: string,
  plan: RawPlan,
  options: TerraformOptions,
  extractionNotes: SourceNote[],
  fromConfiguration: boolean,
): World {
  const index = new PlanIndex(plan);
  const refs = new References(index, plan);
  const root = terraformRootOf(options, index);
  const reader = new Reader(index, refs, file, root);
  const uncertain = registerDefaultAliases(reader);

  const world = emptyWorld("terraform", [file], {
    region:
      (options.region ? known(options.region) : undefined) ??
      regionOf(reader) ??
      unknown("parameter", "the plan does not say which region (the provider's region is not a constant)", "pass --region"),
    dhmc: assumedDhmc(options.dhmc, dhmcOf(reader)),
    agentVersion: assumedAgentVersion(options.agentVersion),
  });
  buildVpcs(reader, world);
  uncertainDefaults(reader, world, uncertain);
  buildSubnets(reader, world);
  buildRouteTables(reader, world);
  buildGateways(reader, world);
  buildSecurityGroups(reader, world);
  buildNetworkAcls(reader, world);
  buildEndpoints(reader, world);
  buildDhcpOptions(reader, world);
  buildBlockPublicAccess(reader, world);
  buildHostedZones(reader, world);
  buildResolverRules(reader, world);
  buildIam(reader, world);
  buildInstances(reader, world);
  buildInstanceStates(reader, world);
  buildLogGroups(reader, world);
  const sessionPreferences = buildSessionPreferences(reader);

  world.notes.push(...extractionNotes, ...planNotes(reader, plan, options, root, fromConfiguration));
  return sessionPreferences ? { ...world, sessionPreferences } : world;
}
