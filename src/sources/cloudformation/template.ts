/**
 * The template being read: resources indexed once by type, the evaluator, origins with positions,
 * and the conversions from evaluated expressions to model Values.
 */
import {
  defaulted,
  known,
  normalizeProtocol,
  type Origin,
  type Protocol,
  type Ref,
  type Region,
  type SourceNote,
  type Suppression,
  type Unknown,
  type UnknownReason,
  unknown,
  unresolvedPart,
  type Value,
  type ValueList,
} from "../../model/index.js";
import { Evaluator, intrinsicKey, transformMaySet } from "./evaluate.js";
import type { ParsedTemplate } from "./parse.js";
import { childPointer, type Json } from "./positions.js";
import { type CloudFormationOptions, type Evaluated, MODELLED_TYPES, type ResourceInfo } from "./types.js";

type JsonObject = { [key: string]: Json };

export function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

/** The key of the resource an expression refers to, when it is one of `types` in this template. */
export function keyOf(ev: Evaluated, types: readonly string[]): Ref | undefined {
  return ev.kind === "ref" && types.includes(ev.type) ? ev.id : undefined;
}

/**
 * Whether a reference that names no resource of the template may still name one: it depends on a condition that
 * cannot be decided, or on an expression not evaluated. An import, a parameter's value or a literal id names a
 * resource elsewhere.
 */
export function mayNameTemplateResource(ev: Evaluated): ev is Extract<Evaluated, { kind: "unknown" }> {
  return ev.kind === "unknown" && ev.reason.code !== "outside" && ev.extra?.parameter === undefined;
}

/** Why an element may be named by a resource whose reference is left open: "`resource` {action} (why)". */
export function openReason(resource: ResourceInfo, ev: Extract<Evaluated, { kind: "unknown" }>, action: string): UnknownReason {
  const message = `${resource.id} ${action} (${ev.reason.message})`;
  return ev.reason.decide ? { code: ev.reason.code, message, decide: ev.reason.decide } : { code: ev.reason.code, message };
}

/** Properties by which a resource names itself, for literal references by name. */
const NAME_PROPERTIES: readonly [string, string][] = [
  ["AWS::IAM::Role", "RoleName"],
  ["AWS::IAM::InstanceProfile", "InstanceProfileName"],
  ["AWS::IAM::ManagedPolicy", "ManagedPolicyName"],
  ["AWS::EC2::SecurityGroup", "GroupName"],
];

export const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
export const LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions";

/** The names of the template's Transform section: a name, or an object's Name ("a macro" without one). */
export function transformNames(root: JsonObject): string[] {
  const list = root.Transform === undefined ? [] : Array.isArray(root.Transform) ? root.Transform : [root.Transform];
  return list.map((t) => (typeof t === "string" ? t : isObject(t) && typeof t.Name === "string" ? t.Name : "a macro"));
}

/**
 * The template-wide transforms that may rewrite any part of it: macros and AWS::Include. The SAM transform changes only
 * AWS::Serverless::* resources, and AWS::LanguageExtensions only what its own functions say (Fn::ForEach is counted
 * where it stands).
 */
function unexpandedTransforms(root: JsonObject): string[] {
  return transformNames(root)
    .filter((name) => name !== SAM_TRANSFORM && name !== LANGUAGE_EXTENSIONS)
    .map((name) => `the transform ${name}`);
}

export class Template {
  readonly resources = new Map<string, ResourceInfo>();
  private readonly byType = new Map<string, ResourceInfo[]>();
  readonly evaluator: Evaluator;
  readonly notes: SourceNote[] = [];

