/**
 * The plan, indexed once: every resource instance of the planned world (from resource_changes, else
 * planned_values), the data sources Terraform read, the configuration of every module by its path,
 * and ids and names of instances whose values are known. Nothing here scans the plan per lookup.
 */
import type { UnknownReason } from "../../model/index.js";
import { escapePointerSegment } from "../common/json-pointer.js";
import {
  configKey,
  formatModulePath,
  type ModuleSegment,
  modulePathMatches,
  moduleResourceKey,
  parseModulePath,
  resourceKey,
} from "./addresses.js";
import {
  isObject,
  isStruct,
  type Json,
  type JsonObject,
  type RawConfigModule,
  type RawConfigResource,
  type RawModuleCall,
  type RawModuleValues,
  type RawPlan,
  type RawUnknownReasons,
} from "./types.js";

/** One resource instance of the planned world (or a data source's result). */
export interface TfResource {
  /** Full instance address: `module.a[0].aws_sg.x["k"]`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly module: readonly ModuleSegment[];
  /** The module's configuration path, without instance keys: `module.a`. */
  readonly configModule: string;
  /** Planned values (`change.after`, or planned_values `values`); {} when none are known. */
  readonly values: JsonObject;
  /** `change.after_unknown`; undefined for planned_values and prior_state entries. */
  readonly unknown?: Json;
  /** Why values are unknown, by dotted path, when the plan was written from a configuration. */
  readonly unknownReasons?: RawUnknownReasons;
  /** Written from a configuration: why it is not known whether this instance is created (its count or for_each). */
  readonly mayNotExist?: UnknownReason;
  /** `after_sensitive` / `sensitive_values`. */
  readonly sensitive?: Json;
  /** JSON pointer of the values object in the plan. */
  readonly valuesPointer: string;
  /** JSON pointer of the resource's entry. */
  readonly pointer: string;
  /** planned_values omit unknown values: an absent key means "computed at apply". */
  readonly absentIsUnknown: boolean;
  readonly actions: readonly string[];
  readonly config?: RawConfigResource;
}

/** A module of the configuration, with links to its caller and callees. */
export interface ModuleScope {
  /** `module.a.module.b`, "" for the root module. */
  readonly path: string;
  readonly parent?: ModuleScope;
  /** The call in the parent: name and expressions. */
  readonly callName?: string;
  readonly call?: RawModuleCall;
  readonly resources: Map<string, RawConfigResource>;
  readonly calls: Map<string, ModuleScope>;
  readonly outputs: NonNullable<RawConfigModule["outputs"]>;
  readonly variables: NonNullable<RawConfigModule["variables"]>;
}

const AWS_PROVIDER = /(^|\/)aws$/;

/** Whether a provider name is the AWS provider: `aws`, `registry.terraform.io/hashicorp/aws`, `registry.terraform.io/-/aws`. */
export function isAwsProvider(name: string | undefined): boolean {
  if (name === undefined) return true;
  let answer = providers.get(name);
  if (answer === undefined) {
    answer = AWS_PROVIDER.test(name.replace(/\.\w+$/, ""));
    providers.set(name, answer);
  }
  return answer;
}

const providers = new Map<string, boolean>();

/** A resource change is part of the planned world unless the object is being deleted or forgotten. */
function planned(actions: readonly string[]): boolean {
  return actions.some((a) => a === "create" || a === "update" || a === "no-op" || a === "read");
}

function moduleOf(address: string, type: string, name: string, mode: string, moduleAddress: string | undefined): string {
  if (moduleAddress !== undefined) return moduleAddress;
  // Old plans may lack module_address: cut the resource part off the address.
  const marker = resourceKey(mode, type, name);
  const at = address.lastIndexOf(marker);
  return at > 0 ? address.slice(0, at - 1) : "";
}

const READ: readonly string[] = ["read"];
const NO_ACTIONS: readonly string[] = [];

