/**
 * Compute → World.instances: one element per instance, Auto Scaling group, EKS node group, and per
 * launch template / launch configuration that nothing in the template launches. Launch settings
 * from a launch template or configuration are merged under the element's own settings.
 */

import {
  defaulted,
  defaultSecurityGroupKey,
  type ImageSource,
  type Instance,
  type InstanceProfile,
  known,
  type LaunchSettings,
  type MetadataOptions,
  mergeLaunchSettings,
  type Origin,
  type Ref,
  type Unknown,
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
  type World,
} from "../../model/index.js";
import { intrinsicKey } from "./evaluate.js";
import type { Json } from "./positions.js";
import { isObject, type Template } from "./template.js";
import { type Ev, type ResourceInfo, T } from "./types.js";

/** Where settings are read: resource properties, or the members of LaunchTemplateData. */
interface SettingsSource {
  get(name: string): Ev;
  raw(name: string): Json | undefined;
  pointer(name: string): string;
}

function propertySource(t: Template, resource: ResourceInfo): SettingsSource {
  return {
    get: (name) => t.prop(resource, name),
    raw: (name) => resource.properties[name],
    pointer: (name) => t.propertyPointer(resource, name),
  };
}

function launchTemplateSource(t: Template, resource: ResourceInfo): SettingsSource {
  const raw = resource.properties.LaunchTemplateData;
  // Members are evaluated one by one (messages name "LaunchTemplateData.ImageId"), unless the whole data is an intrinsic.
  const data = isObject(raw) && intrinsicKey(raw) === undefined ? undefined : t.prop(resource, "LaunchTemplateData");
  return {
    get: (name) =>
      data
        ? t.member(data, name)
        : t.evaluator.evaluate((raw as Record<string, Json>)[name], t.propertyPointer(resource, "LaunchTemplateData", name), {
            label: `LaunchTemplateData.${name}`,
          }),
    raw: (name) => (isObject(raw) ? raw[name] : undefined),
    pointer: (name) => t.propertyPointer(resource, "LaunchTemplateData", name),
  };
}

// ---------------------------------------------------------------- single settings

export function imageSource(t: Template, ev: Ev, pointer: string): Value<ImageSource> {
  const origin = t.origin(ev.at ?? pointer);
  if (ev.k === "s" && typeof ev.v === "string") {
    const text = ev.v.trim();
    const ssm = /^(?:\{\{)?resolve:ssm:([^}]+?)(?::\d+)?(?:\}\})?$/.exec(text);
    if (ssm) return known({ kind: "ssm-parameter", name: ssm[1]! }, origin);
    if (text.startsWith("/")) return known({ kind: "ssm-parameter", name: text }, origin);
    if (/^ami-[0-9a-f]+$/i.test(text))
      return known(ev.mapping ? { kind: "ami-id", id: text, mapping: ev.mapping } : { kind: "ami-id", id: text }, origin);
    return unknown("unresolved", `ImageId is '${text}', which is not an AMI id`, undefined, origin);
  }
  if (ev.k === "unk" && ev.extra?.ssmParameter) return known({ kind: "ssm-parameter", name: ev.extra.ssmParameter }, origin);
  if (ev.k === "unk" && ev.extra?.mapping) {
    // Mappings often carry the AMI name beside the ids (an "AMI" row): it tells the family, so keep it in the description.
    const { description, candidates } = ev.extra.mapping;
    const ids = candidates.filter((c) => /^ami-[0-9a-f]+$/i.test(c));
    const names = candidates.filter((c) => !ids.includes(c));
    return known(
      { kind: "mapping", description: names.length > 0 ? `${description}: ${names.join(", ")}` : description, candidates: ids },
      origin,
    );
  }
  return t.unknownFrom(ev, "ImageId", pointer);
}

