/**
 * The compute units → World.instances: one element per instance, Auto Scaling group, EKS node group, and per
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
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

/** Where settings are read: resource properties, or the members of LaunchTemplateData. */
interface SettingsSource {
  get(name: string): Evaluated;
  raw(name: string): Json | undefined;
  pointer(name: string): string;
}

function propertySource(template: Template, resource: ResourceInfo): SettingsSource {
  return {
    get: (name) => template.prop(resource, name),
    raw: (name) => resource.properties[name],
    pointer: (name) => template.propertyPointer(resource, name),
  };
}

function launchTemplateSource(template: Template, resource: ResourceInfo): SettingsSource {
  const raw = resource.properties.LaunchTemplateData;
  // Members are evaluated one by one (messages name "LaunchTemplateData.ImageId"), unless the whole data is an intrinsic.
  const data = isObject(raw) && intrinsicKey(raw) === undefined ? undefined : template.prop(resource, "LaunchTemplateData");
  return {
    get: (name) =>
      data
        ? template.member(data, name)
        : template.evaluator.evaluate((raw as Record<string, Json>)[name], template.propertyPointer(resource, "LaunchTemplateData", name), {
            label: `LaunchTemplateData.${name}`,
          }),
    raw: (name) => (isObject(raw) ? raw[name] : undefined),
    pointer: (name) => template.propertyPointer(resource, "LaunchTemplateData", name),
  };
}

// ---------------------------------------------------------------- single settings

export function imageSource(template: Template, ev: Evaluated, pointer: string): Value<ImageSource> {
  const origin = template.origin(ev.at ?? pointer);
  if (ev.kind === "scalar" && typeof ev.value === "string") {
    const text = ev.value.trim();
    const ssm = /^(?:\{\{)?resolve:ssm:([^}]+?)(?::\d+)?(?:\}\})?$/.exec(text);
    if (ssm) return known({ kind: "ssm-parameter", name: ssm[1]! }, origin);
    if (text.startsWith("/")) return known({ kind: "ssm-parameter", name: text }, origin);
    if (/^ami-[0-9a-f]+$/i.test(text))
      return known(ev.mapping ? { kind: "ami-id", id: text, mapping: ev.mapping } : { kind: "ami-id", id: text }, origin);
    return unknown("unresolved", `ImageId is '${text}', which is not an AMI id`, undefined, origin);
  }
  if (ev.kind === "unknown" && ev.extra?.ssmParameter) return known({ kind: "ssm-parameter", name: ev.extra.ssmParameter }, origin);
  if (ev.kind === "unknown" && ev.extra?.mapping) {
    // Mappings often carry the AMI name beside the ids (an "AMI" row): it tells the family, so keep it in the description.
    const { description, candidates } = ev.extra.mapping;
    const ids = candidates.filter((c) => /^ami-[0-9a-f]+$/i.test(c));
    const names = candidates.filter((c) => !ids.includes(c));
    return known(
      { kind: "mapping", description: names.length > 0 ? `${description}: ${names.join(", ")}` : description, candidates: ids },
      origin,
    );
  }
  return template.unknownFrom(ev, "ImageId", pointer);
}

/** User data text: Fn::Base64 of a (Sub) string, unknown parts kept as placeholders; a literal is base64. */
function userDataOf(template: Template, raw: Json | undefined, pointer: string): Value<string | null> | undefined {
  if (raw === undefined) return undefined;
  const ev = template.evaluator.evaluate(raw, pointer, { label: "UserData", lenient: true });
  if (ev.kind === "none") return undefined;
  if (ev.kind !== "scalar") return template.unknownFrom(ev, "UserData", pointer);
  const text = ev.value === null ? "" : String(ev.value);
  const origin = template.origin(pointer);
  if (intrinsicKey(raw) === "Fn::Base64") return known(text, origin);
  const compact = text.replace(/\s+/g, "");
  if (compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return known(Buffer.from(compact, "base64").toString("utf8"), origin);
  }
  return known(text, origin);
}