  constructor(
    readonly file: string,
    readonly parsed: ParsedTemplate,
    readonly options: CloudFormationOptions,
  ) {
    const { root } = parsed;
    const declared = root.Resources as JsonObject;
    const pending: { id: string; type: string; body: JsonObject; condition?: string }[] = [];
    /** What is not expanded here: template-wide transforms, and what adds resources. */
    const anywhere = unexpandedTransforms(root);
    const unexpanded: string[] = [];
    for (const id in declared) {
      const body = declared[id];
      const pointer = childPointer("/Resources", id);
      if (id.startsWith("Fn::ForEach::")) {
        unexpanded.push(id);
        this.note(
          "warning",
          "foreach-not-expanded",
          `${id}: Fn::ForEach (AWS::LanguageExtensions) is not expanded; the resources it makes are not checked`,
          pointer,
        );
        continue;
      }
      if (!isObject(body)) {
        this.note("warning", "invalid-resource", `resource ${id} is not a mapping; ignored`, pointer);
        continue;
      }
      const type = body.Type;
      if (typeof type !== "string") {
        const tag = intrinsicKey(type);
        if (tag?.startsWith("!Rain::")) {
          this.note(
            "warning",
            "rain-module",
            `resource ${id} is a Rain module (${tag}), which ssm-doctor does not expand; its resources are not checked`,
            pointer,
          );
        } else {
          if (id === "Fn::Transform") unexpanded.push("the Fn::Transform in Resources");
          this.note("warning", "invalid-resource", `resource ${id} has no Type; ignored`, pointer);
        }
        continue;
      }
      pending.push({ id, type, body, ...(typeof body.Condition === "string" ? { condition: body.Condition } : {}) });
    }
    // The evaluator shares the resource map, filled below; conditions are evaluated once every resource is in it.
    this.evaluator = new Evaluator({
      root,
      resources: this.resources,
      ...(options.parameters ? { parameters: options.parameters } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(anywhere.length + unexpanded.length > 0 ? { unexpanded: { anywhere, resources: unexpanded } } : {}),
    });
    for (const { id, type, body, condition } of pending) {
      this.resources.set(id, {
        id,
        type,
        pointer: childPointer("/Resources", id),
        properties: isObject(body.Properties) ? body.Properties : {},
        metadata: body.Metadata,
        active: true,
        ...(condition !== undefined ? { conditionName: condition } : {}),
      });
    }
    for (const { id, condition } of pending) {
      const info = this.resources.get(id)!;
      if (condition !== undefined) {
        const result = this.evaluator.condition(condition);
        if (result === false) {
          this.resources.set(id, { ...info, active: false });
          continue;
        }
        if (result !== true) {
          const conditional: UnknownReason = {
            code: "condition",
            message: `${id} exists only if the condition ${condition} is true, which cannot be evaluated: ${result.message}`,
            ...(result.decide ? { decide: result.decide } : {}),
          };
          this.resources.set(id, { ...info, conditional });
        }
      }
      const current = this.resources.get(id)!;
      const list = this.byType.get(current.type);
      if (list) list.push(current);
      else this.byType.set(current.type, [current]);
    }
  }

  /** Resources of a type that exist (condition true or undecided), in template order. */
  ofType(type: string): ResourceInfo[] {
    return this.byType.get(type) ?? [];
  }

  /** All types present (for notes about unsupported constructs). */
  types(): IterableIterator<string> {
    return this.byType.keys();
  }

  note(level: SourceNote["level"], code: string, message: string, pointer?: string): void {
    this.notes.push(pointer !== undefined ? { level, code, message, origin: this.origin(pointer) } : { level, code, message });
  }

  /**
   * The origin of what is written at `pointer`; its region is found when first read. Not cached by
   * pointer: four in five pointers are asked for once, and a map of them cost more than it saved.
   */
  /**
   * What each element a resource may name is told when its `property` names one without its being known which
   * (mayNameTemplateResource): "`resource` {action} (why)", not known, at the property.
   */
  openReference(resource: ResourceInfo, property: string, ev: Extract<Evaluated, { kind: "unknown" }>, action: string): Unknown {
    const why = openReason(resource, ev, action);
    return unknown(why.code, why.message, why.decide, this.origin(this.propertyPointer(resource, property)));
  }

  origin(pointer: string): Origin {
    return new TemplateOrigin(this.file, pointer, resourceIdOf(pointer), this.locate);
  }

  private readonly locate = (pointer: string): Region => {
    const { spans, lines, root } = this.parsed;
    return lines.region(spans.spanOf(root, pointer));
  };

  propertyPointer(resource: ResourceInfo, ...path: (string | number)[]): string {
    let pointer = `${resource.pointer}/Properties`;
    for (const segment of path) pointer = childPointer(pointer, segment);
    return pointer;
  }

  /** Evaluates a property (or a nested path under Properties); `none` when absent. */
  prop(resource: ResourceInfo, name: string, lenient = false): Evaluated {
    return this.evaluator.property(resource, name, name, lenient);
  }

  /** Evaluates a member of an evaluated map (e.g. MetadataOptions.HttpTokens). */
  member(map: Evaluated, name: string): Evaluated {
    if (map.kind === "map") {
      const found = map.entries.get(name);
      if (found) return found;
      const at = map.at ? { at: childPointer(map.at, name) } : {};
      return map.transformed ? { kind: "unknown", reason: transformMaySet(map.transformed, name), ...at } : { kind: "none", ...at };
    }
    if (map.kind === "unknown") return map;
    return { kind: "none" };
  }

  // ------------------------------------------------------------------ conversions to Values

  private originOf(ev: Evaluated, fallback: string): Origin {
    return this.origin(ev.at ?? fallback);
  }

  unknownFrom(ev: Evaluated, label: string, fallback: string): Unknown {
    const origin = this.originOf(ev, fallback);
    switch (ev.kind) {
      case "unknown":
        return unknown(ev.reason.code, ev.reason.message, ev.reason.decide, origin);
      case "ref":
        return MODELLED_TYPES.has(ev.type)
          ? unknown("computed", `${label} uses the id of ${ev.id}, known only after deployment`, undefined, origin)
          : unknown("unsupported", `${label} refers to ${ev.id} (${ev.type}), which ssm-doctor does not model`, undefined, origin);
      case "none":
        return unknown("unresolved", `${label} is AWS::NoValue where a value is needed`, undefined, origin);
      default:
        return unknown("unresolved", `${label} has an unexpected shape (a list or mapping)`, undefined, origin);
    }
  }

  str(ev: Evaluated, label: string, fallback: string): Value<string> {
    if (ev.kind === "scalar" && ev.value !== null) return known(String(ev.value), this.originOf(ev, fallback));
    return this.unknownFrom(ev, label, fallback);
  }

  /**
   * Booleans: YAML true/True, and the strings "true"/"false" in any case. Where a boolean is expected,
   * YAML 1.1's yes/no/on/off count too (CloudFormation reads YAML 1.1; the parser here reads 1.2).
   */
  bool(ev: Evaluated, label: string, fallback: string): Value<boolean> {
    if (ev.kind === "scalar") {
      if (typeof ev.value === "boolean") return known(ev.value, this.originOf(ev, fallback));
      if (typeof ev.value === "string" && /^(true|false|yes|no|on|off)$/i.test(ev.value.trim()))
        return known(/^(true|yes|on)$/i.test(ev.value.trim()), this.originOf(ev, fallback));
      return unknown("unresolved", `${label} is '${String(ev.value)}', not true or false`, undefined, this.originOf(ev, fallback));
    }
    return this.unknownFrom(ev, label, fallback);
  }

  num(ev: Evaluated, label: string, fallback: string): Value<number> {
    if (ev.kind === "scalar" && ev.value !== null && ev.value !== "" && typeof ev.value !== "boolean") {
      const number = Number(ev.value);
      if (Number.isFinite(number)) return known(number, this.originOf(ev, fallback));
      return unknown("unresolved", `${label} is '${String(ev.value)}', not a number`, undefined, this.originOf(ev, fallback));
    }
    return this.unknownFrom(ev, label, fallback);
  }

  /** An IP protocol by name or number, as the model spells it. */
  protocol(ev: Evaluated, label: string, fallback: string): Value<Protocol> {
    if (ev.kind === "none") return unknown("unresolved", `${label} is missing`, undefined, this.origin(fallback));
    if (ev.kind === "scalar" && ev.value !== null && typeof ev.value !== "boolean")
      return known(normalizeProtocol(String(ev.value)), this.originOf(ev, fallback));
    return this.unknownFrom(ev, label, fallback);
  }

  /**
   * What an association or attachment resource says, unless the resource exists only under a condition
   * that cannot be decided: then what it says is unknown for that reason.
   */
  unlessConditional<T>(resource: ResourceInfo, value: Value<T>): Value<T> {
    if (!resource.conditional) return value;
    return unknown("condition", resource.conditional.message, resource.conditional.decide, this.origin(resource.pointer));
  }

  /** An optional property with a documented default. */
  withDefault<T>(ev: Evaluated, fallbackValue: T, convert: (ev: Evaluated) => Value<T>): Value<T> {
    return ev.kind === "none" ? defaulted(fallbackValue) : convert(ev);
  }

  /**
   * A reference to an element of one of `types`. A literal id (`subnet-0abc`) or anything not in the
   * template is unknown "outside".
   */
  ref(ev: Evaluated, label: string, fallback: string, types: readonly string[], what: string): Value<Ref> {
    const origin = this.originOf(ev, fallback);
    if (ev.kind === "ref") {
      if (types.includes(ev.type)) return known(ev.id, origin);
      return MODELLED_TYPES.has(ev.type)
        ? unknown("unresolved", `${label} refers to ${ev.id} (${ev.type}), which is not ${what}`, undefined, origin)
        : unknown("unsupported", `${label} refers to ${ev.id} (${ev.type}), which ssm-doctor does not model`, undefined, origin);
    }
    if (ev.kind === "scalar" && typeof ev.value === "string" && ev.value !== "") {
      const named = this.byName(types, ev.value);
      if (named) return known(named, origin);
      return unknown("outside", `${label} is ${ev.value}, ${what} that is not in this template`, undefined, origin);
    }
    return this.outsideParameter(ev, label, fallback, what) ?? this.unknownFrom(ev, label, fallback);
  }

  /** A property of a resource that refers to an element of one of `types` (see `ref`). */
  refProperty(resource: ResourceInfo, property: string, types: readonly string[], what: string): Value<Ref> {
    return this.ref(this.prop(resource, property), property, this.propertyPointer(resource, property), types, what);
  }

  private names?: Map<string, string>;

  /**
   * A literal name that a resource of the template gives itself (RoleName, InstanceProfileName, GroupName)
   * is that resource: `Roles: [DemoRole]` with a role whose RoleName is DemoRole.
   */
  private byName(types: readonly string[], name: string): string | undefined {
    if (!this.names) {
      this.names = new Map();
      for (const [type, property] of NAME_PROPERTIES) {
        for (const resource of this.ofType(type)) {
          const value = this.prop(resource, property);
          if (value.kind === "scalar" && typeof value.value === "string") this.names.set(`${type}|${value.value}`, resource.id);
        }
      }
    }
    for (const type of types) {
      const id = this.names.get(`${type}|${name}`);
      if (id) return id;
    }
    return undefined;
  }

  /** A reference given by a parameter without a value names an existing resource: outside, whatever value is passed. */
  private outsideParameter(ev: Evaluated, label: string, fallback: string, what: string): Unknown | undefined {
    if (ev.kind !== "unknown" || !ev.extra?.parameter) return undefined;
    const noun = what.replace(/^an? /, "");
    return unknown(
      "outside",
      `${label} is the parameter ${ev.extra.parameter}: an existing ${noun}, not in this template`,
      undefined,
      this.originOf(ev, fallback),
    );
  }

  /** A list of references; absent → `absent` (usually a defaulted empty list). */
  refList(ev: Evaluated, label: string, fallback: string, types: readonly string[], what: string): ValueList<Ref> {
    const outside = this.outsideParameter(ev, label, fallback, what);
    if (outside) return outside;
    return this.list(ev, label, fallback, (item, i) => this.ref(item, `${label}[${i}]`, fallback, types, what));
  }

  list<T>(ev: Evaluated, label: string, fallback: string, convert: (item: Evaluated, index: number) => Value<T>): ValueList<T> {
    if (ev.kind === "list") return known(ev.items.map(convert), this.originOf(ev, fallback));
    if (ev.kind === "unknown") return this.unknownFrom(ev, label, fallback);
    if (ev.kind === "none") return known([]);
    // A single value where a list is expected (CloudFormation rejects it; read it as one item).
    return known([convert(ev, 0)], this.originOf(ev, fallback));
  }

  /** Raw JSON (IAM documents) with UnresolvedPart markers where a part is not known. A JSON string is parsed. */
  json(ev: Evaluated, label: string, fallback: string): Value<unknown> {
    if (ev.kind === "unknown" || ev.kind === "none") return this.unknownFrom(ev, label, fallback);
    if (ev.kind === "scalar" && typeof ev.value === "string") {
      try {
        return known(JSON.parse(ev.value) as unknown, this.originOf(ev, fallback));
      } catch {
        return unknown("unresolved", `${label} is text that is not valid JSON`, undefined, this.originOf(ev, fallback));
      }
    }
    return known(this.rawJson(ev, label), this.originOf(ev, fallback));
  }

  rawJson(ev: Evaluated, label: string): unknown {
    switch (ev.kind) {
      case "scalar":
        return ev.value;
      case "list":
        return ev.items.map((item) => this.rawJson(item, label));
      case "map": {
        const out: Record<string, unknown> = {};
        for (const [key, item] of ev.entries) out[key] = this.rawJson(item, label);
        return out;
      }
      case "ref":
        return unresolvedPart(
          MODELLED_TYPES.has(ev.type)
            ? { code: "computed", message: `${label} uses the id or ARN of ${ev.id}, known only after deployment` }
            : { code: "unsupported", message: `${label} uses ${ev.id} (${ev.type}), which ssm-doctor does not model` },
        );
      case "unknown":
        return unresolvedPart(ev.reason);
      default:
        return null;
    }
  }

  /** Inline suppressions: Metadata: { ssm-doctor: { ignore: [{ id, reason }] } }. */
  suppressions(resource: ResourceInfo): Suppression[] | undefined {
    const metadata = resource.metadata;
    if (!isObject(metadata)) return undefined;
    const own = metadata["ssm-doctor"];
    if (!isObject(own) || !Array.isArray(own.ignore)) return undefined;
    const out: Suppression[] = [];
    own.ignore.forEach((entry, i) => {
      const pointer = `${resource.pointer}/Metadata/ssm-doctor/ignore/${i}`;
      if (isObject(entry) && (typeof entry.id === "string" || typeof entry.rule === "string")) {
        out.push({
          ruleId: String(entry.id ?? entry.rule),
          reason: typeof entry.reason === "string" ? entry.reason : "",
          origin: this.origin(pointer),
        });
      } else if (typeof entry === "string") {
        out.push({ ruleId: entry, reason: "", origin: this.origin(pointer) });
      }
    });
    return out.length > 0 ? out : undefined;
  }

  /** The common part of every element made from a resource. */
  base(resource: ResourceInfo, key: Ref = resource.id, name: string = resource.id) {
    const suppressions = this.suppressions(resource);
    return {
      key,
      name,
      origin: this.origin(resource.pointer),
      ...(resource.conditional ? { conditional: resource.conditional } : {}),
      ...(suppressions && key === resource.id ? { suppressions } : {}),
    };
  }
}

/**
 * An origin in the template whose line/column region is found when first read: most values never
 * reach a report. Serializes as the plain origin it stands for.
 */
class TemplateOrigin implements Origin {
  readonly source = "cloudformation" as const;
  readonly file: string;
  readonly pointer: string;
  declare readonly id?: string;
  #region: Region | undefined;
  readonly #locate: (pointer: string) => Region;

  constructor(file: string, pointer: string, id: string | undefined, locate: (pointer: string) => Region) {
    this.file = file;
    this.pointer = pointer;
    if (id !== undefined) (this as { id?: string }).id = id;
    this.#locate = locate;
  }

  get region(): Region {
    this.#region ??= this.#locate(this.pointer);
    return this.#region;
  }

  toJSON(): Origin {
    return {
      source: this.source,
      file: this.file,
      pointer: this.pointer,
      ...(this.id !== undefined ? { id: this.id } : {}),
      region: this.region,
    };
  }
}

/** The logical id in "/Resources/<id>/…". */
function resourceIdOf(pointer: string): string | undefined {
  if (!pointer.startsWith("/Resources/")) return undefined;
  const end = pointer.indexOf("/", 11);
  const segment = end === -1 ? pointer.slice(11) : pointer.slice(11, end);
  return segment.includes("~") ? segment.replace(/~1/g, "/").replace(/~0/g, "~") : segment;
}
