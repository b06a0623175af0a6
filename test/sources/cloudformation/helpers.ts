/** Test helpers: load a template from inline YAML, evaluate one property, read Values. */
import { InputError, type Value, type World } from "../../../src/model/index.js";
import { type CloudFormationOptions, loadCloudFormation } from "../../../src/sources/cloudformation/index.js";
import { parseTemplate } from "../../../src/sources/cloudformation/parse.js";
import { Template } from "../../../src/sources/cloudformation/template.js";
import type { Evaluated } from "../../../src/sources/cloudformation/types.js";

export const FILE = "templates/test.yaml";

/** Removes the common indentation so templates can be written indented in test code. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

export function load(yaml: string, options: CloudFormationOptions = {}): World {
  return loadCloudFormation(FILE, dedent(yaml), options);
}

export function template(yaml: string, options: CloudFormationOptions = {}): Template {
  return new Template(FILE, parseTemplate(FILE, dedent(yaml)), options);
}

/**
 * Evaluates `expression` (YAML, one line or block) as property P of a resource R, with extra
 * top-level sections (Parameters, Conditions, Mappings, other resources) given in `sections`.
 */
export function evaluate(expression: string, sections = "", options: CloudFormationOptions = {}): Evaluated {
  const body = dedent(sections);
  const hasResources = /^Resources:/m.test(body);
  const resource = `  R:\n    Type: AWS::Test::Thing\n    Properties:\n      P: ${expression.replace(/\n/g, "\n        ")}\n`;
  const text = hasResources ? body.replace(/^Resources:\n/m, `Resources:\n${resource}`) : `${body}\nResources:\n${resource}`;
  const t = new Template(FILE, parseTemplate(FILE, text), options);
  return t.prop(t.resources.get("R")!, "P");
}

/** The value of a known Value (throws otherwise, with the reason, so failures read well). */
export function v<T>(value: Value<T> | undefined): T {
  if (!value) throw new Error("value is undefined");
  if (value.kind !== "known") throw new Error(`expected a known value, got unknown: ${value.reason.code}: ${value.reason.message}`);
  return value.value;
}

/** Known list of known items → plain array. */
export function items<T>(list: Value<Value<T>[]> | undefined): T[] {
  return v(list).map((item) => v(item));
}

export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw new Error(`expected an InputError, got ${String(error)}`);
  }
  throw new Error("expected an InputError, nothing was thrown");
}
