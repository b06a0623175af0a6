/**
 * A Terraform configuration as modules: the blocks of every `.tf` file of a directory, and module
 * instances that evaluate them — variables (defaults, tfvars, -var, TF_VAR_*), locals, resources with
 * `count` / `for_each` (expanded when known, one symbolic instance when not), `dynamic` blocks, local
 * modules with their inputs and outputs. Remote modules and data sources are unknown, with what would
 * decide them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, normalize, relative } from "node:path";
import { InputError } from "../../model/index.js";
import { type ReadExpectation, readInputText } from "../common/read-file.js";
import { AFTER_APPLY } from "../terraform/reader.js";
import { inReadingOrder, isOverrideFile } from "../terraform/tf-root.js";
import { COMPUTED_WHEN_UNSET } from "./computed.js";
import { evaluateSafely, type Resolver, type Scope, type Step, withVars } from "./evaluate.js";
import { type HclNode, kids, parseHcl } from "./parse.js";
import { asNumber, asString, isObjectValue, LazyObject, type TfObject, type TfValue, Unknown } from "./values.js";

export interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
  readonly file: string;
}

/**
 * A block's body as written, or as merged with the blocks of override files for the same object (`override.tf`,
 * `*_override.tf`): Terraform reads those after the other files and merges each of their blocks into the one it
 * names (https://developer.hashicorp.com/terraform/language/files/override).
 */
export type Body = HclNode | MergedBody;

interface MergedBody {
  readonly merged: true;
  readonly attributes: Map<string, HclNode>;
  readonly blocks: Block[];
}

export interface ResourceConfig {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly block: Block;
}

export interface ModuleConfig {
  /** The directory as shown to the user. */
  readonly dir: string;
  readonly variables: Map<string, Block>;
  readonly locals: Map<string, HclNode>;
  readonly resources: Map<string, ResourceConfig>;
  readonly calls: Map<string, Block>;
  readonly outputs: Map<string, HclNode>;
  readonly providers: Block[];
  /** Files of the directory in Terraform's JSON syntax (`.tf.json`), which are not read: a note says so. */
  readonly jsonFiles: readonly string[];
}

/** Attributes (name → expression) and nested blocks of a body. */
export function bodyParts(body: Body): { attributes: Map<string, HclNode>; blocks: Block[] } {
  if ("merged" in body) return { attributes: body.attributes, blocks: body.blocks };
  const attributes = new Map<string, HclNode>();
  const blocks: Block[] = [];
  for (const item of kids(body)) {
    if (item.type === "attribute") {
      const [name, expr] = kids(item);
      if (name && expr) attributes.set(name.text, expr);
    } else if (item.type === "block") {
      blocks.push(blockOf(item, ""));
    }
  }
  return { attributes, blocks };
}

function labelText(node: HclNode): string {
  if (node.type === "identifier") return node.text;
  const literal = kids(node).find((c) => c.type === "template_literal");
  return literal ? literal.text : "";
}

function blockOf(node: HclNode, file: string): Block {
  const parts = kids(node);
  const type = parts[0]?.text ?? "";
  const labels = parts
    .slice(1)
    .filter((p) => p.type === "string_lit" || p.type === "identifier")
    .map(labelText);
  const body = parts.find((p) => p.type === "body");
  return { type, labels, body: body ?? node, file };
}

/** Terraform reads `.tf` files as UTF-8 and an empty one is an empty part of its module. */
const TF_FILE: ReadExpectation = { expected: "a Terraform configuration file (.tf)", allowEmpty: true };

/** The type a nested block stands for when bodies merge: a `dynamic "egress"` block stands for `egress` blocks. */
const blockKind = (block: Block) => (block.type === "dynamic" ? (block.labels[0] ?? "") : block.type);

/**
 * A block merged with an override block for the same object, as Terraform merges them: each argument of the
 * override replaces the argument of that name; the override's nested blocks of a type (dynamic ones included)
 * replace all the original's blocks of that type; the rest of the original stays.
 */