/** The strings of a plan's `actions` list: the list itself when it holds nothing else (it always does). */
function stringsOf(list: Json | undefined): readonly string[] {
  if (!Array.isArray(list)) return NO_ACTIONS;
  for (const item of list) if (typeof item !== "string") return list.filter((a): a is string => typeof a === "string");
  return list as string[];
}

/**
 * A resource instance of the plan: one shape for every entry (what an entry does not say is undefined,
 * never a missing field), so that thousands of them are made and read without per-entry object shapes.
 */
class PlanResource implements TfResource {
  readonly module: readonly ModuleSegment[];
  readonly configModule: string;
  /** The module instance path, `module.a[0]`: with `key`, the resource's key within its module instance. */
  readonly instancePath: string;
  /** `aws_sg.x` or `data.aws_ami.y`: the resource's key in its module's configuration. */
  readonly key: string;
  unknown: Json | undefined = undefined;
  unknownReasons: RawUnknownReasons | undefined = undefined;
  mayNotExist: UnknownReason | undefined = undefined;
  sensitive: Json | undefined = undefined;
  absentIsUnknown = false;
  actions: readonly string[] = NO_ACTIONS;
  config: RawConfigResource | undefined = undefined;

  constructor(
    readonly address: string,
    readonly mode: "managed" | "data",
    readonly type: string,
    readonly name: string,
    readonly index: string | number | undefined,
    info: { readonly module: readonly ModuleSegment[]; readonly configModule: string; readonly instancePath: string },
    readonly values: JsonObject,
    readonly valuesPointer: string,
    readonly pointer: string,
  ) {
    this.module = info.module;
    this.configModule = info.configModule;
    this.instancePath = info.instancePath;
    this.key = resourceKey(mode, type, name);
  }
}

export class PlanIndex {
  readonly resources: TfResource[] = [];
  readonly byAddress = new Map<string, TfResource>();
  private readonly byConfigKey = new Map<string, TfResource[]>();
  /** The same, per module instance (`module.a[0]|aws_sg.x`): lookups from a resource's own module are direct. */
  private readonly byInstanceKey = new Map<string, TfResource[]>();
  private readonly byId = new Map<string, TfResource[]>();
  private readonly byTypeName = new Map<string, TfResource[]>();
  readonly scopes = new Map<string, ModuleScope>();
  readonly root: ModuleScope;
  /** [major, minor] of terraform_version; undefined when the plan does not say. */
  readonly terraformVersion?: readonly [number, number];
  readonly hasConfiguration: boolean;
  readonly fromPlannedValuesOnly: boolean;

  constructor(readonly plan: RawPlan) {
    const version = /^(\d+)\.(\d+)/.exec(plan.terraform_version ?? "");
    if (version) this.terraformVersion = [Number(version[1]), Number(version[2])];
    this.hasConfiguration = isObject(plan.configuration?.root_module);
    this.root = this.indexScope(plan.configuration?.root_module ?? {}, "");
    this.fromPlannedValuesOnly = !Array.isArray(plan.resource_changes);
    if (Array.isArray(plan.resource_changes)) this.indexChanges(plan);
    else this.indexModuleValues(plan.planned_values?.root_module, "/planned_values/root_module", true);
    // Data sources read while planning live in prior_state (0.13+) or planned_values (some versions).
    this.indexModuleValues(plan.prior_state?.values?.root_module, "/prior_state/values/root_module", false, true);
    if (!this.fromPlannedValuesOnly) this.indexModuleValues(plan.planned_values?.root_module, "/planned_values/root_module", false, true);
  }

  /** Terraform 1.1 and later write attribute-as-block arguments (egress, ingress, route) into the configuration. */
  get configurationHasBlocks(): boolean {
    const v = this.terraformVersion;
    return v !== undefined && (v[0] > 1 || (v[0] === 1 && v[1] >= 1));
  }