/** User data text: Fn::Base64 of a (Sub) string, unknown parts kept as placeholders; a literal is base64. */
function userDataOf(t: Template, raw: Json | undefined, pointer: string): Value<string | null> | undefined {
  if (raw === undefined) return undefined;
  const ev = t.evaluator.evaluate(raw, pointer, { label: "UserData", lenient: true });
  if (ev.k === "none") return undefined;
  if (ev.k !== "s") return t.unknownFrom(ev, "UserData", pointer);
  const text = ev.v === null ? "" : String(ev.v);
  const origin = t.origin(pointer);
  if (intrinsicKey(raw) === "Fn::Base64") return known(text, origin);
  const compact = text.replace(/\s+/g, "");
  if (compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return known(Buffer.from(compact, "base64").toString("utf8"), origin);
  }
  return known(text, origin);
}

function securityGroupsOf(t: Template, source: SettingsSource, idsName: string, namesName: string): ValueList<Ref> | undefined {
  const lists: ValueList<Ref>[] = [];
  for (const name of [idsName, namesName]) {
    const ev = source.get(name);
    if (ev.k === "none") continue;
    // SecurityGroups holds names; a Ref to a group of the template (default VPC) is still that group.
    lists.push(t.refList(ev, name, source.pointer(name), [T.securityGroup], "a security group"));
  }
  if (lists.length === 0) return undefined;
  if (lists.length === 1) return lists[0];
  const blocking = lists.find((list) => list.kind === "unknown");
  if (blocking) return blocking;
  return known(
    lists.flatMap((list) => (list.kind === "known" ? list.value : [])),
    lists[0]!.kind === "known" ? lists[0]!.origin : undefined,
  );
}

function profileOf(t: Template, ev: Ev, pointer: string): Value<Ref | null> {
  return t.ref(ev, "IamInstanceProfile", pointer, [T.instanceProfile], "an instance profile");
}

function metadataOf(t: Template, source: SettingsSource, settings: LaunchSettings): void {
  const options = source.get("MetadataOptions");
  if (options.k === "none") return;
  const pointer = source.pointer("MetadataOptions");
  settings.metadataOrigin = t.origin(pointer);
  const pick = <V extends string>(name: string, allowed: readonly V[]): Value<V> | undefined => {
    const ev = t.member(options, name);
    if (ev.k === "none") return undefined;
    const value = t.str(ev, name, `${pointer}/${name}`);
    if (value.kind !== "known") return value;
    const match = allowed.find((a) => a === value.value.toLowerCase());
    return match ? known(match, value.origin) : unknown("unresolved", `${name} is '${value.value}'`, undefined, value.origin);
  };
  const endpoint = pick("HttpEndpoint", ["enabled", "disabled"] as const);
  const tokens = pick("HttpTokens", ["optional", "required"] as const);
  if (endpoint) settings.httpEndpoint = endpoint;
  if (tokens) settings.httpTokens = tokens;
}

