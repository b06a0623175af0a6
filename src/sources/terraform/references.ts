/**
 * Following a configuration expression to what it refers to: resource instances of the plan (all
 * instances of a count/for_each resource unless the reference names one), constants (variables with
 * values), or the reason it cannot be followed. `var.` goes up through the module call's arguments,
 * `module.x.out` down through the module's outputs, recursively. `aws_sg.x.id` and `aws_sg.x` are one
 * reference; the attribute is kept, since `aws_vpc.v.default_security_group_id` is not the VPC.
 */
import type { UnknownCode } from "../../model/index.js";
import { type ModuleSegment, type ParsedReference, parseReference, resourceKey } from "./addresses.js";
import type { ModuleScope, PlanIndex, TfResource } from "./plan-index.js";
import { isObject, type Json, type RawExpression, type RawPlan } from "./types.js";

export type Target =
  | { readonly kind: "resource"; readonly resource: TfResource; readonly attribute: readonly string[]; readonly ref: string }
  | { readonly kind: "constant"; readonly value: Json; readonly from: string }
  | { readonly kind: "unresolved"; readonly ref: string; readonly code: UnknownCode; readonly reason: string };

/** Where an expression is evaluated: the module's configuration and the module instance. */
export interface Context {
  readonly scope: ModuleScope;
  readonly module: readonly ModuleSegment[];
}

const MAX_DEPTH = 24;

/** Expressions are shared by every instance of a resource or module: their references are parsed once. */
const deduped = new WeakMap<RawExpression, ParsedReference[]>();

/** Reference strings of one expression, deduplicated per resource (indexed and attributed forms win). */
function dedupe(refs: readonly string[]): ParsedReference[] {
  const parsed = refs.map((text) => ({ text, ref: parseReference(text) }));
  const out: ParsedReference[] = [];
  const byResource = new Map<string, Extract<ParsedReference, { kind: "resource" }>[]>();
  const seen = new Set<string>();
  for (const { text, ref } of parsed) {
    if (ref.kind === "resource") {
      const key = `${ref.mode}.${ref.type}.${ref.name}`;
      const list = byResource.get(key) ?? [];
      list.push(ref);
      byResource.set(key, list);
      continue;
    }
    const key = ref.kind === "module-output" ? `module.${ref.module}.${String(ref.index)}.${ref.output ?? ""}` : text;
    if (seen.has(key)) continue;
    seen.add(key);
    // `module.x` and `module.x.out` together: the output is what is meant.
    if (
      ref.kind === "module-output" &&
      ref.output === undefined &&
      parsed.some((p) => p.ref.kind === "module-output" && p.ref.module === ref.module && p.ref.output)
    )
      continue;
    out.push(ref);
  }
  for (const list of byResource.values()) {
    const indexed = list.filter((r) => r.index !== undefined);
    const candidates = indexed.length > 0 ? indexed : list;
    const attributed = candidates.filter((r) => r.attribute.length > 0);
    const chosen = attributed.length > 0 ? attributed : candidates;
    const keys = new Set<string>();
    for (const r of chosen) {
      const k = `${String(r.index)}|${r.attribute.join(".")}`;
      if (keys.has(k)) continue;
      keys.add(k);
      out.push(r);
    }
  }
  return out;
}

export class References {
  /** Parsed references by the text of the list (references hold no newline). */
  private readonly byText = new Map<string, ParsedReference[]>();

  constructor(
    private readonly index: PlanIndex,
    private readonly plan: RawPlan,
  ) {}

  /** The context a resource's own expressions are evaluated in. */
  contextOf(resource: TfResource): Context | undefined {
    const scope = this.index.scopes.get(resource.configModule);
    return scope ? { scope, module: resource.module } : undefined;
  }

  /** What an expression refers to (a constant_value is itself a constant target). */
  resolve(expression: RawExpression | undefined, context: Context, depth = 0): Target[] {
    if (!expression) return [];
    if (expression.constant_value !== undefined) return [{ kind: "constant", value: expression.constant_value, from: "a constant" }];
    let parsed = deduped.get(expression);
    if (!parsed) {
      const refs = Array.isArray(expression.references) ? expression.references.filter((r): r is string => typeof r === "string") : [];
      // Instances of one module each carry their own copy of its configuration: equal lists are parsed once.
      const text = refs.join("\n");
      parsed = this.byText.get(text);
      if (!parsed) {
        parsed = dedupe(refs);
        this.byText.set(text, parsed);
      }
      deduped.set(expression, parsed);
    }
    const out: Target[] = [];
    for (const ref of parsed) out.push(...this.resolveOne(ref, context, depth));
    return out;
  }

  /** Module instance paths made while following references, made once each: the targets' cache is keyed by them. */
  private readonly children = new WeakMap<readonly ModuleSegment[], Map<string, readonly ModuleSegment[]>>();
  private readonly parents = new WeakMap<readonly ModuleSegment[], readonly ModuleSegment[]>();

  private childModule(module: readonly ModuleSegment[], name: string, index: string | number | undefined): readonly ModuleSegment[] {
    let byCall = this.children.get(module);
    if (!byCall) {
      byCall = new Map();
      this.children.set(module, byCall);
    }
    const key = `${name}\u0000${typeof index}\u0000${String(index)}`;
    let child = byCall.get(key);
    if (!child) {
      child = [...module, { name, ...(index !== undefined ? { index } : {}) }];
      byCall.set(key, child);
      this.parents.set(child, module);
    }
    return child;
  }