function securityGroupsOf(template: Template, source: SettingsSource, idsName: string, namesName: string): ValueList<Ref> | undefined {
  const lists: ValueList<Ref>[] = [];
  for (const name of [idsName, namesName]) {
    const ev = source.get(name);
    if (ev.kind === "none") continue;
    // SecurityGroups holds names; a Ref to a group of the template (default VPC) is still that group.
    lists.push(template.refList(ev, name, source.pointer(name), [ResourceType.securityGroup], "a security group"));
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

function profileOf(template: Template, ev: Evaluated, pointer: string): Value<Ref | null> {
  return template.ref(ev, "IamInstanceProfile", pointer, [ResourceType.instanceProfile], "an instance profile");
}

function metadataOf(template: Template, source: SettingsSource, settings: LaunchSettings): void {
  const options = source.get("MetadataOptions");
  if (options.kind === "none") return;
  const pointer = source.pointer("MetadataOptions");
  settings.metadataOrigin = template.origin(pointer);
  const pick = <V extends string>(name: string, allowed: readonly V[]): Value<V> | undefined => {
    const ev = template.member(options, name);
    if (ev.kind === "none") return undefined;
    const value = template.str(ev, name, `${pointer}/${name}`);
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
function primaryInterface(template: Template, source: SettingsSource, settings: LaunchSettings): void {
  const interfaces = source.get("NetworkInterfaces");
  if (interfaces.kind === "none") return;
  const pointer = source.pointer("NetworkInterfaces");
  if (interfaces.kind !== "list") {
    const reason = template.unknownFrom(interfaces, "NetworkInterfaces", pointer);
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
    return;
  }
  const primary =
    interfaces.items.find((item) => {
      const index = template.member(item, "DeviceIndex");
      return index.kind === "scalar" && Number(index.value) === 0;
    }) ?? interfaces.items[0];
  if (!primary) return;
  if (primary.kind === "unknown") {
    const reason = template.unknownFrom(primary, "NetworkInterfaces[0]", pointer);
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
    return;
  }
  const at = primary.at ?? pointer;
  let subnet = template.member(primary, "SubnetId");
  // AWS::EC2::Instance interfaces say GroupSet; launch template interfaces say Groups.
  const groupsName = template.member(primary, "GroupSet").kind !== "none" ? "GroupSet" : "Groups";
  let groups = template.member(primary, groupsName);
  let privateIp = template.member(primary, "PrivateIpAddress");
  const interfaceId = template.member(primary, "NetworkInterfaceId");
  if (interfaceId.kind === "ref" && interfaceId.type === ResourceType.networkInterface) {
    const eni = template.resources.get(interfaceId.id);
    if (eni) {
      if (subnet.kind === "none") subnet = template.prop(eni, "SubnetId");
      if (groups.kind === "none") groups = template.prop(eni, "GroupSet");
      if (privateIp.kind === "none") privateIp = template.prop(eni, "PrivateIpAddress");
    }
  } else if (interfaceId.kind !== "none" && subnet.kind === "none") {
    const outside = template.ref(
      interfaceId,
      "NetworkInterfaceId",
      `${at}/NetworkInterfaceId`,
      [ResourceType.networkInterface],
      "a network interface",
    );
    const reason =
      outside.kind === "unknown"
        ? outside
        : unknown("outside", "the network interface is not in this template", undefined, template.origin(at));
    settings.subnets ??= reason;
    settings.securityGroups ??= reason;
  }
  if (subnet.kind !== "none")
    settings.subnets ??= known(
      [template.ref(subnet, "SubnetId", `${at}/SubnetId`, [ResourceType.subnet], "a subnet")],
      template.origin(at),
    );
  if (groups.kind !== "none")
    settings.securityGroups ??= template.refList(
      groups,
      groupsName,
      `${at}/${groupsName}`,
      [ResourceType.securityGroup],
      "a security group",
    );
  if (privateIp.kind !== "none") settings.privateIp ??= template.str(privateIp, "PrivateIpAddress", `${at}/PrivateIpAddress`);
  const publicIp = template.member(primary, "AssociatePublicIpAddress");
  if (publicIp.kind !== "none")
    settings.associatePublicIp ??= template.bool(publicIp, "AssociatePublicIpAddress", `${at}/AssociatePublicIpAddress`);
}

// ---------------------------------------------------------------- settings per resource kind

/** ImageId and UserData, where every kind of launch settings has them. */
function imageAndUserData(template: Template, source: SettingsSource, settings: LaunchSettings): void {
  const image = source.get("ImageId");
  if (image.kind !== "none") settings.image = imageSource(template, image, source.pointer("ImageId"));
  const userData = userDataOf(template, source.raw("UserData"), source.pointer("UserData"));
  if (userData) settings.userData = userData;
}

function instanceSettings(template: Template, resource: ResourceInfo): LaunchSettings {
  const source = propertySource(template, resource);
  const settings: LaunchSettings = {};
  imageAndUserData(template, source, settings);
  const subnet = source.get("SubnetId");
  if (subnet.kind !== "none")
    settings.subnets = known(
      [template.ref(subnet, "SubnetId", source.pointer("SubnetId"), [ResourceType.subnet], "a subnet")],
      template.origin(source.pointer("SubnetId")),
    );
  const groups = securityGroupsOf(template, source, "SecurityGroupIds", "SecurityGroups");
  if (groups) settings.securityGroups = groups;
  const privateIp = source.get("PrivateIpAddress");
  if (privateIp.kind !== "none") settings.privateIp = template.str(privateIp, "PrivateIpAddress", source.pointer("PrivateIpAddress"));
  primaryInterface(template, source, settings);
  const profile = source.get("IamInstanceProfile");
  if (profile.kind !== "none") settings.instanceProfile = profileOf(template, profile, source.pointer("IamInstanceProfile"));
  metadataOf(template, source, settings);
  return settings;
}

function launchTemplateSettings(template: Template, resource: ResourceInfo): LaunchSettings {
  const source = launchTemplateSource(template, resource);
  const settings: LaunchSettings = {};
  imageAndUserData(template, source, settings);
  const groups = securityGroupsOf(template, source, "SecurityGroupIds", "SecurityGroups");
  if (groups) settings.securityGroups = groups;
  primaryInterface(template, source, settings);
  const profile = source.get("IamInstanceProfile");
  if (profile.kind !== "none") {
    const pointer = source.pointer("IamInstanceProfile");
    const arn = template.member(profile, "Arn");
    const name = template.member(profile, "Name");
    if (profile.kind === "unknown") settings.instanceProfile = template.unknownFrom(profile, "IamInstanceProfile", pointer);
    else if (arn.kind !== "none") settings.instanceProfile = profileOf(template, arn, `${pointer}/Arn`);
    else if (name.kind !== "none") settings.instanceProfile = profileOf(template, name, `${pointer}/Name`);
  }
  metadataOf(template, source, settings);
  return settings;
}

function launchConfigurationSettings(template: Template, resource: ResourceInfo): LaunchSettings {
  const source = propertySource(template, resource);
  const settings: LaunchSettings = {};
  imageAndUserData(template, source, settings);
  const groups = securityGroupsOf(template, source, "SecurityGroups", "ClassicLinkVPCSecurityGroups");
  if (groups) settings.securityGroups = groups;
  const publicIp = source.get("AssociatePublicIpAddress");
  if (publicIp.kind !== "none")
    settings.associatePublicIp = template.bool(publicIp, "AssociatePublicIpAddress", source.pointer("AssociatePublicIpAddress"));
  const profile = source.get("IamInstanceProfile");
  if (profile.kind !== "none") settings.instanceProfile = profileOf(template, profile, source.pointer("IamInstanceProfile"));
  metadataOf(template, source, settings);
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

  constructor(private readonly template: Template) {
    for (const resource of template.ofType(ResourceType.launchTemplate)) {
      const name = template.prop(resource, "LaunchTemplateName");
      if (name.kind === "scalar" && name.value !== null) this.byName.set(String(name.value), resource);
    }
  }

  settingsOf(resource: ResourceInfo): LaunchSettings {
    let settings = this.cache.get(resource.id);
    if (!settings) {
      settings =
        resource.type === ResourceType.launchTemplate
          ? launchTemplateSettings(this.template, resource)
          : launchConfigurationSettings(this.template, resource);
      this.cache.set(resource.id, settings);
    }
    return settings;
  }

  /** A LaunchTemplate specification {LaunchTemplateId | LaunchTemplateName | Id | Name, Version}. */
  launchTemplate(spec: Evaluated, pointer: string): LaunchSource {
    const template = this.template;
    if (spec.kind === "unknown") return { settings: unknownLaunchSettings(template.unknownFrom(spec, "LaunchTemplate", pointer)) };
    const id = [template.member(spec, "LaunchTemplateId"), template.member(spec, "Id")].find((ev) => ev.kind !== "none");
    const name = [template.member(spec, "LaunchTemplateName"), template.member(spec, "Name")].find((ev) => ev.kind !== "none");
    const ev = id ?? name ?? { kind: "none" as const };
    let resource: ResourceInfo | undefined;
    if (ev.kind === "ref" && ev.type === ResourceType.launchTemplate) resource = template.resources.get(ev.id);
    else if (ev.kind === "scalar" && ev.value !== null) resource = this.byName.get(String(ev.value));
    if (resource) {
      this.used.add(resource.id);
      return { resource, settings: this.settingsOf(resource) };
    }
    const reason =
      ev.kind === "scalar"
        ? unknown(
            "outside",
            `the launch template ${String(ev.value)} is not in this template`,
            undefined,
            template.origin(ev.at ?? pointer),
          )
        : ev.kind === "none"
          ? unknown("unresolved", "the launch template specification names no template", undefined, template.origin(pointer))
          : template.unknownFrom(ev, "LaunchTemplate", pointer);
    return { settings: unknownLaunchSettings(reason) };
  }

  launchConfiguration(ev: Evaluated, pointer: string): LaunchSource {
    if (ev.kind === "ref" && ev.type === ResourceType.launchConfiguration) {
      const resource = this.template.resources.get(ev.id);
      if (resource) {
        this.used.add(resource.id);
        return { resource, settings: this.settingsOf(resource) };
      }
    }
    return {
      settings: unknownLaunchSettings(
        this.template.ref(ev, "LaunchConfigurationName", pointer, [ResourceType.launchConfiguration], "a launch configuration") as Unknown,
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
  template: Template;
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
  const { template, resource, settings } = input;
  const origin = template.origin(resource.pointer);
  return {
    ...template.base(resource),
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

/** Instances (and network interfaces) that an Elastic IP is associated with: they have a public address. */
function elasticIps(template: Template): Map<Ref, Origin> {
  const out = new Map<Ref, Origin>();
  const interfaces = new Map<Ref, Origin>();
  for (const type of [ResourceType.eip, ResourceType.eipAssociation]) {
    for (const resource of template.ofType(type)) {
      if (resource.conditional) continue;
      const instance = template.prop(resource, "InstanceId");
      if (instance.kind === "ref" && instance.type === ResourceType.instance) out.set(instance.id, template.origin(resource.pointer));
      const eni = template.prop(resource, "NetworkInterfaceId");
      if (eni.kind === "ref" && eni.type === ResourceType.networkInterface) interfaces.set(eni.id, template.origin(resource.pointer));
    }
  }
  if (interfaces.size === 0) return out;
  // An EIP on the primary interface an instance is launched with.
  for (const resource of template.ofType(ResourceType.instance)) {
    const list = template.prop(resource, "NetworkInterfaces");
    if (list.kind !== "list") continue;
    for (const item of list.items) {
      const index = template.member(item, "DeviceIndex");
      if (index.kind === "scalar" && String(index.value) !== "0") continue;
      const id = template.member(item, "NetworkInterfaceId");
      const origin = id.kind === "ref" ? interfaces.get(id.id) : undefined;
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

/** Instances, Auto Scaling groups, EKS node groups, then the launch templates and configurations nothing launches. */
export function buildInstances(template: Template, world: World): void {
  const sources = new LaunchSources(template);
  buildEc2Instances(template, world, sources);
  buildAutoScalingGroups(template, world, sources);
  buildNodeGroups(template, world, sources);
  buildUnlaunchedSettings(template, world, sources);
}

function launchOriginOf(template: Template, launched: LaunchSource | undefined): { launchOrigin?: Origin } {
  return launched?.resource ? { launchOrigin: template.origin(launched.resource.pointer) } : {};
}

function buildEc2Instances(template: Template, world: World, sources: LaunchSources): void {
  const eips = elasticIps(template);
  for (const resource of template.ofType(ResourceType.instance)) {
    const origin = template.origin(resource.pointer);
    const own = instanceSettings(template, resource);
    const spec = template.prop(resource, "LaunchTemplate");
    const launched = spec.kind !== "none" ? sources.launchTemplate(spec, template.propertyPointer(resource, "LaunchTemplate")) : undefined;
    const settings = mergeLaunchSettings(own, launched?.settings);
    const eip = eips.get(resource.id);
    if (eip) settings.associatePublicIp = known(true, eip);
    const subnets =
      settings.subnets ??
      unknown("outside", "no SubnetId: the instance launches in the default VPC, which is not in this template", undefined, origin);
    world.instances.set(
      resource.id,
      instanceElement({
        template,
        resource,
        computeKind: "instance",
        settings,
        subnets,
        ...launchOriginOf(template, launched),
        missingGroups: () => vpcDefaultGroup(world, subnets, origin),
      }),
    );
  }
}

function buildAutoScalingGroups(template: Template, world: World, sources: LaunchSources): void {
  for (const resource of template.ofType(ResourceType.autoScalingGroup)) {
    const origin = template.origin(resource.pointer);
    const launched = groupLaunchSource(template, resource, sources);
    const settings =
      launched?.settings ??
      unknownLaunchSettings(unknown("unresolved", "the group names no launch template or configuration", undefined, origin));
    const zones = template.prop(resource, "VPCZoneIdentifier");
    const subnets =
      zones.kind === "none"
        ? unknown(
            "outside",
            "no VPCZoneIdentifier: the group launches in the default VPC, which is not in this template",
            undefined,
            origin,
          )
        : template.refList(
            zones,
            "VPCZoneIdentifier",
            template.propertyPointer(resource, "VPCZoneIdentifier"),
            [ResourceType.subnet],
            "a subnet",
          );
    world.instances.set(
      resource.id,
      instanceElement({
        template,
        resource,
        computeKind: "auto-scaling-group",
        settings,
        subnets,
        ...launchOriginOf(template, launched),
        missingGroups: () => vpcDefaultGroup(world, subnets, origin),
      }),
    );
  }
}

/** What an Auto Scaling group launches from: a launch template (plain or in a mixed instances policy), a launch configuration, or an instance. */
function groupLaunchSource(template: Template, resource: ResourceInfo, sources: LaunchSources): LaunchSource | undefined {
  const pointer = (name: string) => template.propertyPointer(resource, name);
  const launchTemplateSpec = template.prop(resource, "LaunchTemplate");
  const mixed = template.member(
    template.member(template.prop(resource, "MixedInstancesPolicy"), "LaunchTemplate"),
    "LaunchTemplateSpecification",
  );
  const configuration = template.prop(resource, "LaunchConfigurationName");
  if (launchTemplateSpec.kind !== "none") return sources.launchTemplate(launchTemplateSpec, pointer("LaunchTemplate"));
  if (mixed.kind !== "none") return sources.launchTemplate(mixed, pointer("MixedInstancesPolicy"));
  if (configuration.kind !== "none") return sources.launchConfiguration(configuration, pointer("LaunchConfigurationName"));
  if (template.prop(resource, "InstanceId").kind !== "none") {
    return {
      settings: unknownLaunchSettings(
        unknown(
          "unsupported",
          "the group copies its launch settings from an instance (InstanceId)",
          undefined,
          template.origin(resource.pointer),
        ),
      ),
    };
  }
  return undefined;
}

function buildNodeGroups(template: Template, world: World, sources: LaunchSources): void {
  for (const resource of template.ofType(ResourceType.nodegroup)) {
    const origin = template.origin(resource.pointer);
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const spec = template.prop(resource, "LaunchTemplate");
    const launched = spec.kind !== "none" ? sources.launchTemplate(spec, pointer("LaunchTemplate")) : undefined;
    const profileKey = nodeGroupProfile(template, world, resource);
    const subnets = template.refList(template.prop(resource, "Subnets"), "Subnets", pointer("Subnets"), [ResourceType.subnet], "a subnet");
    world.instances.set(
      resource.id,
      instanceElement({
        template,
        resource,
        computeKind: "node-group",
        settings: launched?.settings ?? {},
        subnets,
        ...launchOriginOf(template, launched),
        instanceProfile: known(profileKey, origin),
        missingGroups: () =>
          unknown("computed", "no launch template security groups: EKS attaches the cluster security group", undefined, origin),
        defaultImage: () => nodeGroupImage(template, resource),
      }),
    );
  }
}

/** EKS makes an instance profile for the node role; it is modelled so the IAM rules can follow it. Returns its key. */
function nodeGroupProfile(template: Template, world: World, resource: ResourceInfo): Ref {
  const profileKey = `${resource.id}#profile`;
  const pointer = template.propertyPointer(resource, "NodeRole");
  const role = template.prop(resource, "NodeRole");
  const profile: InstanceProfile = {
    key: profileKey,
    name: `instance profile EKS creates for ${resource.id}`,
    origin: template.origin(resource.pointer),
    ...(resource.conditional ? { conditional: resource.conditional } : {}),
    roles: known([template.ref(role, "NodeRole", pointer, [ResourceType.role], "an IAM role")], template.origin(pointer)),
  };
  world.instanceProfiles.set(profileKey, profile);
  return profileKey;
}

/** A node group without a launch template image runs the EKS optimized AMI its AmiType names. */
function nodeGroupImage(template: Template, resource: ResourceInfo): Value<ImageSource> {
  const amiType = template.prop(resource, "AmiType");
  const pointer = template.propertyPointer(resource, "AmiType");
  const type = amiType.kind === "none" ? "AL2_x86_64" : amiType.kind === "scalar" ? String(amiType.value) : undefined;
  if (type === undefined) return template.unknownFrom(amiType, "AmiType", pointer);
  const description = AMI_TYPES[type];
  if (!description) return unknown("unsupported", `AmiType ${type} is not recognised`, undefined, template.origin(pointer));
  return amiType.kind === "none"
    ? defaulted({ kind: "described", description })
    : known({ kind: "described", description }, template.origin(pointer));
}

/** Launch templates and configurations nothing here launches: check what they would launch. */
function buildUnlaunchedSettings(template: Template, world: World, sources: LaunchSources): void {
  for (const type of [ResourceType.launchTemplate, ResourceType.launchConfiguration] as const) {
    for (const resource of template.ofType(type)) {
      if (sources.used.has(resource.id)) continue;
      const origin = template.origin(resource.pointer);
      const settings = sources.settingsOf(resource);
      const outside = unknown("outside", OUTSIDE_LAUNCHER, undefined, origin);
      world.instances.set(
        resource.id,
        instanceElement({
          template,
          resource,
          computeKind: type === ResourceType.launchTemplate ? "launch-template" : "launch-configuration",
          settings,
          subnets: settings.subnets ?? outside,
          launchOrigin: origin,
          missingGroups: () => (settings.subnets ? vpcDefaultGroup(world, settings.subnets, origin) : outside),
        }),
      );
    }
  }
}