/** The primary network interface (DeviceIndex 0, else the first), and an interface resource it names. */
function primaryInterface(t: Template, source: SettingsSource, settings: LaunchSettings): void {
  const interfaces = source.get("NetworkInterfaces");
  if (interfaces.k === "none") return;
  const pointer = source.pointer("NetworkInterfaces");
  if (interfaces.k !== "list") {
    const reason = t.unknownFrom(interfaces, "NetworkInterfaces", pointer);
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
    return;
  }
  const primary =
    interfaces.items.find((item) => {
      const index = t.member(item, "DeviceIndex");
      return index.k === "s" && Number(index.v) === 0;
    }) ?? interfaces.items[0];
  if (!primary) return;
  if (primary.k === "unk") {
    const reason = t.unknownFrom(primary, "NetworkInterfaces[0]", pointer);
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
    return;
  }
  const at = primary.at ?? pointer;
  let subnet = t.member(primary, "SubnetId");
  // AWS::EC2::Instance interfaces say GroupSet; launch template interfaces say Groups.
  const groupsName = t.member(primary, "GroupSet").k !== "none" ? "GroupSet" : "Groups";
  let groups = t.member(primary, groupsName);
  let privateIp = t.member(primary, "PrivateIpAddress");
  const interfaceId = t.member(primary, "NetworkInterfaceId");
  if (interfaceId.k === "ref" && interfaceId.type === T.networkInterface) {
    const eni = t.resources.get(interfaceId.id);
    if (eni) {
      if (subnet.k === "none") subnet = t.prop(eni, "SubnetId");
      if (groups.k === "none") groups = t.prop(eni, "GroupSet");
      if (privateIp.k === "none") privateIp = t.prop(eni, "PrivateIpAddress");
    }
  } else if (interfaceId.k !== "none" && subnet.k === "none") {
    const outside = t.ref(interfaceId, "NetworkInterfaceId", `${at}/NetworkInterfaceId`, [T.networkInterface], "a network interface");
    const reason =
      outside.kind === "unknown" ? outside : unknown("outside", "the network interface is not in this template", undefined, t.origin(at));
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
  }
  if (subnet.k !== "none") settings.subnets ??= known([t.ref(subnet, "SubnetId", `${at}/SubnetId`, [T.subnet], "a subnet")], t.origin(at));
  if (groups.k !== "none")
    settings.securityGroups ??= t.refList(groups, groupsName, `${at}/${groupsName}`, [T.securityGroup], "a security group");
  if (privateIp.k !== "none") settings.privateIp ??= t.str(privateIp, "PrivateIpAddress", `${at}/PrivateIpAddress`);
  const publicIp = t.member(primary, "AssociatePublicIpAddress");
  if (publicIp.k !== "none") settings.associatePublicIp ??= t.bool(publicIp, "AssociatePublicIpAddress", `${at}/AssociatePublicIpAddress`);
}

// ---------------------------------------------------------------- settings per resource kind

function instanceSettings(t: Template, resource: ResourceInfo): LaunchSettings {
  const source = propertySource(t, resource);
  const settings: LaunchSettings = {};
  const image = source.get("ImageId");
  if (image.k !== "none") settings.image = imageSource(t, image, source.pointer("ImageId"));
  const userData = userDataOf(t, source.raw("UserData"), source.pointer("UserData"));
  if (userData) settings.userData = userData;
  const subnet = source.get("SubnetId");
  if (subnet.k !== "none")
    settings.subnets = known(
      [t.ref(subnet, "SubnetId", source.pointer("SubnetId"), [T.subnet], "a subnet")],
      t.origin(source.pointer("SubnetId")),
    );
  const groups = securityGroupsOf(t, source, "SecurityGroupIds", "SecurityGroups");
  if (groups) settings.securityGroups = groups;
  const privateIp = source.get("PrivateIpAddress");
  if (privateIp.k !== "none") settings.privateIp = t.str(privateIp, "PrivateIpAddress", source.pointer("PrivateIpAddress"));
  primaryInterface(t, source, settings);
  const profile = source.get("IamInstanceProfile");
  if (profile.k !== "none") settings.instanceProfile = profileOf(t, profile, source.pointer("IamInstanceProfile"));
  metadataOf(t, source, settings);
  return settings;
}

function launchTemplateSettings(t: Template, resource: ResourceInfo): LaunchSettings {
  const source = launchTemplateSource(t, resource);
  const settings: LaunchSettings = {};
  const image = source.get("ImageId");
  if (image.k !== "none") settings.image = imageSource(t, image, source.pointer("ImageId"));
  const userData = userDataOf(t, source.raw("UserData"), source.pointer("UserData"));
  if (userData) settings.userData = userData;
  const groups = securityGroupsOf(t, source, "SecurityGroupIds", "SecurityGroups");
  if (groups) settings.securityGroups = groups;
  primaryInterface(t, source, settings);
  const profile = source.get("IamInstanceProfile");
  if (profile.k !== "none") {
    const pointer = source.pointer("IamInstanceProfile");
    const arn = t.member(profile, "Arn");
    const name = t.member(profile, "Name");
    if (profile.k === "unk") settings.instanceProfile = t.unknownFrom(profile, "IamInstanceProfile", pointer);
    else if (arn.k !== "none") settings.instanceProfile = profileOf(t, arn, `${pointer}/Arn`);
    else if (name.k !== "none") settings.instanceProfile = profileOf(t, name, `${pointer}/Name`);
  }
  metadataOf(t, source, settings);
  return settings;
}

