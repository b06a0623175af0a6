/**
 * Reading one resource's planned values into model Values. The rules of the plan format:
 * - a value in `after` is known (explicit); a known `null` means "not set": the provider default applies;
 * - a value absent from `after` with `after_unknown` true is computed at apply: unknown, unless the
 *   configuration does not set the argument, in which case the provider's documented default applies
 *   (Optional+Computed arguments such as enable_dns_hostnames and private_dns_enabled plan as unknown);
 * - at an unknown reference (vpc_id, security groups…) the configuration's `references` name the
 *   resources, which become model references;
 * - sensitive values are never read into the model.
 * Origins carry the plan file, a JSON pointer and the address; with --tf-root, the .tf file and line.
 */
import {
  defaulted,
  known,
  type Origin,
  type Ref,
  type Suppression,
  type UnknownCode,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
} from "../../model/index.js";
import { formatModulePath, type ModuleSegment, resourceKey } from "./addresses.js";
import type { PlanIndex, TfResource } from "./plan-index.js";
import { valuePointer } from "./plan-index.js";
import type { Context, References, Target } from "./references.js";
import type { TerraformRoot } from "./tf-root.js";
import type { Json, RawExpression, RawExpressions } from "./types.js";

export type Path = readonly (string | number)[];

export type RawValue = { kind: "value"; value: Json } | { kind: "null" } | { kind: "unknown" } | { kind: "sensitive" };

/** What a reference slot accepts. */
export interface ElementKind {
  /** Resource types that are the element itself. */
  readonly types: readonly string[];
  /** "a security group" (messages). */
  readonly what: string;
  /** Types whose `name` may be given instead of an id (roles, profiles, security group names). */
  readonly byName?: readonly string[];
  /** A reference to a VPC in this slot means one of its defaults. */
  readonly vpcDefault?: "default-sg" | "main-rtb" | "default-acl";
}

/** Attributes by which a reference names the resource itself. */
const IDENTITY = new Set(["id", "arn", "name", "unique_id"]);

/** VPC attributes that name one of its default elements. */
const VPC_DEFAULTS: Record<NonNullable<ElementKind["vpcDefault"]>, readonly string[]> = {
  "default-sg": ["default_security_group_id"],
  "main-rtb": ["main_route_table_id", "default_route_table_id"],
  "default-acl": ["default_network_acl_id"],
};

const VPC_TYPES = new Set(["aws_vpc", "aws_default_vpc"]);

/** Arguments the AWS provider treats as attributes-as-blocks: old plans leave them out of the configuration. */
const ATTRIBUTES_AS_BLOCKS = new Set(["ingress", "egress", "route", "inline_policy"]);

const MAX_FOLLOW = 12;

/**
 * What an expression refers to, as element keys. `keys` holds every element found, as before; `picked` names the
 * references an iteration value chooses among: in `subnet_ids = [aws_subnet.app[count.index].id]` the plan JSON
 * lists `aws_subnet.app` and `count.index` only, so which instance is meant is not in it, and `certain` holds the
 * keys that do not come from such a reference.
 */
export interface FoundKeys {
  keys: Ref[];
  literals: string[];
  reasons: UnknownReason[];
  /**
   * References to several instances that an iteration value (count.index, each.key) picks among; or, `chosen`, a
   * reference the iteration value keeps or leaves out (`count.index == 0 ? [aws_security_group.a.id] : []`).
   */
  picked: { ref: string; by: string; keys: Ref[]; chosen?: true }[];
  /** The keys not in `picked`. */
  certain: Ref[];
  /** The reasons that are the iteration value itself (not in the plan JSON): `picked` says more when it is not empty. */
  iterationReasons: ReadonlySet<UnknownReason>;
}

/**
 * The reasons that leave a reference open. An iteration value (count.index, each.key) beside keys or literals only
 * picks among them: that is said by `picked` when there are several, and decides nothing when there is one.
 */