  private indexScope(module: RawConfigModule, path: string, parent?: ModuleScope, callName?: string, call?: RawModuleCall): ModuleScope {
    const scope: ModuleScope = {
      path,
      ...(parent ? { parent } : {}),
      ...(callName !== undefined ? { callName } : {}),
      ...(call ? { call } : {}),
      resources: new Map(),
      calls: new Map(),
      outputs: isObject(module.outputs) ? module.outputs : {},
      variables: isObject(module.variables) ? module.variables : {},
    };
    this.scopes.set(path, scope);
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(resource) || typeof resource.type !== "string" || typeof resource.name !== "string") continue;
      scope.resources.set(resourceKey(resource.mode === "data" ? "data" : "managed", resource.type, resource.name), resource);
    }
    for (const [name, child] of Object.entries(isObject(module.module_calls) ? module.module_calls : {})) {
      if (!isObject(child)) continue;
      const childPath = path ? `${path}.module.${name}` : `module.${name}`;
      scope.calls.set(name, this.indexScope(isObject(child.module) ? child.module : {}, childPath, scope, name, child));
    }
    return scope;
  }

  /** Completes a resource with what only some entries say, and indexes it unless its address was seen. */
  private add(
    resource: PlanResource,
    unknown: Json | undefined,
    unknownReasons: RawUnknownReasons | undefined,
    sensitive: Json | undefined,
    absentIsUnknown: boolean,
    actions: readonly string[],
    mayNotExist?: UnknownReason,
  ): void {
    // The first entry wins: resource_changes before prior_state / planned_values duplicates.
    if (this.byAddress.has(resource.address)) return;
    resource.unknown = unknown;
    resource.unknownReasons = unknownReasons;
    resource.mayNotExist = mayNotExist;
    resource.sensitive = sensitive;
    resource.absentIsUnknown = absentIsUnknown;
    resource.actions = actions;
    resource.config = this.scopes.get(resource.configModule)?.resources.get(resource.key);
    this.byAddress.set(resource.address, resource);
    if (resource.mode === "managed") this.resources.push(resource);
    push(this.byConfigKey, moduleResourceKey(resource.configModule, resource.key), resource);
    push(this.byInstanceKey, moduleResourceKey(resource.instancePath, resource.key), resource);
    const values = resource.values;
    const id = values.id;
    if (typeof id === "string" && id !== "") push(this.byId, id, resource);
    const arn = values.arn;
    if (typeof arn === "string" && arn !== "") push(this.byId, arn, resource);
    const name = values.name;
    if (typeof name === "string" && name !== "") {
      push(this.byTypeName, `${resource.type}\u0000${name}`, resource);
    }
  }

  private readonly modules = new Map<string, { module: readonly ModuleSegment[]; configModule: string; instancePath: string }>();

  /** A module instance address, parsed once: its segments, configuration path and normalized instance path. */
  private moduleInfo(moduleAddress: string) {
    let info = this.modules.get(moduleAddress);
    if (!info) {
      const module = parseModulePath(moduleAddress);
      info = { module, configModule: formatModulePath(module, false), instancePath: formatModulePath(module) };
      this.modules.set(moduleAddress, info);
    }
    return info;
  }

  private indexChanges(plan: RawPlan): void {
    const changes = plan.resource_changes ?? [];
    for (let i = 0; i < changes.length; i++) {
      const rc = changes[i];
      if (!isStruct(rc) || typeof rc.type !== "string" || typeof rc.name !== "string") continue;
      if (rc.deposed !== undefined) continue;
      const mode = rc.mode === "data" ? "data" : "managed";
      if (!isAwsProvider(rc.provider_name) || !rc.type.startsWith("aws_")) continue;
      const change = isStruct(rc.change) ? rc.change : {};
      const actions = stringsOf(change.actions);
      if (!planned(actions)) continue;
      const address = typeof rc.address === "string" ? rc.address : `${rc.type}.${rc.name}`;
      const info = this.moduleInfo(moduleOf(address, rc.type, rc.name, mode, rc.module_address));
      const pointer = `/resource_changes/${i}`;
      this.add(
        new PlanResource(
          address,
          mode,
          rc.type,
          rc.name,
          rc.index,
          info,
          isObject(change.after) ? change.after : {},
          `${pointer}/change/after`,
          pointer,
        ),
        change.after_unknown,
        rc.unknown_reasons || undefined,
        change.after_sensitive,
        false,
        actions,
        isObject(rc.may_not_exist) && typeof rc.may_not_exist.message === "string" ? rc.may_not_exist : undefined,
      );
    }
  }

  private indexModuleValues(module: RawModuleValues | undefined, pointer: string, managed: boolean, dataOnly = false): void {
    if (!isStruct(module)) return;
    const resources = Array.isArray(module.resources) ? module.resources : [];
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      if (!isStruct(r) || typeof r.type !== "string" || typeof r.name !== "string") continue;
      const mode = r.mode === "data" ? "data" : "managed";
      if (dataOnly && mode !== "data") continue;
      if (!managed && !dataOnly) continue;
      if (!isAwsProvider(r.provider_name) || !r.type.startsWith("aws_")) continue;
      const address = typeof r.address === "string" ? r.address : `${r.type}.${r.name}`;
      const info = this.moduleInfo(moduleOf(address, r.type, r.name, mode, module.address ?? ""));
      const entry = `${pointer}/resources/${i}`;
      this.add(
        new PlanResource(address, mode, r.type, r.name, r.index, info, isObject(r.values) ? r.values : {}, `${entry}/values`, entry),
        undefined,
        undefined,
        r.sensitive_values,
        managed,
        mode === "data" ? READ : NO_ACTIONS,
      );
    }
    (Array.isArray(module.child_modules) ? module.child_modules : []).forEach((child, i) => {
      this.indexModuleValues(child, `${pointer}/child_modules/${i}`, managed, dataOnly);
    });
  }

  private readonly instancePaths = new WeakMap<readonly ModuleSegment[], string>();

  /** `module.a[0].module.b` of a segment list (memoized per list: resources share theirs). */
  private instancePath(module: readonly ModuleSegment[]): string {
    let path = this.instancePaths.get(module);
    if (path === undefined) {
      path = formatModulePath(module);
      this.instancePaths.set(module, path);
    }
    return path;
  }

  private readonly byType = new Map<string, TfResource[]>();

  /** Managed resources of some types (each type in plan order). */
  ofType(...types: string[]): TfResource[] {
    if (this.byType.size === 0) for (const r of this.resources) push(this.byType, r.type, r);
    if (types.length === 1) return this.byType.get(types[0]!) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** Instances of a configuration resource within a module instance (pattern: undefined index = any). Do not mutate. */
  instancesOf(
    scope: ModuleScope,
    module: readonly ModuleSegment[],
    mode: string,
    type: string,
    name: string,
    index?: string | number,
  ): readonly TfResource[] {
    const direct = this.byInstanceKey.get(configKey(this.instancePath(module), mode, type, name));
    if (direct && direct[0]?.configModule === scope.path) return index === undefined ? direct : direct.filter((r) => r.index === index);
    const all = this.byConfigKey.get(configKey(scope.path, mode, type, name)) ?? [];
    return all.filter((r) => modulePathMatches(module, r.module) && (index === undefined || r.index === index));
  }

  /** Instances whose `id` or `arn` is this value. */
  byIdentifier(id: string): TfResource[] {
    return this.byId.get(id) ?? [];
  }

  /** Instances of a type whose `name` is this value. */
  byName(type: string, name: string): TfResource[] {
    return this.byTypeName.get(`${type}\u0000${name}`) ?? [];
  }
}

function push<Key, Item>(map: Map<Key, Item[]>, key: Key, value: Item): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** JSON pointer of a value below a resource's values object. */
export function valuePointer(resource: TfResource, path: readonly (string | number)[]): string {
  let pointer = resource.valuesPointer;
  for (const p of path) pointer += `/${typeof p === "number" ? p : escapePointerSegment(p)}`;
  return pointer;
}
