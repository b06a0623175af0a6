/**
 * Compute of a plan → World.instances: aws_instance, aws_autoscaling_group (with its launch template
 * or launch configuration), and launch templates / configurations nothing in the plan launches. The
 * image is told by what the configuration refers to: data "aws_ssm_parameter" (the parameter's name
 * says the AMI family) or data "aws_ami" (its name filter), not by the AMI id those resolve to.
 * User data is searched for an agent install and never printed.
 */

import {
  defaulted,
  defaultSecurityGroupKey,
  type ImageSource,
  type Instance,
  known,
  mergeLaunchSettings,
  type Origin,
  type Ref,
  type LaunchSettings as SettingsOfOneLevel,
  type Unknown,
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
  type World,
} from "../../model/index.js";
import { parseReference } from "./addresses.js";
import { K } from "./kinds.js";
import type { TfResource } from "./plan.js";
import type { Path, Reader } from "./reader.js";
import type { Context } from "./references.js";
import { isObject, type Json, type RawConfigResource, type RawExpressions } from "./types.js";

interface LaunchSettings extends SettingsOfOneLevel {
  /** security_groups named "default": the default group of the VPC the instance lands in. */
  vpcDefaultGroup?: boolean;
}

// ---------------------------------------------------------------- images

/** What an image argument names, from a literal ("ami-…", "resolve:ssm:/aws/…") or a parameter path. */
function imageFromText(text: string, origin: Origin | undefined): Value<ImageSource> {
  const t = text.trim();
  const ssm = /^(?:\{\{)?resolve:ssm:([^}]+?)(?::\d+)?(?:\}\})?$/.exec(t);
  if (ssm) return known({ kind: "ssm-parameter", name: ssm[1]! }, origin);
  if (t.startsWith("/")) return known({ kind: "ssm-parameter", name: t }, origin);
  if (/^ami-[0-9a-f]+$/i.test(t)) return known({ kind: "ami-id", id: t }, origin);
  return unknown("unresolved", `the image is '${t}', which is not an AMI id`, undefined, origin);
}

function stringValue(r: Reader, data: TfResource | undefined, config: RawConfigResource | undefined, name: string): string | undefined {
  if (data) {
    const raw = r.raw(data, [name]);
    if (raw.k === "value" && typeof raw.v === "string") return raw.v;
  }
  const e = config?.expressions?.[name];
  return e && !Array.isArray(e) && typeof e.constant_value === "string" ? e.constant_value : undefined;
}

/** data "aws_ami": the `name` filter, else name_regex, else the name of the image it found. */
function amiDataImage(
  r: Reader,
  data: TfResource | undefined,
  config: RawConfigResource | undefined,
  origin: Origin,
): Value<ImageSource> | undefined {
  const owners = (() => {
    const raw = data ? r.raw(data, ["owners"]) : undefined;
    if (raw?.k === "value" && Array.isArray(raw.v)) return raw.v.filter((o): o is string => typeof o === "string");
    const e = config?.expressions?.owners;
    return e && !Array.isArray(e) && Array.isArray(e.constant_value)
      ? e.constant_value.filter((o): o is string => typeof o === "string")
      : undefined;
  })();
  const withOwners = (pattern: string): ImageSource => ({
    kind: "name-filter",
    pattern,
    ...(owners && owners.length > 0 ? { owners } : {}),
  });
  const filters: Json[] = [];
  const raw = data ? r.raw(data, ["filter"]) : undefined;
  if (raw?.k === "value" && Array.isArray(raw.v)) filters.push(...raw.v);
  else {
    const blocks = config?.expressions?.filter;
    if (Array.isArray(blocks))
      for (const b of blocks as RawExpressions[]) {
        const name = b.name && !Array.isArray(b.name) ? b.name.constant_value : undefined;
        const values = b.values && !Array.isArray(b.values) ? b.values.constant_value : undefined;
        filters.push({ name: name ?? null, values: values ?? null });
      }
  }
  for (const f of filters) {
    if (!isObject(f) || f.name !== "name" || !Array.isArray(f.values)) continue;
    const pattern = f.values.find((v): v is string => typeof v === "string");
    if (pattern) return known(withOwners(pattern), origin);
  }
  const regex = stringValue(r, data, config, "name_regex");
  if (regex) return known(withOwners(regex), origin);
  const found = stringValue(r, data, undefined, "name");
  if (found) return known({ kind: "described", description: found }, origin);
  return undefined;
}