export function decisiveReasons(found: FoundKeys): UnknownReason[] {
  if (found.iterationReasons.size === 0 || found.keys.length + found.literals.length === 0) return found.reasons;
  return found.reasons.filter((r) => !found.iterationReasons.has(r));
}

const NO_PICKS: FoundKeys["picked"] = [];
const NO_REASONS: ReadonlySet<UnknownReason> = new Set();

/** What would decide a value the plan leaves open: the account, once Terraform has applied. */
export const AFTER_APPLY = "run ssm-doctor check against the account after apply";

/** A reference to each.value, whole or an attribute of it, that the plan JSON does not follow. */
const isEachValue = (t: Target): t is Extract<Target, { kind: "unresolved" }> =>
  t.kind === "unresolved" && /^each\.value(\.|$)/.test(t.ref);

/** each.value as the element itself: whole, or its id, arn or name. */
const EACH_VALUE_IDENTITY = /^each\.value(\.(id|arn|name))?$/;

/** What picks the instances a filtered for expression keeps. */
const FILTER = "the if clause of a for expression";

/** The iteration value an expression uses (count.index, each.key, each.value), if any. */
function iterationOf(expression: RawExpression): string | undefined {
  // Which instances a for expression's if clause keeps is not followed: each may be kept, as if an index picked it.
  if (expression.filtered === true) return FILTER;
  const refs = Array.isArray(expression.references) ? expression.references : [];
  for (const r of refs) {
    const iteration = typeof r === "string" ? /^(count\.index|each\.(?:key|value))\b/.exec(r)?.[1] : undefined;
    if (iteration) return iteration;
  }
  return undefined;
}

type Walked = { found: "none" } | { found: "block" } | { found: "expression"; expression: RawExpression };
const NONE: Walked = { found: "none" };
const BLOCK: Walked = { found: "block" };

const NO_SUPPRESSIONS: readonly Suppression[] = [];

const UNKNOWN: RawValue = { kind: "unknown" };
const SENSITIVE: RawValue = { kind: "sensitive" };
const NULL: RawValue = { kind: "null" };

const toStr = (v: Json): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const toBool = (v: Json): boolean | undefined => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined);
const toNum = (v: Json): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined;

function orDefault<T>(fallback: T | (() => Value<T>)): Value<T> {
  return typeof fallback === "function" ? (fallback as () => Value<T>)() : defaulted(fallback);
}

/** One step into a value, after_unknown or after_sensitive tree. */
function pick(node: Json | undefined, step: string | number): Json | undefined {
  if (node === null || node === undefined || typeof node !== "object") return undefined;
  if (Array.isArray(node)) return typeof step === "number" ? node[step] : undefined;
  return (node as { [k: string]: Json })[step];
}

function dotted(path: Path): string {
  return path.filter((p): p is string => typeof p === "string").join(".");
}

export class Reader {
  /** Address → element key, for resources that stand for a synthesized element (aws_default_*). */
  readonly aliases = new Map<string, Ref>();
  private readonly unlocated = new Set<string>();

  constructor(
    readonly index: PlanIndex,
    readonly refs: References,
    readonly file: string,
    private readonly tfRoot?: TerraformRoot,
  ) {}

  keyOf(resource: TfResource): Ref {
    return this.aliases.get(resource.address) ?? resource.address;
  }

  /** Addresses whose blocks --tf-root could not find (their origins point at the plan). */
  get unlocatedAddresses(): string[] {
    return [...this.unlocated];
  }

  // ------------------------------------------------------------------ origins

  origin(resource: TfResource, path?: Path): Origin {
    if (this.tfRoot) {
      const located = this.tfRoot.resource(resource.configModule, resource.mode, resource.type, resource.name);
      if (located) {
        let at: { line: number; column: number } = located.block;
        let file = located.file;
        if (path) {
          const attributes = located.block.attributes;
          const full = dotted(path);
          const first = path.find((p): p is string => typeof p === "string");
          const name = attributes.has(full) ? full : first !== undefined && attributes.has(first) ? first : undefined;
          if (name !== undefined) {
            at = attributes.get(name)!;
            file = located.overrides?.get(name) ?? file;
          }
        }
        return { source: "terraform", file, id: resource.address, region: { startLine: at.line, startColumn: at.column } };
      }
      this.unlocated.add(resource.address);
    }
    return { source: "terraform", file: this.file, pointer: path ? valuePointer(resource, path) : resource.pointer, id: resource.address };
  }

