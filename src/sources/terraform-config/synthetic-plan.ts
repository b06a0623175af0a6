/**
 * Writes what a configuration says in the shape of a plan (`terraform show -json`), so the Terraform
 * plan source reads it with the same code, rules and fixes: every resource instance with its known
 * values (`after`) and what Terraform would know only later (`after_unknown`), and the configuration's
 * expressions with their references. Nothing here knows about the model.
 */
import { configKey, formatModulePath, parseModulePath, parseReference } from "../terraform/addresses.js";
import type { Json, JsonObject, RawConfigModule, RawExpression, RawExpressions, RawPlan, RawResourceChange } from "../terraform/types.js";
import { ALWAYS_COMPUTED } from "./computed.js";
import { evaluateSafely, hasFilteredFor, referencesOf } from "./evaluate.js";
import {
  type Body,
  bodyParts,
  computedWhenUnset,
  dynamicEntries,
  type ModuleConfig,
  type ModuleInstance,
  type ResourceInstance,
  readAtApply,
  readAtPlan,
} from "./module.js";
import type { HclNode } from "./parse.js";
import { firstUnknown, isObjectValue, LazyObject, type TfValue, Unknown } from "./values.js";

/** Why a value is unknown, by dotted path, for the messages the plan source writes. */
export type UnknownReasons = Record<string, { code: Unknown["code"]; message: string; decide?: string }>;

/** Known part and unknown markers of a value. */
function split(v: TfValue, path: string, reasons: UnknownReasons): { after?: Json; unknown?: Json } {
  if (v instanceof Unknown || v instanceof LazyObject) {
    const u = v instanceof Unknown ? v : new Unknown("computed", `${v.describe} is known only after apply`);
    reasons[path] ??= u.decide ? { code: u.code, message: u.message, decide: u.decide } : { code: u.code, message: u.message };
    return { unknown: true };
  }
  if (Array.isArray(v)) {
    const after: Json[] = [];
    const unknown: Json[] = [];
    let any = false;
    v.forEach((item, i) => {
      const s = split(item, `${path}.${i}`, reasons);
      after.push(s.after ?? null);
      unknown.push(s.unknown ?? false);
      if (s.unknown !== undefined) any = true;
    });
    return any ? { after, unknown } : { after };
  }
  if (isObjectValue(v)) {
    const after: JsonObject = {};
    const unknown: JsonObject = {};
    let any = false;
    for (const [k, item] of Object.entries(v)) {
      const s = split(item, path === "" ? k : `${path}.${k}`, reasons);
      if (s.after !== undefined) after[k] = s.after;
      if (s.unknown !== undefined) {
        unknown[k] = s.unknown;
        any = true;
      }
    }
    return any ? { after, unknown } : { after };
  }
  return { after: v };
}

function expressionOf(node: HclNode, scope: ModuleInstance["scope"], label: string): RawExpression {
  // As Terraform does, the references name the iteration values the expression uses beside the others: in
  // `aws_security_group.app[count.index].id` the index is not written into the reference, and count.index says
  // that an instance is picked (src/sources/terraform/reader.ts). Alone, they are values this reader may know.
  const all = referencesOf(node, new Set(scope.vars.keys()), true);
  const iterated = (r: string) => r.startsWith("count.") || r.startsWith("each.");
  const references = all.filter((r) => !iterated(r));
  if (references.length > 0)
    return { references: [...references, ...all.filter(iterated)], ...(hasFilteredFor(node) ? { filtered: true as const } : {}) };
  const value = evaluateSafely(node, scope, label);
  // Not known here (`each.value.id` of instances whose ids are computed): the iteration references, as Terraform
  // writes them, so the reader says why rather than taking the argument for unset.
  if (firstUnknown(value) || value instanceof LazyObject) return all.length > 0 ? { references: all } : {};
  return { constant_value: split(value, "", {}).after ?? null };
}

/** The expressions of a body (blocks as lists of their own), as a plan's configuration writes them. */
function expressionsOf(body: Body, scope: ModuleInstance["scope"], label: string, topLevel: boolean): RawExpressions {
  const { attributes, blocks } = bodyParts(body);
  const out: RawExpressions = {};
  for (const [name, expr] of attributes) {
    if (topLevel && (name === "count" || name === "for_each" || name === "depends_on" || name === "provider")) continue;
    out[name] = expressionOf(expr, scope, label);
  }
  for (const block of blocks) {
    if (topLevel && (block.type === "lifecycle" || block.type === "provisioner" || block.type === "connection")) continue;
    let name = block.type;
    let inner = block.body;
    let times = 1;
    if (block.type === "dynamic") {
      const parts = bodyParts(block.body);
      const content = parts.blocks.find((b) => b.type === "content");
      const forEach = parts.attributes.get("for_each");
      if (!block.labels[0] || !content || !forEach) continue;
      name = block.labels[0];
      inner = content.body;
      // As many blocks as the expansion gives (one when it is not known).
      const collection = evaluateSafely(forEach, scope, label);
      times = collection instanceof Unknown ? 1 : dynamicEntries(collection).length;
    }
    const list = (out[name] as RawExpressions[] | undefined) ?? [];
    for (let i = 0; i < times; i++) list.push(expressionsOf(inner, scope, label, false));
    if (list.length > 0) out[name] = list;
  }
  return out;
}