/** A data source a reference names, whether or not the plan has its result. */
function dataSource(r: Reader, ref: string, context: Context): { data?: TfResource; config?: RawConfigResource; type: string } | undefined {
  const parsed = parseReference(ref);
  if (parsed.kind !== "resource" || parsed.mode !== "data") return undefined;
  const data = r.index.instancesOf(context.scope, context.module, "data", parsed.type, parsed.name, parsed.index)[0];
  const config = context.scope.resources.get(`data.${parsed.type}.${parsed.name}`);
  return { ...(data ? { data } : {}), ...(config ? { config } : {}), type: parsed.type };
}

function imageOf(r: Reader, resource: TfResource, path: Path): Value<ImageSource> | undefined {
  const origin = r.origin(resource, path);
  const expression = r.expression(resource, path);
  const context = r.contextOf(resource);
  if (expression && context) {
    // The configuration names the image's source even when the plan already holds the id it resolved to.
    for (const target of r.refs.resolve(expression, context)) {
      if (target.kind === "resource" && target.resource.mode === "data") {
        const found = imageFromData(r, target.resource.type, target.resource, target.resource.config, origin);
        if (found) return found;
      } else if (target.kind === "unresolved") {
        const source = dataSource(r, target.ref, context);
        const found = source ? imageFromData(r, source.type, source.data, source.config, origin) : undefined;
        if (found) return found;
      } else if (target.kind === "constant" && typeof target.value === "string" && target.value !== "") {
        return imageFromText(target.value, origin);
      }
    }
  }
  const raw = r.raw(resource, path);
  if (raw.k === "null" || (raw.k === "value" && raw.v === "")) return undefined;
  if (raw.k === "value" && typeof raw.v === "string") return imageFromText(raw.v, origin);
  return r.str(resource, path) as Unknown;
}

function imageFromData(
  r: Reader,
  type: string,
  data: TfResource | undefined,
  config: RawConfigResource | undefined,
  origin: Origin,
): Value<ImageSource> | undefined {
  if (type === "aws_ssm_parameter") {
    const name = stringValue(r, data, config, "name");
    return name ? known({ kind: "ssm-parameter", name }, origin) : undefined;
  }
  if (type === "aws_ami") return amiDataImage(r, data, config, origin);
  return undefined;
}

// ---------------------------------------------------------------- user data

const SHA1 = /^[0-9a-f]{40}$/;

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

/**
 * User data text. aws_instance and launch configurations plan only a SHA-1 of user_data: the text is
 * the configuration's constant when there is one. Launch templates hold base64.
 */
function userDataOf(r: Reader, resource: TfResource, base64Only: boolean): Value<string | null> | undefined {
  const origin = r.origin(resource, ["user_data"]);
  const expression = r.expression(resource, ["user_data"]);
  const constant = typeof expression?.constant_value === "string" ? expression.constant_value : undefined;
  if (constant !== undefined) return known(base64Only ? (decodeBase64(constant) ?? constant) : constant, origin);
  const raw = r.raw(resource, ["user_data"]);
  if (raw.k === "value" && typeof raw.v === "string") {
    if (base64Only) return known(decodeBase64(raw.v) ?? raw.v, origin);
    if (SHA1.test(raw.v))
      return unknown(
        "unsupported",
        `the plan holds only a hash of the user data of ${resource.address}, and the configuration computes it (a function or template)`,
        undefined,
        origin,
      );
    return known(raw.v, origin);
  }
  if (!base64Only) {
    const encoded = r.raw(resource, ["user_data_base64"]);
    if (encoded.k === "value" && typeof encoded.v === "string")
      return known(decodeBase64(encoded.v) ?? "", r.origin(resource, ["user_data_base64"]));
    if (encoded.k === "unknown" && r.configured(resource, ["user_data_base64"]) === true)
      return unknown("computed", `the user data of ${resource.address} is known only after apply`, undefined, origin);
  }
  if (raw.k === "null") return undefined;
  if (raw.k === "sensitive")
    return unknown("unsupported", `the user data of ${resource.address} is sensitive in the plan`, undefined, origin);
  if (r.configured(resource, ["user_data"]) === false) return undefined;
  return unknown("computed", `the user data of ${resource.address} is known only after apply`, undefined, origin);
}