function overridden(base: Block, override: Block): Block {
  const original = bodyParts(base.body);
  const over = bodyParts(override.body);
  const replaced = new Set(over.blocks.map(blockKind));
  const body: MergedBody = {
    merged: true,
    attributes: new Map([...original.attributes, ...over.attributes]),
    blocks: [...original.blocks.filter((b) => !replaced.has(blockKind(b))), ...over.blocks],
  };
  return { ...base, body };
}

/** The names in a directory that Terraform may read (not hidden); none when it cannot be listed. */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

/** Of a directory's names, the `.tf.json` files (Terraform's JSON syntax), as paths below it. */
const jsonFilesOf = (dir: string, names: readonly string[]) =>
  names
    .filter((n) => n.endsWith(".tf.json"))
    .sort()
    .map((n) => join(dir, n));

/** The `.tf.json` files of a directory (Terraform's JSON syntax), as paths below it. */
export function jsonSyntaxFiles(dir: string): string[] {
  return jsonFilesOf(dir, namesIn(dir));
}

/** The `.tf.json` files of every directory read in this run, which the configuration reader leaves out. */
export function unreadJsonFiles(): string[] {
  return [...configs.values()].flatMap((c) => c?.jsonFiles ?? []);
}

/** Of a directory's names, the `.tf` files' texts, in the order Terraform reads them (override files last). */
function readTfFiles(dir: string, names: readonly string[]): { file: string; text: string }[] {
  return inReadingOrder(names.filter((n) => n.endsWith(".tf"))).map((n) => {
    const file = join(dir, n);
    return { file, text: readInputText(file, TF_FILE) };
  });
}

const configs = new Map<string, ModuleConfig | undefined>();

/** Reads and parses the `.tf` files of one directory (once per run). */
export function readModule(dir: string): ModuleConfig | undefined {
  const key = normalize(dir);
  if (configs.has(key)) return configs.get(key);
  const names = namesIn(dir);
  const files = readTfFiles(dir, names);
  if (files.length === 0) {
    configs.set(key, undefined);
    return undefined;
  }
  const config: ModuleConfig = {
    dir,
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    calls: new Map(),
    outputs: new Map(),
    providers: [],
    jsonFiles: jsonFilesOf(dir, names),
  };
  for (const { file, text } of files) {
    const root = parseHcl(file, text);
    const body = kids(root).find((c) => c.type === "body");
    if (!body) continue;
    const override = isOverrideFile(basename(file));
    for (const node of kids(body)) if (node.type === "block") addBlock(config, blockOf(node, file), override);
  }
  configs.set(key, config);
  return config;
}

/**
 * One top-level block into its module. A block of an override file is merged into the block it names; without one
 * (Terraform refuses that configuration) it stands on its own.
 */
function addBlock(config: ModuleConfig, block: Block, override: boolean): void {
  const [a, b] = block.labels;
  const merged = (base: Block | undefined) => (override && base ? overridden(base, block) : block);
  switch (block.type) {
    case "variable":
      if (a) config.variables.set(a, merged(config.variables.get(a)));
      break;
    case "locals":
      for (const [name, expr] of bodyParts(block.body).attributes) config.locals.set(name, expr);
      break;
    case "resource":
    case "data": {
      if (!a || !b) break;
      const mode = block.type === "data" ? "data" : "managed";
      const key = mode === "data" ? `data.${a}.${b}` : `${a}.${b}`;
      config.resources.set(key, { mode, type: a, name: b, block: merged(config.resources.get(key)?.block) });
      break;
    }
    case "module":
      if (a) config.calls.set(a, merged(config.calls.get(a)));
      break;
    case "output":
      if (a) {
        const value = bodyParts(block.body).attributes.get("value");
        if (value) config.outputs.set(a, value);
      }
      break;
    case "provider": {
      // Providers are one block per name and alias.
      const alias = (p: Block) => bodyParts(p.body).attributes.get("alias")?.text.trim();
      const at = override ? config.providers.findIndex((p) => p.labels[0] === a && alias(p) === alias(block)) : -1;
      if (at >= 0) config.providers[at] = overridden(config.providers[at]!, block);
      else config.providers.push(block);
      break;
    }
    default:
      break;
  }
}