function launchConfigurationSettings(t: Template, resource: ResourceInfo): LaunchSettings {
  const source = propertySource(t, resource);
  const settings: LaunchSettings = {};
  const image = source.get("ImageId");
  if (image.k !== "none") settings.image = imageSource(t, image, source.pointer("ImageId"));
  const userData = userDataOf(t, source.raw("UserData"), source.pointer("UserData"));
  if (userData) settings.userData = userData;
  const groups = securityGroupsOf(t, source, "SecurityGroups", "ClassicLinkVPCSecurityGroups");
  if (groups) settings.securityGroups = groups;
  const publicIp = source.get("AssociatePublicIpAddress");
  if (publicIp.k !== "none")
    settings.associatePublicIp = t.bool(publicIp, "AssociatePublicIpAddress", source.pointer("AssociatePublicIpAddress"));
  const profile = source.get("IamInstanceProfile");
  if (profile.k !== "none") settings.instanceProfile = profileOf(t, profile, source.pointer("IamInstanceProfile"));
  metadataOf(t, source, settings);
  return settings;
}

// ---------------------------------------------------------------- launch template lookup

interface LaunchSource {
  resource?: ResourceInfo;
  settings: LaunchSettings;
}

class LaunchSources {
  private readonly byName = new Map<string, ResourceInfo>();
  private readonly cache = new Map<string, LaunchSettings>();
  readonly used = new Set<string>();

  constructor(private readonly t: Template) {
    for (const resource of t.ofType(T.launchTemplate)) {
      const name = t.prop(resource, "LaunchTemplateName");
      if (name.k === "s" && name.v !== null) this.byName.set(String(name.v), resource);
    }
  }

  settingsOf(resource: ResourceInfo): LaunchSettings {
    let settings = this.cache.get(resource.id);
    if (!settings) {
      settings =
        resource.type === T.launchTemplate ? launchTemplateSettings(this.t, resource) : launchConfigurationSettings(this.t, resource);
      this.cache.set(resource.id, settings);
    }
    return settings;
  }

  /** A LaunchTemplate specification {LaunchTemplateId | LaunchTemplateName | Id | Name, Version}. */
  launchTemplate(spec: Ev, pointer: string): LaunchSource {
    const t = this.t;
    if (spec.k === "unk") return { settings: unknownLaunchSettings(t.unknownFrom(spec, "LaunchTemplate", pointer)) };
    const id = [t.member(spec, "LaunchTemplateId"), t.member(spec, "Id")].find((ev) => ev.k !== "none");
    const name = [t.member(spec, "LaunchTemplateName"), t.member(spec, "Name")].find((ev) => ev.k !== "none");
    const ev = id ?? name ?? { k: "none" as const };
    let resource: ResourceInfo | undefined;
    if (ev.k === "ref" && ev.type === T.launchTemplate) resource = t.resources.get(ev.id);
    else if (ev.k === "s" && ev.v !== null) resource = this.byName.get(String(ev.v));
    if (resource) {
      this.used.add(resource.id);
      return { resource, settings: this.settingsOf(resource) };
    }
    const reason =
      ev.k === "s"
        ? unknown("outside", `the launch template ${String(ev.v)} is not in this template`, undefined, t.origin(ev.at ?? pointer))
        : ev.k === "none"
          ? unknown("unresolved", "the launch template specification names no template", undefined, t.origin(pointer))
          : t.unknownFrom(ev, "LaunchTemplate", pointer);
    return { settings: unknownLaunchSettings(reason) };
  }