  suppressions(resource: TfResource): readonly Suppression[] {
    const located = this.tfRoot?.resource(resource.configModule, resource.mode, resource.type, resource.name);
    if (!located || located.ignores.length === 0) return NO_SUPPRESSIONS;
    return located.ignores.flatMap((d) =>
      d.ruleIds.map((ruleId) => ({
        ruleId,
        reason: d.reason,
        origin: {
          source: "terraform" as const,
          file: d.file ?? located.file,
          id: resource.address,
          region: { startLine: d.position.line, startColumn: d.position.column },
        },
      })),
    );
  }

  /** key, name, origin and inline suppressions of an element made from a resource. */
  base(resource: TfResource, key: Ref = this.keyOf(resource), name: string = resource.address) {
    const suppressions = this.suppressions(resource);
    const origin = this.origin(resource);
    const base = suppressions.length > 0 ? { key, name, origin, suppressions: [...suppressions] } : { key, name, origin };
    // Read without a plan, with its count or for_each not known: it may not be created.
    return resource.mayNotExist ? { ...base, conditional: resource.mayNotExist } : base;
  }

  /**
   * What a resource gives another element: not known when the resource may not be created (its count not known),
   * said at `path` (the resource itself without one).
   */
  ifCreated<T>(resource: TfResource, value: Value<T>, path?: Path): Value<T> {
    const why = resource.mayNotExist;
    return why ? unknown(why.code, why.message, why.decide, this.origin(resource, path)) : value;
  }

  /** What a resource adds to another element (a rule, an entry, a route): conditional when it may not be created. */
  addsIfCreated<T extends { readonly conditional?: UnknownReason }>(resource: TfResource, item: T): T {
    const why = resource.mayNotExist;
    return why && !item.conditional ? { ...item, conditional: why } : item;
  }

  // ------------------------------------------------------------------ raw values

  raw(resource: TfResource, path: Path): RawValue {
    let value: Json | undefined = resource.values;
    let unknownAt: Json | undefined = resource.unknown;
    let sensitiveAt: Json | undefined = resource.sensitive;
    for (const step of path) {
      if (unknownAt === true) return UNKNOWN;
      if (sensitiveAt === true) return SENSITIVE;
      const present =
        value !== null &&
        value !== undefined &&
        typeof value === "object" &&
        (Array.isArray(value) ? typeof step === "number" && step < value.length : step in value);
      value = pick(value, step);
      unknownAt = pick(unknownAt, step);
      sensitiveAt = pick(sensitiveAt, step);
      if (!present && unknownAt !== true) {
        if (resource.absentIsUnknown && value === undefined) return UNKNOWN;
        return NULL;
      }
    }
    if (unknownAt === true) return UNKNOWN;
    if (sensitiveAt === true) return SENSITIVE;
    if (value === null || value === undefined) return NULL;
    return { kind: "value", value };
  }

  /**
   * Walks the configuration's expressions along a path: nested blocks are lists of argument maps; an
   * attribute's expression covers every path below it.
   */
  private walk(resource: TfResource, path: Path): Walked | undefined {
    if (!resource.config) return undefined;
    let block: RawExpressions | undefined = resource.config.expressions ?? {};
    let blocks: RawExpressions[] | undefined;
    for (const step of path) {
      if (blocks) {
        block = typeof step === "number" ? blocks[step] : blocks[0];
        blocks = undefined;
        if (typeof step === "number") continue;
      }
      if (!block || typeof step === "number") return NONE;
      const child: RawExpression | RawExpressions[] | undefined = block[step];
      if (child === undefined) return NONE;
      if (Array.isArray(child)) blocks = child;
      else return { found: "expression", expression: child };
      block = undefined;
    }
    return BLOCK;
  }