export function clearModuleCache(): void {
  configs.clear();
}

// ------------------------------------------------------------------ instances

const formatKey = (k: string | number) => (typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`);

/** One instance of a resource: its evaluated arguments and nested blocks, computed on demand. */
export class ResourceInstance {
  private evaluated?: { attributes: Map<string, TfValue>; blocks: Map<string, TfObject[] | Unknown>; nodes: Map<string, HclNode> };

  constructor(
    readonly module: ModuleInstance,
    readonly config: ResourceConfig,
    readonly address: string,
    readonly index: string | number | undefined,
    readonly scope: Scope,
    /** Why it is not known whether this instance exists: the symbolic instance of a count or for_each not known. */
    readonly existence?: Unknown,
  ) {}

  get values() {
    if (!this.evaluated) this.evaluated = evaluateBody(this.config.block.body, this.scope, this.address, true);
    return this.evaluated;
  }

  /** The value a reference to this instance sees. */
  asValue(): LazyObject {
    return new LazyObject(this.address, (name) => {
      const { attributes, blocks } = this.values;
      if (attributes.has(name)) return attributes.get(name) as TfValue;
      const list = blocks.get(name);
      if (list) return list;
      return this.config.mode === "data" ? readAtPlan(this.address, name) : computed(this.address, name);
    });
  }
}

function computed(address: string, name: string): Unknown {
  return new Unknown("computed", `${name} of ${address} is known only after apply`, "run terraform plan and lint the plan JSON");
}

/**
 * An attribute of a data source that the configuration does not set, when one of its arguments is known only after
 * apply: Terraform reads it then.
 */
export function readAtApply(address: string, name: string): Unknown {
  return new Unknown(
    "outside",
    `${name} of ${address} is read from the account when Terraform applies, since an argument is known only then`,
    AFTER_APPLY,
  );
}

/** An attribute of a data source that the configuration does not set: Terraform reads it when it plans. */
export function readAtPlan(address: string, name: string): Unknown {
  return new Unknown(
    "outside",
    `${name} of ${address} is read from the account when Terraform plans`,
    "run terraform plan and lint the plan JSON",
  );
}

const META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "connection", "provisioner", "timeouts"]);

/** Arguments and nested blocks of a body, `dynamic` blocks expanded. */
export function evaluateBody(
  body: Body,
  scope: Scope,
  label: string,
  topLevel: boolean,
): { attributes: Map<string, TfValue>; blocks: Map<string, TfObject[] | Unknown>; nodes: Map<string, HclNode> } {
  const { attributes, blocks } = bodyParts(body);
  const values = new Map<string, TfValue>();
  const nodes = new Map<string, HclNode>();
  for (const [name, expr] of attributes) {
    if (topLevel && META.has(name)) continue;
    values.set(name, evaluateSafely(expr, scope, `${name} of ${label}`));
    nodes.set(name, expr);
  }
  const nested = new Map<string, TfObject[] | Unknown>();
  const push = (name: string, obj: TfObject | Unknown) => {
    const list = nested.get(name);
    if (list instanceof Unknown) return;
    if (obj instanceof Unknown) nested.set(name, obj);
    else nested.set(name, [...(list ?? []), obj]);
  };
  for (const block of blocks) {
    if (topLevel && META.has(block.type)) continue;
    if (block.type === "dynamic") {
      const name = block.labels[0];
      if (!name) continue;
      const parts = bodyParts(block.body);
      const forEach = parts.attributes.get("for_each");
      const iterator = parts.attributes.get("iterator")?.text.trim() ?? name;
      const content = parts.blocks.find((b) => b.type === "content");
      if (!forEach || !content) continue;
      const collection = evaluateSafely(forEach, scope, `the dynamic ${name} blocks of ${label}`);
      if (collection instanceof Unknown) {
        push(name, collection);
        continue;
      }
      // Expanded to nothing, it is as if the configuration had no such block (as Terraform plans it).
      const entries = dynamicEntries(collection);
      for (const [key, value] of entries) {
        const inner = withVars(scope, { [iterator]: { key, value } });
        push(name, objectOf(evaluateBody(content.body, inner, label, false)));
      }
      continue;
    }
    push(block.type, objectOf(evaluateBody(block.body, scope, label, false)));
  }
  return { attributes: values, blocks: nested, nodes };
}

/** The elements a dynamic block's for_each expands to: list index or map key, and value. */
export function dynamicEntries(collection: TfValue): [TfValue, TfValue][] {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isObjectValue(collection)) return Object.entries(collection);
  return [];
}

function objectOf(body: { attributes: Map<string, TfValue>; blocks: Map<string, TfObject[] | Unknown> }): TfObject {
  const out: TfObject = {};
  for (const [k, v] of body.attributes) out[k] = v;
  for (const [k, v] of body.blocks) out[k] = v;
  return out;
}

export interface RunSettings {
  /** Root variables from tfvars, -var, -var-file and TF_VAR_*, as raw values. */
  readonly rootVariables: ReadonlyMap<string, TfValue>;
  /** `.terraform/modules/modules.json` of the root: module key → directory. */
  readonly installedModules: ReadonlyMap<string, string>;
  readonly rootDir: string;
}

export type ModuleCallState =
  | { kind: "single"; instance: ModuleInstance }
  | { kind: "many"; instances: Map<string | number, ModuleInstance>; list: boolean }
  | { kind: "unknown"; reason: Unknown; instance?: ModuleInstance };

/** A module instance (the root, or one instance of a module call) that evaluates its blocks. */
export class ModuleInstance implements Resolver {
  private readonly localValues = new Map<string, TfValue>();
  private readonly evaluating = new Set<string>();
  private readonly resourceInstances = new Map<string, ResourceInstance[] | Unknown>();
  private readonly callStates = new Map<string, ModuleCallState>();
  readonly scope: Scope;

  constructor(
    readonly config: ModuleConfig,
    /** `module.a[0].module.b`, "" for the root. */
    readonly address: string,
    /** `module.a.module.b`: the configuration path. */
    readonly configPath: string,
    /** `a.b`: the key in modules.json. */
    readonly moduleKey: string,
    readonly variables: ReadonlyMap<string, TfValue>,
    readonly settings: RunSettings,
    /**
     * Why it is not known whether this module instance exists: it stands for a call whose count or for_each is not
     * known, or sits inside one. Everything it holds may not exist either.
     */
    readonly existence?: Unknown,
  ) {
    this.scope = { resolver: this, vars: new Map() };
  }

  prefix(): string {
    return this.address === "" ? "" : `${this.address}.`;
  }

  local(name: string): TfValue {
    if (this.localValues.has(name)) return this.localValues.get(name) as TfValue;
    const expr = this.config.locals.get(name);
    if (!expr) return new Unknown("unsupported", `local.${name} is not declared in ${this.config.dir}`);
    if (this.evaluating.has(`local.${name}`)) return new Unknown("unsupported", `local.${name} refers to itself`);
    this.evaluating.add(`local.${name}`);
    const value = evaluateSafely(expr, this.scope, `local.${name}`);
    this.evaluating.delete(`local.${name}`);
    this.localValues.set(name, value);
    return value;
  }

  variable(name: string): TfValue {
    if (this.variables.has(name)) return this.variables.get(name) as TfValue;
    return new Unknown("unsupported", `var.${name} is not declared in ${this.config.dir}`);
  }

  /** The instances of a resource (count / for_each expanded), or why they are not known. */
  instances(key: string): ResourceInstance[] | Unknown {
    const cached = this.resourceInstances.get(key);
    if (cached) return cached;
    const config = this.config.resources.get(key);
    if (!config) return new Unknown("outside", `${this.prefix()}${key} is not declared in ${this.config.dir}`);
    if (this.evaluating.has(key)) return new Unknown("unsupported", `${key} refers to itself`);
    this.evaluating.add(key);
    const result = this.expand(config);
    this.evaluating.delete(key);
    this.resourceInstances.set(key, result);
    return result;
  }

  private expand(config: ResourceConfig): ResourceInstance[] | Unknown {
    const base = `${this.prefix()}${config.mode === "data" ? "data." : ""}${config.type}.${config.name}`;
    const { attributes } = bodyParts(config.block.body);
    const make = (index: string | number | undefined, vars: Record<string, TfValue>, existence?: Unknown) =>
      new ResourceInstance(
        this,
        config,
        index === undefined ? base : `${base}${formatKey(index)}`,
        index,
        withVars(this.scope, vars),
        existence,
      );
    const expansion = expansionOf(attributes, this.scope, base, 10_000);
    if (expansion.kind === "single") return [make(undefined, {}, this.existence)];
    // One symbolic instance stands for however many there will be; references to [0] of a count reach it.
    if (expansion.kind === "unknown")
      return [make(expansion.via === "count" ? 0 : undefined, expansion.vars, notKnownToExist(base, expansion))];
    return expansion.instances.map(({ key, vars }) => make(key, vars, this.existence));
  }

  /** The value of `type.name` as a reference sees it. */
  private resourceValue(key: string): TfValue {
    const config = this.config.resources.get(key);
    if (!config) return new Unknown("outside", `${this.prefix()}${key} is not declared in ${this.config.dir}`, "check the resource name");
    const list = this.instances(key);
    if (list instanceof Unknown) return list;
    const { attributes } = bodyParts(config.block.body);
    if (list.length === 1 && list[0]!.index === undefined && attributes.has("for_each"))
      return new Unknown(
        "unsupported",
        `how many instances of ${this.prefix()}${key} there are is not known`,
        "pass the variables that decide count / for_each",
      );
    if (attributes.has("count")) return list.map((r) => r.asValue());
    if (attributes.has("for_each")) {
      const out: TfObject = {};
      for (const r of list) out[String(r.index)] = r.asValue();
      return out;
    }
    return list[0]!.asValue();
  }

  call(name: string): ModuleCallState {
    const cached = this.callStates.get(name);
    if (cached) return cached;
    const state = this.instantiate(name);
    this.callStates.set(name, state);
    return state;
  }

  private instantiate(name: string): ModuleCallState {
    const block = this.config.calls.get(name);
    if (!block) return { kind: "unknown", reason: new Unknown("outside", `module.${name} is not declared in ${this.config.dir}`) };
    const { attributes } = bodyParts(block.body);
    const sourceNode = attributes.get("source");
    const source = sourceNode ? asString(evaluateSafely(sourceNode, this.scope, `source of module.${name}`) as TfValue) : undefined;
    const key = this.moduleKey === "" ? name : `${this.moduleKey}.${name}`;
    let dir: string | undefined;
    if (source && (source.startsWith("./") || source.startsWith("../"))) dir = join(this.config.dir, source);
    else {
      const installed = this.settings.installedModules.get(key);
      if (installed) dir = join(this.settings.rootDir, installed);
    }
    const config = dir ? readModule(dir) : undefined;
    if (!config) {
      const where = source ?? "an unknown source";
      return {
        kind: "unknown",
        reason: new Unknown(
          "outside",
          `module.${name} comes from ${where}, which is not on disk here`,
          dir ? `check that ${relative(".", dir) || "."} holds the module's .tf files` : "run terraform init, or lint the plan JSON",
        ),
      };
    }
    const configPath = this.configPath === "" ? `module.${name}` : `${this.configPath}.module.${name}`;
    const make = (index: string | number | undefined, vars: Record<string, TfValue>, existence = this.existence) => {
      const scope = withVars(this.scope, vars);
      const address = `${this.prefix()}module.${name}${index === undefined ? "" : formatKey(index)}`;
      const inputs = new Map<string, TfValue>();
      for (const [variable, declaration] of config.variables) {
        const given = attributes.get(variable);
        if (given) inputs.set(variable, evaluateSafely(given, scope, `${variable} of module.${name}`));
        else inputs.set(variable, defaultOf(declaration, `${address}: var.${variable}`, this.settings, false));
      }
      return new ModuleInstance(config, address, configPath, key, inputs, this.settings, existence);
    };
    const expansion = expansionOf(attributes, this.scope, `module.${name}`, 1000);
    if (expansion.kind === "single") return { kind: "single", instance: make(undefined, {}) };
    if (expansion.kind === "unknown") {
      // One symbolic instance stands for however many there will be, and none may be created.
      const existence = notKnownToExist(`${this.prefix()}module.${name}`, expansion);
      return { kind: "unknown", reason: expansion.reason, instance: make(undefined, expansion.vars, existence) };
    }
    return {
      kind: "many",
      list: expansion.via === "count",
      instances: new Map(expansion.instances.map(({ key, vars }) => [key, make(key, vars)])),
    };
  }

  /** A module instance's outputs, as a reference sees them. */
  outputsOf(instance: ModuleInstance): LazyObject {
    return new LazyObject(
      instance.address,
      (output) => {
        const expr = instance.config.outputs.get(output);
        if (!expr) return new Unknown("outside", `${instance.address} has no output ${output}`);
        return evaluateSafely(expr, instance.scope, `${instance.address}.${output}`);
      },
      () => [...instance.config.outputs.keys()],
    );
  }

  resolve(head: string, steps: readonly Step[], scope: Scope): { value: TfValue; used: number } {
    const name = (i: number) => {
      const s = steps[i];
      return s && "name" in s ? s.name : undefined;
    };
    switch (head) {
      case "var": {
        const n = name(0);
        return { value: n ? this.variable(n) : new Unknown("unsupported", "var without a name"), used: 1 };
      }
      case "local": {
        const n = name(0);
        return { value: n ? this.local(n) : new Unknown("unsupported", "local without a name"), used: 1 };
      }
      case "path": {
        const which = name(0);
        const dir = which === "module" ? relative(this.settings.rootDir, this.config.dir) || "." : ".";
        return { value: dir, used: 1 };
      }
      case "terraform":
        return { value: name(0) === "workspace" ? "default" : new Unknown("unsupported", "terraform.* is not evaluated"), used: 1 };
      case "count":
      case "each":
      case "self":
        return { value: scope.vars.get(head) ?? new Unknown("unsupported", `${head} is used outside a resource that sets it`), used: 0 };
      case "module": {
        const n = name(0);
        if (!n) return { value: new Unknown("unsupported", "module without a name"), used: 1 };
        const state = this.call(n);
        if (state.kind === "unknown") return { value: state.reason, used: 1 };
        if (state.kind === "single") return { value: this.outputsOf(state.instance), used: 1 };
        if (state.list) return { value: [...state.instances.values()].map((m) => this.outputsOf(m)), used: 1 };
        const out: TfObject = {};
        for (const [k, m] of state.instances) out[String(k)] = this.outputsOf(m);
        return { value: out, used: 1 };
      }
      case "data": {
        const type = name(0);
        const n = name(1);
        if (!type || !n) return { value: new Unknown("unsupported", "data without type and name"), used: 2 };
        return { value: this.resourceValue(`data.${type}.${n}`), used: 2 };
      }
      default: {
        const n = name(0);
        if (!n) return { value: new Unknown("unsupported", `'${head}' is not a reference this reader knows`), used: 0 };
        return { value: this.resourceValue(`${head}.${n}`), used: 1 };
      }
    }
  }
}