// ---------------------------------------------------------------- settings

/** Security groups by id and by name ("default" = the default group of the instance's VPC). */
function securityGroupsOf(
  r: Reader,
  resource: TfResource,
  idsPath: Path | undefined,
  namesPath: Path | undefined,
  settings: LaunchSettings,
): void {
  const lists: ValueList<Ref>[] = [];
  if (idsPath) {
    const ids = r.refList(resource, idsPath, K.securityGroup);
    if (ids) lists.push(ids);
  }
  if (namesPath) {
    const raw = r.raw(resource, namesPath);
    if (raw.k === "value" && Array.isArray(raw.v) && raw.v.includes("default")) {
      settings.vpcDefaultGroup = true;
      const others = raw.v.filter((n): n is string => typeof n === "string" && n !== "default");
      const origin = r.origin(resource, namesPath);
      lists.push(
        known(
          others.map((n) => {
            const key = r.lookup(n, K.securityGroupName);
            return key ? known(key, origin) : unknown("outside", `the security group ${n} is not in this plan`, undefined, origin);
          }),
          origin,
        ),
      );
    } else {
      const names = r.refList(resource, namesPath, K.securityGroupName);
      if (names) lists.push(names);
    }
  }
  if (lists.length === 0) return;
  const blocking = lists.find((l) => l.kind === "unknown");
  if (blocking) {
    settings.securityGroups = blocking;
    return;
  }
  const items = lists.flatMap((l) => (l.kind === "known" ? l.value : []));
  const first = lists[0]!;
  // An empty list is "not set" when the other list is absent (Optional+Computed sets plan as []).
  settings.securityGroups = known(items, first.kind === "known" ? first.origin : undefined);
}

function metadataOf(r: Reader, resource: TfResource, path: Path, settings: LaunchSettings): void {
  const raw = r.raw(resource, path);
  if (raw.k === "null" || (raw.k === "value" && Array.isArray(raw.v) && raw.v.length === 0)) return;
  if (raw.k === "unknown" && r.configured(resource, path) !== true) return;
  const pick = <V extends string>(name: string, allowed: readonly V[]): Value<V> | undefined => {
    const at = [...path, 0, name];
    const value = r.raw(resource, at);
    if (value.k === "null") return undefined;
    if (value.k === "unknown" && r.configured(resource, at) === false) return undefined;
    return r.scalar<V>(
      resource,
      at,
      (v) => allowed.find((a) => typeof v === "string" && a === v.toLowerCase()),
      () => r.missing(resource, at),
    );
  };
  const endpoint = pick("http_endpoint", ["enabled", "disabled"] as const);
  const tokens = pick("http_tokens", ["optional", "required"] as const);
  if (endpoint) settings.httpEndpoint = endpoint;
  if (tokens) settings.httpTokens = tokens;
  if (r.configured(resource, path) !== false) settings.metadataOrigin = r.origin(resource, path);
}

/** A network interface resource (aws_network_interface) an instance is launched with. */
function interfaceResource(r: Reader, key: Ref): TfResource | undefined {
  const found = r.index.byAddress.get(key);
  return found?.type === "aws_network_interface" ? found : undefined;
}