  /** The configuration expression at a path (a whole-attribute expression covers paths below it). */
  expression(resource: TfResource, path: Path): RawExpression | undefined {
    const walked = this.walk(resource, path);
    return walked?.found === "expression" ? walked.expression : undefined;
  }

  /** Whether the configuration sets the argument: true/false, or undefined when the plan cannot tell. */
  configured(resource: TfResource, path: Path): boolean | undefined {
    const first = path[0];
    if (typeof first === "string" && ATTRIBUTES_AS_BLOCKS.has(first) && !this.index.configurationHasBlocks) return undefined;
    const walked = this.walk(resource, path);
    return walked === undefined ? undefined : walked.found !== "none";
  }

  /** The reason a computed value is not known, naming what it comes from. */
  computedReason(resource: TfResource, path: Path, label = dotted(path)): UnknownReason {
    const told = resource.unknownReasons;
    if (told) {
      // The configuration reader knows why: a variable without a value, a remote module, a data source.
      const steps = path.map(String);
      for (let i = steps.length; i > 0; i--) {
        const reason = told[steps.slice(0, i).join(".")];
        if (reason) return reason;
      }
    }
    const expression = this.expression(resource, path);
    const refs = (expression?.references ?? []).filter(
      (r) => !r.includes(".") || !expression?.references?.includes(r.slice(0, r.lastIndexOf("."))),
    );
    const from = refs.length > 0 ? ` (it comes from ${refs.slice(0, 3).join(", ")})` : "";
    return { code: "computed", message: `${label} of ${resource.address} is known only after apply${from}` };
  }

  private sensitiveReason(resource: TfResource, path: Path): UnknownReason {
    return {
      code: "unsupported",
      message: `${dotted(path)} of ${resource.address} is sensitive in the plan; ssm-doctor does not read sensitive values`,
    };
  }

  /**
   * A scalar with the provider's default: known → convert; null or not configured → default; computed
   * → the configuration's constant if it has one, else unknown.
   */
  scalar<T>(
    resource: TfResource,
    path: Path,
    convert: (v: Json) => T | undefined,
    fallback: T | (() => Value<T>),
    label?: string,
  ): Value<T> {
    const raw = this.raw(resource, path);
    switch (raw.kind) {
      case "value": {
        const v = convert(raw.value);
        return v === undefined
          ? unknown(
              "unresolved",
              `${label ?? dotted(path)} of ${resource.address} is '${String(raw.value)}'`,
              undefined,
              this.origin(resource, path),
            )
          : known(v, this.origin(resource, path));
      }
      case "null":
        return orDefault(fallback);
      case "sensitive": {
        const r = this.sensitiveReason(resource, path);
        return unknown(r.code, r.message, r.decide, this.origin(resource, path));
      }
      case "unknown": {
        const constant = this.expression(resource, path)?.constant_value;
        if (constant !== undefined && constant !== null && typeof constant !== "object") {
          const v = convert(constant);
          if (v !== undefined) return known(v, this.origin(resource, path));
        }
        if (this.configured(resource, path) === false) return orDefault(fallback);
        const r = this.computedReason(resource, path, label ?? dotted(path));
        return unknown(r.code, r.message, r.decide, this.origin(resource, path));
      }
    }
  }

  str(resource: TfResource, path: Path, fallback?: string | (() => Value<string>)): Value<string> {
    return this.scalar(resource, path, toStr, fallback ?? (() => this.missing(resource, path)));
  }

  bool(resource: TfResource, path: Path, fallback: boolean | (() => Value<boolean>)): Value<boolean> {
    return this.scalar(resource, path, toBool, fallback);
  }

  num(resource: TfResource, path: Path, fallback?: number | (() => Value<number>)): Value<number> {
    return this.scalar(resource, path, toNum, fallback ?? (() => this.missing(resource, path)));
  }

