/**
 * The parts of Terraform's plan JSON (`terraform show -json <planfile>`, format 0.1–1.2) this source
 * reads. Every field is optional: plans from 0.12 to 1.9 differ, and partial plans exist.
 * https://developer.hashicorp.com/terraform/internals/json-format
 */
import type { UnknownCode, UnknownReason } from "../../model/index.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A configuration expression: a constant, and/or the references it makes. `{}` = something else (a function call). */
export interface RawExpression {
  constant_value?: Json;
  references?: string[];
  /**
   * Written by ssm-doctor's configuration reader only (Terraform does not): the expression holds a for expression with
   * an if clause, so which of the instances it refers to it keeps is not known from the references.
   */
  filtered?: true;
}

/** Expressions of a resource or a nested block: attribute → expression, or block name → one map per block. */
export interface RawExpressions {
  [name: string]: RawExpression | RawExpressions[] | undefined;
}

export interface RawConfigResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  provider_config_key?: string;
  expressions?: RawExpressions;
  count_expression?: RawExpression;
  for_each_expression?: RawExpression;
}

export interface RawModuleCall {
  source?: string;
  expressions?: RawExpressions;
  count_expression?: RawExpression;
  for_each_expression?: RawExpression;
  module?: RawConfigModule;
}

export interface RawConfigModule {
  resources?: RawConfigResource[];
  module_calls?: Record<string, RawModuleCall>;
  outputs?: Record<string, { expression?: RawExpression; sensitive?: boolean }>;
  variables?: Record<string, { default?: Json; sensitive?: boolean }>;
}

export interface RawChange {
  actions?: string[];
  after?: Json;
  after_unknown?: Json;
  after_sensitive?: Json;
}

/** Not in Terraform's format: why values are unknown (dotted path → reason), set by the configuration reader. */
export type RawUnknownReasons = Record<string, { code: UnknownCode; message: string; decide?: string }>;

export interface RawResourceChange {
  address?: string;
  module_address?: string;
  mode?: string;
  type?: string;
  name?: string;
  index?: string | number;
  provider_name?: string;
  deposed?: string;
  change?: RawChange;
  unknown_reasons?: RawUnknownReasons;
  /** Written from a configuration only: why it is not known whether the instance is created (count or for_each). */
  may_not_exist?: UnknownReason;
}

export interface RawResourceValues {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  index?: string | number;
  provider_name?: string;
  values?: JsonObject;
  sensitive_values?: Json;
}

export interface RawModuleValues {
  address?: string;
  resources?: RawResourceValues[];
  child_modules?: RawModuleValues[];
}

export interface RawProviderConfig {
  name?: string;
  full_name?: string;
  alias?: string;
  expressions?: RawExpressions;
}

export interface RawPlan {
  format_version?: string;
  terraform_version?: string;
  variables?: Record<string, { value?: Json }>;
  planned_values?: { root_module?: RawModuleValues };
  resource_changes?: RawResourceChange[];
  prior_state?: { values?: { root_module?: RawModuleValues } };
  configuration?: { provider_config?: Record<string, RawProviderConfig>; root_module?: RawConfigModule };
}

export function isObject(x: unknown): x is JsonObject {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A non-null, non-array object, keeping the declared type of a raw plan part. */
export function isStruct<T>(x: T): x is Extract<T, object> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