function instanceSettings(r: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(r, resource, ["ami"]);
  if (image) s.image = image;
  const userData = userDataOf(r, resource, false);
  if (userData) s.userData = userData;
  const subnet = r.ref(resource, ["subnet_id"], K.subnet);
  if (subnet) s.subnets = known([subnet], r.origin(resource, ["subnet_id"]));
  securityGroupsOf(r, resource, ["vpc_security_group_ids"], ["security_groups"], s);
  // The primary network interface (device_index 0) given as an aws_network_interface.
  const interfaces = r.raw(resource, ["network_interface"]);
  if (interfaces.k === "value" && Array.isArray(interfaces.v)) {
    const i = Math.max(
      0,
      interfaces.v.findIndex((n) => isObject(n) && Number(n.device_index) === 0),
    );
    if (interfaces.v.length > 0) {
      const eni = r.ref(resource, ["network_interface", i, "network_interface_id"], K.networkInterface);
      const target = eni?.kind === "known" ? interfaceResource(r, eni.value) : undefined;
      if (target) {
        const sub = r.ref(target, ["subnet_id"], K.subnet);
        if (sub) s.subnets = known([sub], r.origin(target, ["subnet_id"]));
        securityGroupsOf(r, target, ["security_groups"], undefined, s);
      } else if (eni) {
        const reason =
          eni.kind === "unknown"
            ? eni
            : unknown("outside", "the network interface is not in this plan", undefined, r.origin(resource, ["network_interface"]));
        s.subnets ??= reason;
        s.securityGroups ??= reason;
      }
    }
  }
  if (r.configured(resource, ["private_ip"]) === true) {
    const ip = r.str(resource, ["private_ip"]);
    s.privateIp = ip;
  }
  s.associatePublicIp = r.scalar<boolean | null>(
    resource,
    ["associate_public_ip_address"],
    (v) => (typeof v === "boolean" ? v : undefined),
    () => defaulted(null),
  );
  if (s.associatePublicIp.kind === "known" && s.associatePublicIp.provenance === "default") delete s.associatePublicIp;
  // Not set (null, "", or computed and not configured): no profile.
  s.instanceProfile = r.ref(resource, ["iam_instance_profile"], K.instanceProfile) ?? defaulted(null);
  metadataOf(r, resource, ["metadata_options"], s);
  return s;
}

function launchTemplateSettings(r: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(r, resource, ["image_id"]);
  if (image) s.image = image;
  const userData = userDataOf(r, resource, true);
  if (userData) s.userData = userData;
  securityGroupsOf(r, resource, ["vpc_security_group_ids"], ["security_group_names"], s);
  const interfaces = r.raw(resource, ["network_interfaces"]);
  if (interfaces.k === "value" && Array.isArray(interfaces.v) && interfaces.v.length > 0) {
    const i = Math.max(
      0,
      interfaces.v.findIndex((n) => isObject(n) && Number(n.device_index) === 0),
    );
    const at: Path = ["network_interfaces", i];
    const subnet = r.ref(resource, [...at, "subnet_id"], K.subnet);
    if (subnet) s.subnets = known([subnet], r.origin(resource, [...at, "subnet_id"]));
    const groups = r.refList(resource, [...at, "security_groups"], K.securityGroup);
    if (groups && !(groups.kind === "known" && groups.value.length === 0)) s.securityGroups = groups;
    const publicIp = r.raw(resource, [...at, "associate_public_ip_address"]);
    if (publicIp.k === "value")
      s.associatePublicIp = r.scalar(
        resource,
        [...at, "associate_public_ip_address"],
        (v) => (v === true || v === "true" ? true : v === false || v === "false" ? false : undefined),
        () => defaulted(null),
      );
  }
  const profile = r.raw(resource, ["iam_instance_profile"]);
  if (profile.k === "value" && Array.isArray(profile.v) && profile.v.length > 0) {
    s.instanceProfile =
      r.ref(resource, ["iam_instance_profile", 0, "arn"], K.instanceProfile) ??
      r.ref(resource, ["iam_instance_profile", 0, "name"], K.instanceProfile) ??
      defaulted(null);
  } else if (profile.k === "unknown" && r.configured(resource, ["iam_instance_profile"]) === true) {
    s.instanceProfile = r.unknownAt(
      resource,
      ["iam_instance_profile"],
      "computed",
      r.computedReason(resource, ["iam_instance_profile"]).message,
    );
  }
  metadataOf(r, resource, ["metadata_options"], s);
  return s;
}

