/**
 * What an aws_instance, a launch template or a launch configuration says about the instances it
 * launches: image, user data (searched for an agent install, never printed), subnet, security groups,
 * public IP, instance profile and metadata options. Launch templates and configurations are read once,
 * and the ones something launches are remembered.
 */
import {
  defaulted,
  known,
  type Origin,
  type Ref,
  type LaunchSettings as SettingsOfOneLevel,
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
} from "../../model/index.js";
import { decodeBase64UserData } from "../common/user-data.js";
import { ELEMENT } from "./element-kinds.js";
import { imageOf } from "./image.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";
import { isObject } from "./types.js";

export interface LaunchSettings extends SettingsOfOneLevel {
  /** security_groups named "default": the default group of the VPC the instance lands in. */
  vpcDefaultGroup?: boolean;
}

// ---------------------------------------------------------------- user data

const SHA1 = /^[0-9a-f]{40}$/;

/**
 * User data text. aws_instance and launch configurations plan only a SHA-1 of user_data: the text is
 * the configuration's constant when there is one. Launch templates hold base64.
 */
function userDataOf(reader: Reader, resource: TfResource, base64Only: boolean): Value<string | null> | undefined {
  const origin = reader.origin(resource, ["user_data"]);
  // Base64 that decodes to text is that text; to something unreadable, not known; not base64, the value itself.
  const decoded = (value: string, where: Origin, fallback: string): Value<string> => {
    const d = decodeBase64UserData(value);
    if (!d) return known(fallback, where);
    if ("text" in d) return known(d.text, where);
    return unknown(
      "unsupported",
      `the user data of ${resource.address} is ${d.unreadable}, which ssm-doctor cannot read`,
      undefined,
      where,
    );
  };
  const expression = reader.expression(resource, ["user_data"]);
  const constant = typeof expression?.constant_value === "string" ? expression.constant_value : undefined;
  if (constant !== undefined) return base64Only ? decoded(constant, origin, constant) : known(constant, origin);
  const raw = reader.raw(resource, ["user_data"]);
  if (raw.kind === "value" && typeof raw.value === "string") {
    if (base64Only) return decoded(raw.value, origin, raw.value);
    if (SHA1.test(raw.value))
      return unknown(
        "unsupported",
        `the plan holds only a hash of the user data of ${resource.address}, and the configuration computes it (a function or template)`,
        undefined,
        origin,
      );
    return known(raw.value, origin);
  }
  if (!base64Only) {
    const encoded = reader.raw(resource, ["user_data_base64"]);
    if (encoded.kind === "value" && typeof encoded.value === "string")
      return decoded(encoded.value, reader.origin(resource, ["user_data_base64"]), "");
    if (encoded.kind === "unknown" && reader.configured(resource, ["user_data_base64"]) === true)
      return unknown("computed", `the user data of ${resource.address} is known only after apply`, undefined, origin);
  }
  if (raw.kind === "null") return undefined;
  if (raw.kind === "sensitive")
    return unknown("unsupported", `the user data of ${resource.address} is sensitive in the plan`, undefined, origin);
  if (reader.configured(resource, ["user_data"]) === false) return undefined;
  return unknown("computed", `the user data of ${resource.address} is known only after apply`, undefined, origin);
}

// ---------------------------------------------------------------- settings