/** Why what a count or for_each not known stands for may not be created. */
function notKnownToExist(address: string, expansion: Extract<Expansion, { kind: "unknown" }>): Unknown {
  const { via, reason } = expansion;
  return new Unknown(reason.code, `whether ${address} is created is not known: its ${via} is not (${reason.message})`, reason.decide);
}

/** What count / for_each make of a resource or module call: no expansion, each instance's key and variables, or why not known. */
type Expansion =
  | { kind: "single" }
  | { kind: "unknown"; via: "count" | "for_each"; reason: Unknown; vars: Record<string, TfValue> }
  | { kind: "many"; via: "count" | "for_each"; instances: { key: string | number; vars: Record<string, TfValue> }[] };

function expansionOf(attributes: ReadonlyMap<string, HclNode>, scope: Scope, label: string, cap: number): Expansion {
  const count = attributes.get("count");
  if (count) {
    const n = evaluateSafely(count, scope, `count of ${label}`);
    const c = asNumber(n);
    if (n instanceof Unknown || c === undefined) {
      const reason = n instanceof Unknown ? n : new Unknown("unsupported", `count of ${label} is not a number`);
      return { kind: "unknown", via: "count", reason, vars: { count: { index: reason } } };
    }
    const instances = Array.from({ length: Math.max(0, Math.min(c, cap)) }, (_, i) => ({ key: i, vars: { count: { index: i } } }));
    return { kind: "many", via: "count", instances };
  }
  const forEach = attributes.get("for_each");
  if (forEach) {
    const v = evaluateSafely(forEach, scope, `for_each of ${label}`);
    if (v instanceof Unknown) return { kind: "unknown", via: "for_each", reason: v, vars: { each: { key: v, value: v } } };
    const entries: [string, TfValue][] = Array.isArray(v)
      ? v.map((x) => [asString(x) ?? JSON.stringify(x), x])
      : isObjectValue(v)
        ? Object.entries(v)
        : [];
    return { kind: "many", via: "for_each", instances: entries.map(([key, value]) => ({ key, vars: { each: { key, value } } })) };
  }
  return { kind: "single" };
}