function launchConfigurationSettings(r: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(r, resource, ["image_id"]);
  if (image) s.image = image;
  const userData = userDataOf(r, resource, false);
  if (userData) s.userData = userData;
  securityGroupsOf(r, resource, ["security_groups"], undefined, s);
  const publicIp = r.raw(resource, ["associate_public_ip_address"]);
  if (publicIp.k !== "null")
    s.associatePublicIp = r.scalar<boolean | null>(
      resource,
      ["associate_public_ip_address"],
      (v) => (typeof v === "boolean" ? v : undefined),
      () => defaulted(null),
    );
  const profile = r.ref(resource, ["iam_instance_profile"], K.instanceProfile);
  if (profile) s.instanceProfile = profile;
  metadataOf(r, resource, ["metadata_options"], s);
  return s;
}

// ---------------------------------------------------------------- launch sources

class LaunchSources {
  private readonly cache = new Map<Ref, LaunchSettings>();
  readonly used = new Set<Ref>();

  constructor(private readonly r: Reader) {}

  settingsOf(resource: TfResource): LaunchSettings {
    const key = this.r.keyOf(resource);
    let settings = this.cache.get(key);
    if (!settings) {
      settings =
        resource.type === "aws_launch_template" ? launchTemplateSettings(this.r, resource) : launchConfigurationSettings(this.r, resource);
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** A launch template named by id or name at these paths of a resource. */
  launchTemplate(resource: TfResource, idPath: Path, namePath: Path): { resource?: TfResource; settings: LaunchSettings } | undefined {
    const ref = this.r.ref(resource, idPath, K.launchTemplate) ?? this.r.ref(resource, namePath, K.launchTemplate);
    if (!ref) return undefined;
    return this.resolve(ref);
  }

  launchConfiguration(resource: TfResource, path: Path): { resource?: TfResource; settings: LaunchSettings } | undefined {
    const ref = this.r.ref(resource, path, K.launchConfiguration);
    return ref ? this.resolve(ref) : undefined;
  }

  private resolve(ref: Value<Ref>): { resource?: TfResource; settings: LaunchSettings } {
    if (ref.kind !== "known") return { settings: unknownLaunchSettings(ref) };
    const target = this.r.index.byAddress.get(ref.value);
    if (!target) return { settings: unknownLaunchSettings(unknown("outside", `${ref.value} is not in this plan`, undefined, ref.origin)) };
    this.used.add(ref.value);
    return { resource: target, settings: this.settingsOf(target) };
  }
}

// ---------------------------------------------------------------- elements

function metadata(settings: LaunchSettings): Instance["metadata"] {
  return {
    httpEndpoint: settings.httpEndpoint ?? defaulted("enabled"),
    httpTokens: settings.httpTokens ?? defaulted("optional"),
    ...(settings.metadataOrigin ? { origin: settings.metadataOrigin } : {}),
  };
}

/** No security group given (or "default"): EC2 attaches the default group of the subnet's VPC. */
function vpcDefaultGroup(world: World, subnets: ValueList<Ref>, origin: Origin): Value<Ref> {
  const first = subnets.kind === "known" ? subnets.value[0] : undefined;
  const subnet = first?.kind === "known" ? world.subnets.get(first.value) : undefined;
  if (subnet?.vpc.kind === "known") return defaulted(defaultSecurityGroupKey(subnet.vpc.value));
  return unknown("outside", "the instance gets the default security group of its VPC, which is not in this plan", undefined, origin);
}

function element(
  r: Reader,
  world: World,
  resource: TfResource,
  computeKind: Instance["computeKind"],
  settings: LaunchSettings,
  subnets: ValueList<Ref>,
  launchOrigin: Origin | undefined,
): Instance {
  const origin = r.origin(resource);
  let securityGroups: ValueList<Ref>;
  if (
    !settings.securityGroups ||
    (settings.securityGroups.kind === "known" && settings.securityGroups.value.length === 0 && !settings.vpcDefaultGroup)
  ) {
    const fallback = vpcDefaultGroup(world, subnets, origin);
    securityGroups = fallback.kind === "known" ? defaulted([fallback]) : fallback;
  } else if (settings.vpcDefaultGroup && settings.securityGroups.kind === "known") {
    securityGroups = { ...settings.securityGroups, value: [...settings.securityGroups.value, vpcDefaultGroup(world, subnets, origin)] };
  } else securityGroups = settings.securityGroups;
  return {
    ...r.base(resource),
    computeKind,
    image: settings.image ?? unknown("unresolved", `${resource.address} names no image`, undefined, origin),
    userData: settings.userData ?? defaulted(null),
    subnets,
    securityGroups,
    associatePublicIp: settings.associatePublicIp ?? defaulted(null),
    ...(settings.privateIp ? { privateIp: settings.privateIp } : {}),
    instanceProfile: settings.instanceProfile ?? defaulted(null),
    metadata: metadata(settings),
    ...(launchOrigin ? { launchSettingsOrigin: launchOrigin } : {}),
  };
}

/** Instances with an Elastic IP (aws_eip instance / aws_eip_association instance_id). */
function elasticIps(r: Reader): Map<Ref, Origin> {
  const out = new Map<Ref, Origin>();
  for (const [type, path] of [
    ["aws_eip", ["instance"]],
    ["aws_eip_association", ["instance_id"]],
  ] as const) {
    for (const resource of r.index.ofType(type)) {
      const instance = r.ref(resource, path, K.instance);
      if (instance?.kind === "known") out.set(instance.value, r.origin(resource));
    }
  }
  return out;
}

const DEFAULT_VPC = "the default VPC, which is not in this plan";

export function buildCompute(r: Reader, world: World): void {
  const sources = new LaunchSources(r);
  const eips = elasticIps(r);

  for (const resource of r.index.ofType("aws_instance")) {
    const key = r.keyOf(resource);
    const own = instanceSettings(r, resource);
    const launched = sources.launchTemplate(resource, ["launch_template", 0, "id"], ["launch_template", 0, "name"]);
    const settings = mergeLaunchSettings(own, launched?.settings);
    const eip = eips.get(key);
    if (eip) settings.associatePublicIp = known(true, eip);
    const subnets =
      settings.subnets ??
      unknown(
        "outside",
        `${resource.address} sets no subnet_id: it launches in ${DEFAULT_VPC}`,
        "set subnet_id, or lint the plan of the network too",
        r.origin(resource),
      );
    world.instances.set(
      key,
      element(r, world, resource, "instance", settings, subnets, launched?.resource ? r.origin(launched.resource) : undefined),
    );
  }

  for (const resource of r.index.ofType("aws_autoscaling_group")) {
    const key = r.keyOf(resource);
    const mixed = ["mixed_instances_policy", 0, "launch_template", 0, "launch_template_specification", 0] as const;
    const launched =
      sources.launchTemplate(resource, ["launch_template", 0, "id"], ["launch_template", 0, "name"]) ??
      sources.launchTemplate(resource, [...mixed, "launch_template_id"], [...mixed, "launch_template_name"]) ??
      sources.launchConfiguration(resource, ["launch_configuration"]);
    const settings =
      launched?.settings ??
      unknownLaunchSettings(
        unknown("unresolved", `${resource.address} names no launch template or configuration`, undefined, r.origin(resource)),
      );
    const zones = r.refList(resource, ["vpc_zone_identifier"], K.subnet);
    const subnets =
      zones && !(zones.kind === "known" && zones.value.length === 0)
        ? zones
        : unknown(
            "outside",
            `${resource.address} sets no vpc_zone_identifier: it launches in ${DEFAULT_VPC}`,
            undefined,
            r.origin(resource),
          );
    world.instances.set(
      key,
      element(r, world, resource, "auto-scaling-group", settings, subnets, launched?.resource ? r.origin(launched.resource) : undefined),
    );
  }

  // Launch templates and configurations nothing here launches: check what they would launch.
  for (const type of ["aws_launch_template", "aws_launch_configuration"] as const) {
    for (const resource of r.index.ofType(type)) {
      const key = r.keyOf(resource);
      if (sources.used.has(key)) continue;
      const settings = sources.settingsOf(resource);
      const outside = unknown("outside", "launched by something outside this plan", undefined, r.origin(resource));
      world.instances.set(
        key,
        element(
          r,
          world,
          resource,
          type === "aws_launch_template" ? "launch-template" : "launch-configuration",
          settings,
          settings.subnets ?? outside,
          r.origin(resource),
        ),
      );
    }
  }
}