/** Security groups by id and by name ("default" = the default group of the instance's VPC). */
function securityGroupsOf(
  reader: Reader,
  resource: TfResource,
  idsPath: Path | undefined,
  namesPath: Path | undefined,
  settings: LaunchSettings,
): void {
  const lists: ValueList<Ref>[] = [];
  if (idsPath) {
    const ids = reader.refList(resource, idsPath, ELEMENT.securityGroup);
    if (ids) lists.push(ids);
  }
  if (namesPath) {
    const raw = reader.raw(resource, namesPath);
    if (raw.kind === "value" && Array.isArray(raw.value) && raw.value.includes("default")) {
      settings.vpcDefaultGroup = true;
      const others = raw.value.filter((n): n is string => typeof n === "string" && n !== "default");
      const origin = reader.origin(resource, namesPath);
      lists.push(
        known(
          others.map((n) => {
            const key = reader.lookup(n, ELEMENT.securityGroupName);
            return key ? known(key, origin) : unknown("outside", `the security group ${n} is not in this plan`, undefined, origin);
          }),
          origin,
        ),
      );
    } else {
      const names = reader.refList(resource, namesPath, ELEMENT.securityGroupName);
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

function metadataOf(reader: Reader, resource: TfResource, path: Path, settings: LaunchSettings): void {
  const raw = reader.raw(resource, path);
  if (raw.kind === "null" || (raw.kind === "value" && Array.isArray(raw.value) && raw.value.length === 0)) return;
  if (raw.kind === "unknown" && reader.configured(resource, path) !== true) return;
  const pick = <V extends string>(name: string, allowed: readonly V[]): Value<V> | undefined => {
    const at = [...path, 0, name];
    const value = reader.raw(resource, at);
    if (value.kind === "null") return undefined;
    if (value.kind === "unknown" && reader.configured(resource, at) === false) return undefined;
    return reader.scalar<V>(
      resource,
      at,
      (v) => allowed.find((a) => typeof v === "string" && a === v.toLowerCase()),
      () => reader.missing(resource, at),
    );
  };
  const endpoint = pick("http_endpoint", ["enabled", "disabled"] as const);
  const tokens = pick("http_tokens", ["optional", "required"] as const);
  if (endpoint) settings.httpEndpoint = endpoint;
  if (tokens) settings.httpTokens = tokens;
  if (reader.configured(resource, path) !== false) settings.metadataOrigin = reader.origin(resource, path);
}

/** The network interface an aws_instance is launched with as its primary (device_index 0), if it names one. */
export function primaryInterfaceOf(reader: Reader, resource: TfResource): Value<Ref> | undefined {
  const interfaces = reader.raw(resource, ["network_interface"]);
  if (interfaces.kind !== "value" || !Array.isArray(interfaces.value) || interfaces.value.length === 0) return undefined;
  const i = Math.max(
    0,
    interfaces.value.findIndex((n) => isObject(n) && Number(n.device_index) === 0),
  );
  return reader.ref(resource, ["network_interface", i, "network_interface_id"], ELEMENT.networkInterface);
}

/** A network interface resource (aws_network_interface) an instance is launched with. */
function interfaceResource(reader: Reader, key: Ref): TfResource | undefined {
  const found = reader.index.byAddress.get(key);
  return found?.type === "aws_network_interface" ? found : undefined;
}

export function instanceSettings(reader: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(reader, resource, ["ami"]);
  if (image) s.image = image;
  const userData = userDataOf(reader, resource, false);
  if (userData) s.userData = userData;
  const subnet = reader.ref(resource, ["subnet_id"], ELEMENT.subnet);
  if (subnet) s.subnets = known([subnet], reader.origin(resource, ["subnet_id"]));
  securityGroupsOf(reader, resource, ["vpc_security_group_ids"], ["security_groups"], s);
  // The primary network interface (device_index 0) given as an aws_network_interface.
  const eni = primaryInterfaceOf(reader, resource);
  let existingInterface: Value<boolean | null> | undefined;
  if (eni) {
    // EC2 auto-assigns a public address only to a new primary interface, never to an existing one (EC2 API,
    // InstanceNetworkInterfaceSpecification.AssociatePublicIpAddress): only an Elastic IP gives one, and those of
    // the plan are read with the instances.
    const where = reader.origin(resource, ["network_interface"]);
    const target = eni.kind === "known" ? interfaceResource(reader, eni.value) : undefined;
    if (target) {
      const sub = reader.ref(target, ["subnet_id"], ELEMENT.subnet);
      if (sub) s.subnets = known([sub], reader.origin(target, ["subnet_id"]));
      securityGroupsOf(reader, target, ["security_groups"], undefined, s);
      existingInterface = known(false, where);
    } else if (eni.kind === "unknown") {
      s.subnets ??= eni;
      s.securityGroups ??= eni;
      existingInterface = eni;
    } else {
      const outside = unknown("outside", "the network interface is not in this plan", undefined, where);
      s.subnets ??= outside;
      s.securityGroups ??= outside;
      existingInterface = unknown(
        "outside",
        `${resource.address} is launched with an existing network interface from outside this plan: it gets a public address only from an Elastic IP on that interface`,
        "describe the network interface in the plan, or check its Elastic IP",
        where,
      );
    }
  }
  if (reader.configured(resource, ["private_ip"]) === true) {
    const ip = reader.str(resource, ["private_ip"]);
    s.privateIp = ip;
  }
  s.associatePublicIp = reader.scalar<boolean | null>(
    resource,
    ["associate_public_ip_address"],
    (v) => (typeof v === "boolean" ? v : undefined),
    () => defaulted(null),
  );
  if (s.associatePublicIp.kind === "known" && s.associatePublicIp.provenance === "default") {
    if (existingInterface) s.associatePublicIp = existingInterface;
    else delete s.associatePublicIp;
  }
  // Not set (null, "", or computed and not configured): no profile.
  s.instanceProfile = reader.ref(resource, ["iam_instance_profile"], ELEMENT.instanceProfile) ?? defaulted(null);
  metadataOf(reader, resource, ["metadata_options"], s);
  return s;
}

function launchTemplateSettings(reader: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(reader, resource, ["image_id"]);
  if (image) s.image = image;
  const userData = userDataOf(reader, resource, true);
  if (userData) s.userData = userData;
  securityGroupsOf(reader, resource, ["vpc_security_group_ids"], ["security_group_names"], s);
  const interfaces = reader.raw(resource, ["network_interfaces"]);
  if (interfaces.kind === "value" && Array.isArray(interfaces.value) && interfaces.value.length > 0) {
    const i = Math.max(
      0,
      interfaces.value.findIndex((n) => isObject(n) && Number(n.device_index) === 0),
    );
    const at: Path = ["network_interfaces", i];
    const subnet = reader.ref(resource, [...at, "subnet_id"], ELEMENT.subnet);
    if (subnet) s.subnets = known([subnet], reader.origin(resource, [...at, "subnet_id"]));
    const groups = reader.refList(resource, [...at, "security_groups"], ELEMENT.securityGroup);
    if (groups && !(groups.kind === "known" && groups.value.length === 0)) s.securityGroups = groups;
    const publicIp = reader.raw(resource, [...at, "associate_public_ip_address"]);
    if (publicIp.kind === "value")
      s.associatePublicIp = reader.scalar(
        resource,
        [...at, "associate_public_ip_address"],
        (v) => (v === true || v === "true" ? true : v === false || v === "false" ? false : undefined),
        () => defaulted(null),
      );
  }
  const profile = reader.raw(resource, ["iam_instance_profile"]);
  if (profile.kind === "value" && Array.isArray(profile.value) && profile.value.length > 0) {
    s.instanceProfile =
      reader.ref(resource, ["iam_instance_profile", 0, "arn"], ELEMENT.instanceProfile) ??
      reader.ref(resource, ["iam_instance_profile", 0, "name"], ELEMENT.instanceProfile) ??
      defaulted(null);
  } else if (profile.kind === "unknown" && reader.configured(resource, ["iam_instance_profile"]) === true) {
    s.instanceProfile = reader.unknownAt(
      resource,
      ["iam_instance_profile"],
      "computed",
      reader.computedReason(resource, ["iam_instance_profile"]).message,
    );
  }
  metadataOf(reader, resource, ["metadata_options"], s);
  return s;
}

function launchConfigurationSettings(reader: Reader, resource: TfResource): LaunchSettings {
  const s: LaunchSettings = {};
  const image = imageOf(reader, resource, ["image_id"]);
  if (image) s.image = image;
  const userData = userDataOf(reader, resource, false);
  if (userData) s.userData = userData;
  securityGroupsOf(reader, resource, ["security_groups"], undefined, s);
  const publicIp = reader.raw(resource, ["associate_public_ip_address"]);
  if (publicIp.kind !== "null")
    s.associatePublicIp = reader.scalar<boolean | null>(
      resource,
      ["associate_public_ip_address"],
      (v) => (typeof v === "boolean" ? v : undefined),
      () => defaulted(null),
    );
  const profile = reader.ref(resource, ["iam_instance_profile"], ELEMENT.instanceProfile);
  if (profile) s.instanceProfile = profile;
  metadataOf(reader, resource, ["metadata_options"], s);
  return s;
}

// ---------------------------------------------------------------- launch sources

export class LaunchSources {
  private readonly cache = new Map<Ref, LaunchSettings>();
  readonly used = new Set<Ref>();

  constructor(private readonly reader: Reader) {}

  settingsOf(resource: TfResource): LaunchSettings {
    const key = this.reader.keyOf(resource);
    let settings = this.cache.get(key);
    if (!settings) {
      settings =
        resource.type === "aws_launch_template"
          ? launchTemplateSettings(this.reader, resource)
          : launchConfigurationSettings(this.reader, resource);
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** A launch template named by id or name at these paths of a resource. */
  launchTemplate(resource: TfResource, idPath: Path, namePath: Path): { resource?: TfResource; settings: LaunchSettings } | undefined {
    const ref = this.reader.ref(resource, idPath, ELEMENT.launchTemplate) ?? this.reader.ref(resource, namePath, ELEMENT.launchTemplate);
    if (!ref) return undefined;
    return this.resolve(ref);
  }

  launchConfiguration(resource: TfResource, path: Path): { resource?: TfResource; settings: LaunchSettings } | undefined {
    const ref = this.reader.ref(resource, path, ELEMENT.launchConfiguration);
    return ref ? this.resolve(ref) : undefined;
  }

  private resolve(ref: Value<Ref>): { resource?: TfResource; settings: LaunchSettings } {
    if (ref.kind !== "known") return { settings: unknownLaunchSettings(ref) };
    const target = this.reader.index.byAddress.get(ref.value);
    if (!target) return { settings: unknownLaunchSettings(unknown("outside", `${ref.value} is not in this plan`, undefined, ref.origin)) };
    this.used.add(ref.value);
    return { resource: target, settings: this.settingsOf(target) };
  }
}