  private parentModule(module: readonly ModuleSegment[]): readonly ModuleSegment[] {
    let parent = this.parents.get(module);
    if (!parent) {
      parent = module.slice(0, -1);
      this.parents.set(module, parent);
    }
    return parent;
  }

  /** A resource reference's targets in a module instance: the same in every expression that makes it. */
  private readonly resourceTargets = new WeakMap<ModuleScope, WeakMap<readonly ModuleSegment[], Map<ParsedReference, Target[]>>>();

  private resourceTargetsOf(ref: Extract<ParsedReference, { kind: "resource" }>, context: Context, text: string): Target[] {
    let byModule = this.resourceTargets.get(context.scope);
    if (!byModule) {
      byModule = new WeakMap();
      this.resourceTargets.set(context.scope, byModule);
    }
    let byRef = byModule.get(context.module);
    if (!byRef) {
      byRef = new Map();
      byModule.set(context.module, byRef);
    }
    let targets = byRef.get(ref);
    if (!targets) {
      targets = this.findResourceTargets(ref, context, text);
      byRef.set(ref, targets);
    }
    return targets;
  }

  private findResourceTargets(ref: Extract<ParsedReference, { kind: "resource" }>, context: Context, text: string): Target[] {
    const instances = this.index.instancesOf(context.scope, context.module, ref.mode, ref.type, ref.name, ref.index);
    if (instances.length === 0) {
      const declared = context.scope.resources.has(resourceKey(ref.mode, ref.type, ref.name));
      if (ref.mode === "data")
        return [{ kind: "unresolved", ref: text, code: "outside", reason: `${text} is read from the account when Terraform applies` }];
      // A declared resource with no planned instance (count = 0, or being destroyed) contributes nothing.
      if (declared) return [];
      return [{ kind: "unresolved", ref: text, code: "outside", reason: `${text} is not in this plan` }];
    }
    return instances.map((resource) => ({ kind: "resource", resource, attribute: ref.attribute, ref: text }));
  }

  private resolveOne(ref: ParsedReference, context: Context, depth: number): readonly Target[] {
    const text = describe(ref);
    if (depth > MAX_DEPTH) return [{ kind: "unresolved", ref: text, code: "unsupported", reason: "references nest too deeply" }];
    switch (ref.kind) {
      case "resource":
        return this.resourceTargetsOf(ref, context, text);
      case "variable":
        return this.variable(ref.name, context, depth);
      case "module-output": {
        const child = context.scope.calls.get(ref.module);
        if (!child || ref.output === undefined)
          return [{ kind: "unresolved", ref: text, code: "unresolved", reason: `${text} is a whole module, not one of its outputs` }];
        const output = child.outputs[ref.output];
        if (!output?.expression)
          return [
            {
              kind: "unresolved",
              ref: text,
              code: "outside",
              reason: `the module's source is not in the plan, so ${text} cannot be followed`,
            },
          ];
        const module = this.childModule(context.module, ref.module, ref.index);
        return this.resolve(output.expression, { scope: child, module }, depth + 1);
      }
      case "other":
        return [
          {
            kind: "unresolved",
            ref: ref.text,
            code: "unresolved",
            reason: `${ref.text} is not in the plan JSON (locals and iteration values are not exported)`,
          },
        ];
    }
  }

  /** `var.x`: the module call's argument (in the caller's context), else the variable's default; at the root, the plan's variable values. */
  private variable(name: string, context: Context, depth: number): Target[] {
    const { scope } = context;
    const text = `var.${name}`;
    const declared = scope.variables[name];
    if (isObject(declared) && declared.sensitive === true)
      return [
        { kind: "unresolved", ref: text, code: "unsupported", reason: `${text} is sensitive; ssm-doctor does not read sensitive values` },
      ];
    if (!scope.parent) {
      const value = this.plan.variables?.[name];
      if (isObject(value) && value.value !== undefined) return [{ kind: "constant", value: value.value, from: text }];
      if (isObject(declared) && declared.default !== undefined) return [{ kind: "constant", value: declared.default, from: text }];
      return [{ kind: "unresolved", ref: text, code: "parameter", reason: `${text} has no value (pass -var ${name}=…)` }];
    }
    const argument = scope.call?.expressions?.[name];
    if (argument && !Array.isArray(argument)) {
      const parent: Context = { scope: scope.parent, module: this.parentModule(context.module) };
      if (argument.constant_value !== undefined) return [{ kind: "constant", value: argument.constant_value, from: text }];
      return this.resolve(argument, parent, depth + 1);
    }
    if (isObject(declared) && declared.default !== undefined) return [{ kind: "constant", value: declared.default, from: text }];
    if (argument === undefined && isObject(declared)) return [{ kind: "constant", value: null, from: text }];
    return [{ kind: "unresolved", ref: text, code: "unresolved", reason: `${text} of ${scope.path} cannot be followed` }];
  }
}

const described = new WeakMap<ParsedReference, string>();

/** A reference as written (parsed references are shared, so is their text). */
function describe(ref: ParsedReference): string {
  let text = described.get(ref);
  if (text === undefined) {
    text = describeReference(ref);
    described.set(ref, text);
  }
  return text;
}

function describeReference(ref: ParsedReference): string {
  switch (ref.kind) {
    case "resource":
      return `${resourceKey(ref.mode, ref.type, ref.name)}${ref.index === undefined ? "" : typeof ref.index === "number" ? `[${ref.index}]` : `["${ref.index}"]`}`;
    case "variable":
      return `var.${ref.name}`;
    case "module-output":
      return `module.${ref.module}${ref.output ? `.${ref.output}` : ""}`;
    case "other":
      return ref.text;
  }
}