function providerName(type: string): string {
  const provider = type.split("_")[0] ?? type;
  return `registry.terraform.io/hashicorp/${provider}`;
}

/**
 * An attribute the configuration does not set, as Terraform would know it: a managed resource's is known after apply;
 * a data source's is read by Terraform (`read` says when, for the messages the plan source writes).
 */
function markUnknown(
  name: string,
  after: JsonObject,
  unknown: JsonObject,
  reasons: UnknownReasons,
  read: ((name: string) => Unknown) | undefined,
): void {
  if (name in after || name in unknown) return;
  unknown[name] = true;
  const u = read?.(name);
  if (u) reasons[name] = { code: u.code, message: u.message, ...(u.decide ? { decide: u.decide } : {}) };
}

/**
 * A resource instance as a plan's resource change. `referenced`: for a data source, the attributes the configuration
 * refers to (an attribute it does not set is read when Terraform plans, so it is not known here).
 */
function changeOf(instance: ResourceInstance, module: ModuleInstance, referenced?: ReadonlySet<string>): RawResourceChange {
  const { config } = instance;
  const { attributes, blocks } = instance.values;
  const reasons: UnknownReasons = {};
  const after: JsonObject = {};
  const unknown: JsonObject = {};
  for (const [name, value] of attributes) {
    const s = split(value, name, reasons);
    if (s.after !== undefined) after[name] = s.after;
    if (s.unknown !== undefined) unknown[name] = s.unknown;
  }
  for (const [name, list] of blocks) {
    const s = split(list, name, reasons);
    if (s.after !== undefined) after[name] = s.after;
    if (s.unknown !== undefined) unknown[name] = s.unknown;
  }
  const computed = config.mode === "managed" ? [...ALWAYS_COMPUTED, ...computedWhenUnset(config.type)] : ["id", "arn", "json", "value"];
  // Terraform reads a data source when it plans, unless an argument is known only after apply.
  const atApply = config.mode === "data" && [...attributes.values(), ...blocks.values()].some((v) => firstUnknown(v) !== undefined);
  const read = config.mode === "data" ? (name: string) => (atApply ? readAtApply : readAtPlan)(instance.address, name) : undefined;
  for (const name of [...computed, ...(referenced ?? [])]) markUnknown(name, after, unknown, reasons, read);
  return {
    address: instance.address,
    ...(module.address !== "" ? { module_address: module.address } : {}),
    mode: config.mode,
    type: config.type,
    name: config.name,
    ...(instance.index !== undefined ? { index: instance.index } : {}),
    provider_name: providerName(config.type),
    change: { actions: [config.mode === "data" ? "read" : "create"], after, after_unknown: unknown },
    ...(Object.keys(reasons).length > 0 ? { unknown_reasons: reasons } : {}),
    ...(instance.existence
      ? {
          may_not_exist: {
            code: instance.existence.code,
            message: instance.existence.message,
            ...(instance.existence.decide ? { decide: instance.existence.decide } : {}),
          },
        }
      : {}),
  };
}

/** The configuration section of one module (shared by all its instances: evaluated with the first). */
function configurationOf(module: ModuleInstance): RawConfigModule {
  const config: ModuleConfig = module.config;
  const resources = [...config.resources.values()].map((r) => {
    const { attributes } = bodyParts(r.block.body);
    const count = attributes.get("count");
    const forEach = attributes.get("for_each");
    const address = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    return {
      address,
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider_config_key: r.type.split("_")[0] ?? r.type,
      expressions: expressionsOf(r.block.body, module.scope, address, true),
      ...(count ? { count_expression: expressionOf(count, module.scope, `count of ${address}`) } : {}),
      ...(forEach ? { for_each_expression: expressionOf(forEach, module.scope, `for_each of ${address}`) } : {}),
    };
  });
  const module_calls: NonNullable<RawConfigModule["module_calls"]> = {};
  for (const [name, block] of config.calls) {
    const { attributes } = bodyParts(block.body);
    const state = module.call(name);
    const child = state.kind === "single" ? state.instance : state.kind === "many" ? [...state.instances.values()][0] : state.instance;
    const expressions: RawExpressions = {};
    for (const [arg, expr] of attributes)
      if (!["source", "version", "count", "for_each", "providers", "depends_on"].includes(arg))
        expressions[arg] = expressionOf(expr, module.scope, arg);
    const source = attributes.get("source");
    const count = attributes.get("count");
    const forEach = attributes.get("for_each");
    module_calls[name] = {
      ...(source ? { source: String(evaluateSafely(source, module.scope, "source")) } : {}),
      expressions,
      ...(count ? { count_expression: expressionOf(count, module.scope, "count") } : {}),
      ...(forEach ? { for_each_expression: expressionOf(forEach, module.scope, "for_each") } : {}),
      ...(child ? { module: configurationOf(child) } : {}),
    };
  }
  const outputs: NonNullable<RawConfigModule["outputs"]> = {};
  for (const [name, expr] of config.outputs) outputs[name] = { expression: expressionOf(expr, module.scope, name) };
  const variables: NonNullable<RawConfigModule["variables"]> = {};
  for (const [name, block] of config.variables) {
    const def = bodyParts(block.body).attributes.get("default");
    const value = def ? evaluateSafely(def, module.scope, name) : undefined;
    variables[name] = value !== undefined && !firstUnknown(value) ? { default: split(value, "", {}).after ?? null } : {};
  }
  return { resources, module_calls, outputs, variables };
}