  missing<T>(resource: TfResource, path: Path): Value<T> {
    return unknown("unresolved", `${dotted(path)} of ${resource.address} is not set`, undefined, this.origin(resource));
  }

  /** A plain JSON value (a policy document string is parsed by the caller), or why it is not known. */
  json(resource: TfResource, path: Path): Value<Json | null> {
    const raw = this.raw(resource, path);
    const origin = this.origin(resource, path);
    if (raw.kind === "value") return known(raw.value, origin);
    if (raw.kind === "null") return defaulted(null);
    if (raw.kind === "sensitive") {
      const r = this.sensitiveReason(resource, path);
      return unknown(r.code, r.message, r.decide, origin);
    }
    if (this.configured(resource, path) === false) return defaulted(null);
    const r = this.computedReason(resource, path);
    return unknown(r.code, r.message, r.decide, origin);
  }

  // ------------------------------------------------------------------ references

  /** The element a resource instance is in a slot of this kind, or "follow" when it only holds the value. */
  private elementKey(resource: TfResource, attribute: readonly string[], kind: ElementKind): Ref | "follow" {
    if (resource.mode === "managed" && kind.types.includes(resource.type) && (attribute.length === 0 || IDENTITY.has(attribute[0]!)))
      return this.keyOf(resource);
    if (resource.mode === "managed" && kind.vpcDefault && VPC_TYPES.has(resource.type)) {
      const wanted = VPC_DEFAULTS[kind.vpcDefault];
      if (attribute.length === 0 || wanted.includes(attribute[0]!)) return `${this.keyOf(resource)}#${kind.vpcDefault}`;
    }
    return "follow";
  }

  /** An id, ARN or name written as a value: the element of the plan it names, or undefined. */
  lookup(value: string, kind: ElementKind): Ref | undefined {
    for (const r of this.index.byIdentifier(value)) if (r.mode === "managed" && kind.types.includes(r.type)) return this.keyOf(r);
    for (const type of kind.byName ?? []) {
      const hit = this.index.byName(type, value)[0];
      if (hit) return this.keyOf(hit);
    }
    return undefined;
  }