  launchConfiguration(ev: Ev, pointer: string): LaunchSource {
    if (ev.k === "ref" && ev.type === T.launchConfiguration) {
      const resource = this.t.resources.get(ev.id);
      if (resource) {
        this.used.add(resource.id);
        return { resource, settings: this.settingsOf(resource) };
      }
    }
    return {
      settings: unknownLaunchSettings(
        this.t.ref(ev, "LaunchConfigurationName", pointer, [T.launchConfiguration], "a launch configuration") as Unknown,
      ),
    };
  }
}

// ---------------------------------------------------------------- elements

function metadata(settings: LaunchSettings): MetadataOptions {
  return {
    httpEndpoint: settings.httpEndpoint ?? defaulted("enabled"),
    // EC2's default is "optional"; AMIs registered with ImdsSupport v2.0 (Amazon Linux 2023) make it "required",
    // which a template does not show. Analysis treats "optional" as "IMDSv1 allowed", the safe reading for SD104.
    httpTokens: settings.httpTokens ?? defaulted("optional"),
    ...(settings.metadataOrigin ? { origin: settings.metadataOrigin } : {}),
  };
}

interface ElementInput {
  t: Template;
  resource: ResourceInfo;
  computeKind: Instance["computeKind"];
  settings: LaunchSettings;
  subnets: ValueList<Ref>;
  launchOrigin?: Origin;
  missingGroups: () => ValueList<Ref>;
  defaultImage?: () => Value<ImageSource>;
  instanceProfile?: Value<Ref | null>;
}

function instanceElement(input: ElementInput): Instance {
  const { t, resource, settings } = input;
  const origin = t.origin(resource.pointer);
  return {
    ...t.base(resource),
    computeKind: input.computeKind,
    image: settings.image ?? input.defaultImage?.() ?? unknown("unresolved", "no ImageId is set", undefined, origin),
    userData: settings.userData ?? defaulted(null),
    subnets: input.subnets,
    securityGroups: settings.securityGroups ?? input.missingGroups(),
    associatePublicIp: settings.associatePublicIp ?? defaulted(null),
    ...(settings.privateIp ? { privateIp: settings.privateIp } : {}),
    instanceProfile: input.instanceProfile ?? settings.instanceProfile ?? defaulted(null),
    metadata: metadata(settings),
    ...(input.launchOrigin ? { launchSettingsOrigin: input.launchOrigin } : {}),
  };
}

/** No security group given: EC2 attaches the default group of the subnet's VPC. */
function vpcDefaultGroup(world: World, subnets: ValueList<Ref>, origin: Origin): ValueList<Ref> {
  const first = subnets.kind === "known" ? subnets.value[0] : undefined;
  const subnet = first?.kind === "known" ? world.subnets.get(first.value) : undefined;
  if (subnet?.vpc.kind === "known") return defaulted([defaulted(defaultSecurityGroupKey(subnet.vpc.value))]);
  return unknown(
    "outside",
    "no security groups: the instance gets the default security group of its VPC, which is not in this template",
    undefined,
    origin,
  );
}

/** Elastic IPs associated with instances of the template give them a public address. */
/** Instances (and network interfaces) that an Elastic IP is associated with: they have a public address. */
function elasticIps(t: Template): Map<Ref, Origin> {
  const out = new Map<Ref, Origin>();
  const interfaces = new Map<Ref, Origin>();
  for (const type of [T.eip, T.eipAssociation]) {
    for (const resource of t.ofType(type)) {
      if (resource.conditional) continue;
      const instance = t.prop(resource, "InstanceId");
      if (instance.k === "ref" && instance.type === T.instance) out.set(instance.id, t.origin(resource.pointer));
      const eni = t.prop(resource, "NetworkInterfaceId");
      if (eni.k === "ref" && eni.type === T.networkInterface) interfaces.set(eni.id, t.origin(resource.pointer));
    }
  }
  if (interfaces.size === 0) return out;
  // An EIP on the primary interface an instance is launched with.
  for (const resource of t.ofType(T.instance)) {
    const list = t.prop(resource, "NetworkInterfaces");
    if (list.k !== "list") continue;
    for (const item of list.items) {
      const index = t.member(item, "DeviceIndex");
      if (index.k === "s" && String(index.v) !== "0") continue;
      const id = t.member(item, "NetworkInterfaceId");
      const origin = id.k === "ref" ? interfaces.get(id.id) : undefined;
      if (origin && !out.has(resource.id)) out.set(resource.id, origin);
    }
  }
  return out;
}