/** Every module instance under a root, depth first. */
function* modulesOf(module: ModuleInstance): Generator<ModuleInstance> {
  yield module;
  for (const name of module.config.calls.keys()) {
    const state = module.call(name);
    if (state.kind === "single") yield* modulesOf(state.instance);
    else if (state.kind === "many") for (const m of state.instances.values()) yield* modulesOf(m);
    else if (state.instance) yield* modulesOf(state.instance);
  }
}

export interface SyntheticPlan {
  plan: RawPlan;
  /** Remote or missing modules: call address → why. */
  missingModules: string[];
}

/**
 * The attributes of data sources that a module's expressions refer to, by configuration key (`configKey`: module
 * path without keys, and `data.type.name`).
 */
function dataAttributes(config: RawConfigModule, path: string, into: Map<string, Set<string>>): Map<string, Set<string>> {
  const note = (expression: RawExpression | undefined) => {
    for (const text of expression?.references ?? []) {
      const ref = parseReference(text);
      const attribute = ref.kind === "resource" && ref.mode === "data" ? ref.attribute[0] : undefined;
      if (ref.kind !== "resource" || attribute === undefined) continue;
      const key = configKey(path, "data", ref.type, ref.name);
      const set = into.get(key);
      if (set) set.add(attribute);
      else into.set(key, new Set([attribute]));
    }
  };
  const walk = (expressions: RawExpressions | undefined) => {
    for (const value of Object.values(expressions ?? {})) {
      if (Array.isArray(value)) for (const block of value) walk(block);
      else note(value);
    }
  };
  for (const r of config.resources ?? []) {
    walk(r.expressions);
    note(r.count_expression);
    note(r.for_each_expression);
  }
  for (const output of Object.values(config.outputs ?? {})) note(output.expression);
  for (const [name, call] of Object.entries(config.module_calls ?? {})) {
    walk(call.expressions);
    note(call.count_expression);
    note(call.for_each_expression);
    if (call.module) dataAttributes(call.module, `${path}${path ? "." : ""}module.${name}`, into);
  }
  return into;
}

export function writePlan(root: ModuleInstance): SyntheticPlan {
  const resource_changes: RawResourceChange[] = [];
  const missingModules: string[] = [];
  const root_module = configurationOf(root);
  const referenced = dataAttributes(root_module, "", new Map());
  for (const module of modulesOf(root)) {
    const path = formatModulePath(parseModulePath(module.address), false);
    for (const [key, config] of module.config.resources) {
      const instances = module.instances(key);
      if (instances instanceof Unknown) continue;
      const attributes = config.mode === "data" ? referenced.get(configKey(path, "data", config.type, config.name)) : undefined;
      for (const instance of instances) resource_changes.push(changeOf(instance, module, attributes));
    }
    for (const name of module.config.calls.keys()) {
      const state = module.call(name);
      if (state.kind === "unknown" && !state.instance) missingModules.push(`${module.prefix()}module.${name}: ${state.reason.message}`);
    }
  }
  const variables: NonNullable<RawPlan["variables"]> = {};
  for (const [name, value] of root.variables) if (!firstUnknown(value)) variables[name] = { value: split(value, "", {}).after ?? null };
  const provider_config: NonNullable<NonNullable<RawPlan["configuration"]>["provider_config"]> = {};
  for (const block of root.config.providers) {
    const name = block.labels[0];
    if (!name) continue;
    const alias = bodyParts(block.body).attributes.get("alias");
    const aliasName = alias ? String(evaluateSafely(alias, root.scope, "alias")) : undefined;
    provider_config[aliasName ? `${name}.${aliasName}` : name] = {
      name,
      full_name: providerName(`${name}_`),
      ...(aliasName ? { alias: aliasName } : {}),
      expressions: expressionsOf(block.body, root.scope, `provider ${name}`, true),
    };
    // The region as a constant when the configuration decides it (a variable with a value).
    const region = bodyParts(block.body).attributes.get("region");
    const entry = provider_config[aliasName ? `${name}.${aliasName}` : name];
    if (region && entry?.expressions) {
      const value = evaluateSafely(region, root.scope, "region");
      if (typeof value === "string") entry.expressions.region = { constant_value: value };
    }
  }
  return {
    plan: {
      format_version: "1.2",
      terraform_version: "1.11.0",
      variables,
      resource_changes,
      configuration: { provider_config, root_module },
    },
    missingModules,
  };
}