  /** Targets → element keys and the reasons some could not be followed. */
  private keysOf(targets: readonly Target[], kind: ElementKind, depth: number, iteration?: string): FoundKeys {
    const keys: Ref[] = [];
    const literals: string[] = [];
    const reasons: UnknownReason[] = [];
    const mismatched: string[] = [];
    /** Keys by the reference that named the element directly (only when an iteration value may pick among them). */
    const byRef = iteration !== undefined ? new Map<string, Ref[]>() : undefined;
    const constant = (value: Json, from: string) => {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null || item === "") continue;
        if (typeof item !== "string") {
          reasons.push({ code: "unresolved", message: `${from} is not an id` });
          continue;
        }
        const key = this.lookup(item, kind);
        if (key) keys.push(key);
        else literals.push(item);
      }
    };
    const iterationReasons = iteration !== undefined ? new Set<UnknownReason>() : NO_REASONS;
    /** Whether a reference names all the instances of a count or for_each resource, which the iteration value may index. */
    let indexable = false;
    for (const target of targets) {
      if (target.kind === "unresolved") {
        const reason: UnknownReason = { code: target.code, message: target.reason };
        reasons.push(reason);
        if (iteration !== undefined && target.ref.startsWith(iteration)) (iterationReasons as Set<UnknownReason>).add(reason);
      } else if (target.kind === "constant") constant(target.value, target.from);
      else {
        const key = this.elementKey(target.resource, target.attribute, kind);
        if (key !== "follow") {
          keys.push(key);
          if (byRef) {
            indexable ||= target.resource.index !== undefined && !target.ref.includes("[");
            const named = byRef.get(target.ref);
            if (named) named.push(key);
            else byRef.set(target.ref, [key]);
          }
          continue;
        }
        // Another kind of resource itself (an expression covering several arguments, such as a route
        // block naming a NAT and an internet gateway): not this slot's; said only if nothing else is.
        if (target.resource.mode === "managed" && (target.attribute.length === 0 || IDENTITY.has(target.attribute[0]!))) {
          mismatched.push(target.ref);
          continue;
        }
        // A data source's value (0.12 plans reference it without an attribute): its id.
        const attribute = target.attribute.length === 0 ? ["id"] : target.attribute;
        if (depth > MAX_FOLLOW) {
          reasons.push({ code: "unsupported", message: `${target.ref} refers too deeply` });
          continue;
        }
        const raw = this.raw(target.resource, attribute);
        if (raw.kind === "value") constant(raw.value, `${target.ref}.${attribute.join(".")}`);
        else if (raw.kind === "sensitive") reasons.push(this.sensitiveReason(target.resource, attribute));
        else if (raw.kind === "null") mismatched.push(target.ref);
        else if (raw.kind === "unknown") {
          if (target.resource.mode === "data") {
            // Read at apply in a plan; the configuration reader says when it is read (at plan, for a configuration).
            const told = target.resource.unknownReasons?.[attribute.join(".")];
            reasons.push(told ?? { code: "outside", message: `${target.ref} is read from the account when Terraform applies` });
            continue;
          }
          const context = this.refs.contextOf(target.resource);
          const expression = this.expression(target.resource, attribute);
          if (!context || !expression) {
            reasons.push(this.computedReason(target.resource, attribute));
            continue;
          }
          const inner = this.keysOf(this.targets(target.resource, expression, context), kind, depth + 1, iterationOf(expression));
          keys.push(...inner.keys);
          literals.push(...inner.literals);
          reasons.push(...inner.reasons);
        }
      }
    }
    if (keys.length === 0 && literals.length === 0 && reasons.length === 0 && mismatched.length > 0)
      reasons.push({ code: "unresolved", message: `${mismatched[0]} is not ${kind.what}` });
    const unique = keys.length > 1 ? [...new Set(keys)] : keys;
    let picked: FoundKeys["picked"] = NO_PICKS;
    for (const [ref, named] of byRef ?? []) {
      const distinct = [...new Set(named)];
      if (distinct.length > 1) picked = [...picked, { ref, by: iteration!, keys: distinct }];
    }
    // count.index or each.key beside references that name one instance each: it indexes none of them, so it decides
    // something else, such as a condition that keeps or leaves out some of them. The plan JSON keeps the references,
    // not the expression: none of them is certain.
    if (byRef && !indexable && (iteration === "count.index" || iteration === "each.key"))
      picked = [...byRef].map(([ref, named]) => ({ ref, by: iteration, keys: [...new Set(named)], chosen: true }));
    const left = picked.length > 0 ? new Set(picked.flatMap((p) => p.keys)) : undefined;
    return {
      keys: unique,
      literals: literals.length > 1 ? [...new Set(literals)] : literals,
      reasons,
      picked,
      certain: left ? unique.filter((k) => !left.has(k)) : unique,
      iterationReasons,
    };
  }

  /**
   * configuredKeys' answers for expressions that pick by an iteration value, by expression: per module instance and
   * kind (the reader lives as long as the model is built).
   */
  private readonly picks = new Map<RawExpression, { module: readonly ModuleSegment[]; kind: ElementKind; found: FoundKeys }[]>();

  /**
   * What the configuration expression at a path refers to, as element keys (do not change what is returned). The
   * instances of a count or for_each resource share their expressions: one that picks by count.index or each.key
   * among the n instances of another resource is followed once per module instance, not once per instance (n²).
   */
  configuredKeys(resource: TfResource, path: Path, kind: ElementKind): FoundKeys | undefined {
    const context = this.refs.contextOf(resource);
    const expression = this.expression(resource, path);
    if (!context || !expression) return undefined;
    const iteration = iterationOf(expression);
    if (resource.index === undefined || iteration === undefined)
      return this.keysOf(this.refs.resolve(expression, context), kind, 0, iteration);
    let answers = this.picks.get(expression);
    if (!answers) {
      answers = [];
      this.picks.set(expression, answers);
    }
    for (const a of answers) if (a.module === context.module && a.kind === kind) return a.found;
    const found = this.keysOf(this.targets(resource, expression, context), kind, 0, iteration);
    answers.push({ module: context.module, kind, found });
    return found;
  }

  /**
   * What an expression of a resource refers to, with `each.value` followed through the resource's for_each when the
   * expression is each.value itself or its id, arn or name (`subnet_id = each.value.id`) and the for_each names
   * resources' instances only: each of them, picked by each.value. Which instance a key stands for is not in the plan JSON
   * (`for_each = aws_subnet.app` and a for expression that renames its keys are written alike), so none is certain.
   */
  private targets(resource: TfResource, expression: RawExpression, context: Context): Target[] {
    const targets = this.refs.resolve(expression, context);
    const forEach = resource.config?.for_each_expression;
    if (!forEach || !targets.some(isEachValue) || !targets.every((t) => isEachValue(t) && EACH_VALUE_IDENTITY.test(t.ref))) return targets;
    const values = this.refs.resolve(forEach, context);
    if (values.length === 0 || values.some((v) => v.kind !== "resource" || v.attribute.length > 0)) return targets;
    // Every value is picked among by each.value, under one reference: the for_each itself.
    const block = [formatModulePath(resource.module, true), resourceKey(resource.mode, resource.type, resource.name)]
      .filter(Boolean)
      .join(".");
    const among = `the for_each of ${block}`;
    const out: Target[] = [];
    for (const v of values) if (v.kind === "resource") out.push({ ...v, attribute: [], ref: among });
    return out;
  }

  private outsideLiteral(resource: TfResource, path: Path, literal: string, kind: ElementKind): Value<Ref> {
    return unknown(
      "outside",
      `${dotted(path)} of ${resource.address} is ${literal}, ${kind.what} not in this plan`,
      AFTER_APPLY,
      this.origin(resource, path),
    );
  }

  /** A single reference: undefined when the argument is not set. */
  ref(resource: TfResource, path: Path, kind: ElementKind): Value<Ref> | undefined {
    const raw = this.raw(resource, path);
    if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) return undefined;
    const origin = this.origin(resource, path);
    if (raw.kind === "sensitive") {
      const r = this.sensitiveReason(resource, path);
      return unknown(r.code, r.message, r.decide, origin);
    }
    if (raw.kind === "value") {
      if (typeof raw.value !== "string")
        return unknown("unresolved", `${dotted(path)} of ${resource.address} is not an id`, undefined, origin);
      // An id (or name) of the plan, else one from outside it. Not the element the configuration names: its own
      // id would have been found, so a known value that is not is from elsewhere (a conditional's other branch,
      // a variable, a data source): `var.subnet != "" ? var.subnet : aws_subnet.a.id`.
      const key = this.lookup(raw.value, kind);
      return key ? known(key, origin) : this.outsideLiteral(resource, path, raw.value, kind);
    }
    const configured = this.configuredKeys(resource, path, kind);
    if (!configured) {
      if (this.configured(resource, path) === false) return undefined;
      const r = this.computedReason(resource, path);
      return unknown(r.code, r.message, r.decide, origin);
    }
    return this.single(resource, path, configured, kind, origin);
  }

  private single(resource: TfResource, path: Path, found: FoundKeys, kind: ElementKind, origin: Origin): Value<Ref> | undefined {
    const { keys, literals } = found;
    const reasons = decisiveReasons(found);
    if (keys.length === 1 && literals.length === 0 && reasons.length === 0) return known(keys[0]!, origin);
    if (keys.length + literals.length > 1)
      return unknown(
        "unresolved",
        `${dotted(path)} of ${resource.address} is one of ${[...keys, ...literals].slice(0, 4).join(", ")}; ssm-doctor does not evaluate which`,
        undefined,
        origin,
      );
    if (literals.length === 1 && reasons.length === 0) return this.outsideLiteral(resource, path, literals[0]!, kind);
    if (reasons.length > 0) {
      const r = reasons[0]!;
      return unknown(r.code, `${dotted(path)} of ${resource.address}: ${r.message}`, r.decide, origin);
    }
    return undefined;
  }

  /** A list of references: undefined when the argument is not set. */
  refList(resource: TfResource, path: Path, kind: ElementKind): ValueList<Ref> | undefined {
    const raw = this.raw(resource, path);
    if (raw.kind === "null") return undefined;
    const origin = this.origin(resource, path);
    if (raw.kind === "sensitive") {
      const r = this.sensitiveReason(resource, path);
      return unknown(r.code, r.message, r.decide, origin);
    }
    const items: Value<Ref>[] = [];
    const seen = new Set<string>();
    const push = (v: Value<Ref>) => {
      const k = v.kind === "known" ? v.value : `?${v.reason.message}`;
      if (seen.has(k)) return;
      seen.add(k);
      items.push(v);
    };
    let partial = false;
    if (raw.kind === "value") {
      const list = Array.isArray(raw.value) ? raw.value : [raw.value];
      list.forEach((item, i) => {
        const itemRaw = this.raw(resource, [...path, i]);
        if (itemRaw.kind !== "value") {
          partial ||= itemRaw.kind === "unknown";
          return;
        }
        if (typeof item !== "string" || item === "") return;
        const key = this.lookup(item, kind);
        push(key ? known(key, origin) : this.outsideLiteral(resource, path, item, kind));
      });
      if (!partial) return known(items, origin);
    }
    const configured = this.configuredKeys(resource, path, kind);
    if (!configured) {
      if (raw.kind === "unknown" && this.configured(resource, path) === false) return undefined;
      const r = this.computedReason(resource, path);
      if (items.length === 0) return unknown(r.code, r.message, r.decide, origin);
      push(unknown(r.code, r.message, r.decide, origin));
      return known(items, origin);
    }
    // An element of a list is known only when no iteration value picks it among others.
    for (const key of configured.certain) push(known(key, origin));
    for (const p of configured.picked) {
      if (p.chosen) {
        push(
          unknown(
            "unresolved",
            `${dotted(path)} of ${resource.address} may or may not hold ${p.ref}: ${p.by} decides in an expression the plan JSON does not carry (it keeps the references only)`,
            AFTER_APPLY,
            origin,
          ),
        );
        continue;
      }
      const among = `${p.keys.length} instances of ${p.ref} (${p.keys.slice(0, 3).join(", ")}${p.keys.length > 3 ? ", …" : ""})`;
      push(
        unknown(
          "unresolved",
          p.by === FILTER
            ? `${dotted(path)} of ${resource.address} keeps those of the ${among} that ${FILTER} lets through, and ssm-doctor does not follow which`
            : `${dotted(path)} of ${resource.address} names one of the ${among} by ${p.by}, and the plan JSON does not say which`,
          AFTER_APPLY,
          origin,
        ),
      );
    }
    for (const literal of configured.literals) push(this.outsideLiteral(resource, path, literal, kind));
    for (const r of configured.reasons)
      if (configured.picked.length === 0 || !configured.iterationReasons.has(r))
        push(unknown(r.code, `${dotted(path)} of ${resource.address}: ${r.message}`, r.decide, origin));
    return known(items, origin);
  }

  /** A value known only as unknown-with-reason, for callers building their own. */
  unknownAt<T>(resource: TfResource, path: Path, code: UnknownCode, message: string, decide?: string): Value<T> {
    return unknown(code, message, decide, this.origin(resource, path));
  }

  /** Context for resolving expressions that are not attributes of a resource (count, module calls). */
  contextOf(resource: TfResource): Context | undefined {
    return this.refs.contextOf(resource);
  }
}