const OUTSIDE_LAUNCHER = "launched by something outside this template";

const AMI_TYPES: Record<string, string> = {
  AL2_x86_64: "Amazon EKS optimized Amazon Linux 2 (x86_64)",
  AL2_x86_64_GPU: "Amazon EKS optimized accelerated Amazon Linux 2 (x86_64)",
  AL2_ARM_64: "Amazon EKS optimized Amazon Linux 2 (arm64)",
  AL2023_x86_64_STANDARD: "Amazon EKS optimized Amazon Linux 2023 (x86_64)",
  AL2023_ARM_64_STANDARD: "Amazon EKS optimized Amazon Linux 2023 (arm64)",
  AL2023_x86_64_NVIDIA: "Amazon EKS optimized accelerated Amazon Linux 2023 (x86_64, NVIDIA)",
  AL2023_x86_64_NEURON: "Amazon EKS optimized accelerated Amazon Linux 2023 (x86_64, Neuron)",
  BOTTLEROCKET_x86_64: "Bottlerocket (x86_64)",
  BOTTLEROCKET_ARM_64: "Bottlerocket (arm64)",
  WINDOWS_CORE_2019_x86_64: "Amazon EKS optimized Windows Server 2019 Core",
  WINDOWS_FULL_2019_x86_64: "Amazon EKS optimized Windows Server 2019 Full",
  WINDOWS_CORE_2022_x86_64: "Amazon EKS optimized Windows Server 2022 Core",
  WINDOWS_FULL_2022_x86_64: "Amazon EKS optimized Windows Server 2022 Full",
};