/** A variable's value when nothing sets it: its default, else unknown with what would decide it. */
export function defaultOf(declaration: Block, label: string, settings: RunSettings, root: boolean): TfValue {
  const name = declaration.labels[0] ?? "";
  const { attributes } = bodyParts(declaration.body);
  if (root && settings.rootVariables.has(name)) return convertToType(settings.rootVariables.get(name) as TfValue, attributes.get("type"));
  const def = attributes.get("default");
  if (def) return convertToType(evaluateSafely(def, { resolver: NO_REFERENCES, vars: new Map() }, label), attributes.get("type"));
  return new Unknown(
    "parameter",
    `var.${name} has no value (no default${root ? ", no .tfvars, no -var" : ""})`,
    root ? `pass -var ${name}=… or a .tfvars file` : `set ${name} in the module call`,
  );
}

const NO_REFERENCES: Resolver = {
  resolve: (head) => ({ value: new Unknown("unsupported", `a variable's default cannot refer to ${head}`), used: 0 }),
};

function convertToType(value: TfValue, type: HclNode | undefined): TfValue {
  if (!type || value instanceof Unknown) return value;
  const t = type.text.trim();
  if (t === "number" && typeof value === "string") return asNumber(value) ?? value;
  if (t === "bool" && typeof value === "string") return value === "true" ? true : value === "false" ? false : value;
  if (t === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  return value;
}

/** Which arguments of a resource type are computed when unset. */
export function computedWhenUnset(type: string): readonly string[] {
  return COMPUTED_WHEN_UNSET[type] ?? [];
}

/** `.terraform/modules/modules.json`: module key → directory relative to the root. */
export function installedModules(rootDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = join(rootDir, ".terraform", "modules", "modules.json");
  if (!existsSync(file)) return out;
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as { Modules?: { Key?: string; Dir?: string }[] };
    for (const m of data.Modules ?? []) if (m.Key && m.Dir) out.set(m.Key, m.Dir);
  } catch {
    throw new InputError("invalid JSON", file, undefined, undefined, "run terraform init again");
  }
  return out;
}