export function buildCompute(t: Template, world: World): void {
  const sources = new LaunchSources(t);
  const eips = elasticIps(t);

  for (const resource of t.ofType(T.instance)) {
    const origin = t.origin(resource.pointer);
    const own = instanceSettings(t, resource);
    const spec = t.prop(resource, "LaunchTemplate");
    const launched = spec.k !== "none" ? sources.launchTemplate(spec, t.propertyPointer(resource, "LaunchTemplate")) : undefined;
    const settings = mergeLaunchSettings(own, launched?.settings);
    const eip = eips.get(resource.id);
    if (eip) settings.associatePublicIp = known(true, eip);
    const subnets =
      settings.subnets ??
      unknown("outside", "no SubnetId: the instance launches in the default VPC, which is not in this template", undefined, origin);
    world.instances.set(
      resource.id,
      instanceElement({
        t,
        resource,
        computeKind: "instance",
        settings,
        subnets,
        ...(launched?.resource ? { launchOrigin: t.origin(launched.resource.pointer) } : {}),
        missingGroups: () => vpcDefaultGroup(world, subnets, origin),
      }),
    );
  }

  for (const resource of t.ofType(T.autoScalingGroup)) {
    const origin = t.origin(resource.pointer);
    const pointer = (name: string) => t.propertyPointer(resource, name);
    let launched: LaunchSource | undefined;
    const template = t.prop(resource, "LaunchTemplate");
    const mixed = t.member(t.member(t.prop(resource, "MixedInstancesPolicy"), "LaunchTemplate"), "LaunchTemplateSpecification");
    const configuration = t.prop(resource, "LaunchConfigurationName");
    if (template.k !== "none") launched = sources.launchTemplate(template, pointer("LaunchTemplate"));
    else if (mixed.k !== "none") launched = sources.launchTemplate(mixed, pointer("MixedInstancesPolicy"));
    else if (configuration.k !== "none") launched = sources.launchConfiguration(configuration, pointer("LaunchConfigurationName"));
    else if (t.prop(resource, "InstanceId").k !== "none") {
      launched = {
        settings: unknownLaunchSettings(
          unknown("unsupported", "the group copies its launch settings from an instance (InstanceId)", undefined, origin),
        ),
      };
    }
    const settings =
      launched?.settings ??
      unknownLaunchSettings(unknown("unresolved", "the group names no launch template or configuration", undefined, origin));
    const zones = t.prop(resource, "VPCZoneIdentifier");
    const subnets =
      zones.k === "none"
        ? unknown(
            "outside",
            "no VPCZoneIdentifier: the group launches in the default VPC, which is not in this template",
            undefined,
            origin,
          )
        : t.refList(zones, "VPCZoneIdentifier", pointer("VPCZoneIdentifier"), [T.subnet], "a subnet");
    world.instances.set(
      resource.id,
      instanceElement({
        t,
        resource,
        computeKind: "auto-scaling-group",
        settings,
        subnets,
        ...(launched?.resource ? { launchOrigin: t.origin(launched.resource.pointer) } : {}),
        missingGroups: () => vpcDefaultGroup(world, subnets, origin),
      }),
    );
  }

  for (const resource of t.ofType(T.nodegroup)) {
    const origin = t.origin(resource.pointer);
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const spec = t.prop(resource, "LaunchTemplate");
    const launched = spec.k !== "none" ? sources.launchTemplate(spec, pointer("LaunchTemplate")) : undefined;
    const profileKey = `${resource.id}#profile`;
    const role = t.prop(resource, "NodeRole");
    // EKS makes an instance profile for the node role; model it so the IAM rules can follow it.
    const profile: InstanceProfile = {
      key: profileKey,
      name: `instance profile EKS creates for ${resource.id}`,
      origin,
      ...(resource.conditional ? { conditional: resource.conditional } : {}),
      roles: known([t.ref(role, "NodeRole", pointer("NodeRole"), [T.role], "an IAM role")], t.origin(pointer("NodeRole"))),
    };
    world.instanceProfiles.set(profileKey, profile);
    const amiType = t.prop(resource, "AmiType");
    const subnets = t.refList(t.prop(resource, "Subnets"), "Subnets", pointer("Subnets"), [T.subnet], "a subnet");
    world.instances.set(
      resource.id,
      instanceElement({
        t,
        resource,
        computeKind: "node-group",
        settings: launched?.settings ?? {},
        subnets,
        ...(launched?.resource ? { launchOrigin: t.origin(launched.resource.pointer) } : {}),
        instanceProfile: known(profileKey, origin),
        missingGroups: () =>
          unknown("computed", "no launch template security groups: EKS attaches the cluster security group", undefined, origin),
        defaultImage: () => {
          const type = amiType.k === "none" ? "AL2_x86_64" : amiType.k === "s" ? String(amiType.v) : undefined;
          if (type === undefined) return t.unknownFrom(amiType, "AmiType", pointer("AmiType"));
          const description = AMI_TYPES[type];
          if (!description) return unknown("unsupported", `AmiType ${type} is not recognised`, undefined, t.origin(pointer("AmiType")));
          return amiType.k === "none"
            ? defaulted({ kind: "described", description })
            : known({ kind: "described", description }, t.origin(pointer("AmiType")));
        },
      }),
    );
  }

  // Launch templates and configurations nothing here launches: check what they would launch.
  for (const type of [T.launchTemplate, T.launchConfiguration] as const) {
    for (const resource of t.ofType(type)) {
      if (sources.used.has(resource.id)) continue;
      const origin = t.origin(resource.pointer);
      const settings = sources.settingsOf(resource);
      const outside = unknown("outside", OUTSIDE_LAUNCHER, undefined, origin);
      world.instances.set(
        resource.id,
        instanceElement({
          t,
          resource,
          computeKind: type === T.launchTemplate ? "launch-template" : "launch-configuration",
          settings,
          subnets: settings.subnets ?? outside,
          launchOrigin: origin,
          missingGroups: () => (settings.subnets ? vpcDefaultGroup(world, settings.subnets, origin) : outside),
        }),
      );
    }
  }
}
