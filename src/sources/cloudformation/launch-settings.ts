/**
 * What an AWS::EC2::Instance, a launch template or a launch configuration says about the instances it
 * launches: image, user data, subnet, security groups, public IP, instance profile and metadata options.
 * Launch templates and configurations are read once, and the ones something launches are remembered.
 */

import {
  known,
  type LaunchSettings,
  type Ref,
  type Unknown,
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
} from "../../model/index.js";
import { decodeBase64UserData } from "../common/user-data.js";
import { intrinsicKey } from "./evaluate.js";
import { imageSource } from "./image.js";
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

/** User data text: Fn::Base64 of a (Sub) string, unknown parts kept as placeholders; a literal is base64. */
function userDataOf(template: Template, raw: Json | undefined, pointer: string): Value<string | null> | undefined {
  if (raw === undefined) return undefined;
  const ev = template.evaluator.evaluate(raw, pointer, { label: "UserData", lenient: true });
  if (ev.kind === "none") return undefined;
  if (ev.kind !== "scalar") return template.unknownFrom(ev, "UserData", pointer);
  const text = ev.value === null ? "" : String(ev.value);
  const origin = template.origin(pointer);
  if (intrinsicKey(raw) === "Fn::Base64") return known(text, origin);
  const decoded = decodeBase64UserData(text);
  if (!decoded) return known(text, origin);
  if ("text" in decoded) return known(decoded.text, origin);
  return unknown("unsupported", `UserData is ${decoded.unreadable}, which ssm-doctor cannot read`, undefined, origin);
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
  else if (interfaceId.kind !== "none" || interfaces.items.length > 1)
    settings.associatePublicIp ??= noAutoAssignedAddress(template, interfaceId, at, pointer);
}

/**
 * EC2 assigns a public IPv4 address at launch only to a new primary interface, never to an existing one (EC2 API,
 * InstanceNetworkInterfaceSpecification.AssociatePublicIpAddress): then only an Elastic IP gives one, and those of
 * this template are read with the instances, while an existing interface from outside may carry one of its own. With
 * several new interfaces the API refuses AssociatePublicIpAddress, and whether the subnet's automatic address is
 * given is not documented: not known.
 */
function noAutoAssignedAddress(template: Template, interfaceId: Evaluated, at: string, pointer: string): Value<boolean | null> {
  if (interfaceId.kind === "none")
    return unknown(
      "unsupported",
      "the instance is launched with several network interfaces: whether EC2 gives its primary one the subnet's automatic public address then is not documented (the API refuses AssociatePublicIpAddress with more than one)",
      "give the instance an Elastic IP, or reach the services through interface endpoints or a NAT gateway",
      template.origin(pointer),
    );
  const origin = template.origin(`${at}/NetworkInterfaceId`);
  if (interfaceId.kind === "ref" && interfaceId.type === ResourceType.networkInterface) return known(false, origin);
  return unknown(
    "outside",
    "the instance is launched with an existing network interface from outside this template: it gets a public address only from an Elastic IP on that interface",
    "describe the network interface in the template, or check its Elastic IP",
    origin,
  );
}

// ---------------------------------------------------------------- settings per resource kind

/** ImageId and UserData, where every kind of launch settings has them. */
function imageAndUserData(template: Template, source: SettingsSource, settings: LaunchSettings): void {
  const image = source.get("ImageId");
  if (image.kind !== "none") settings.image = imageSource(template, image, source.pointer("ImageId"));
  const userData = userDataOf(template, source.raw("UserData"), source.pointer("UserData"));
  if (userData) settings.userData = userData;
}

export function instanceSettings(template: Template, resource: ResourceInfo): LaunchSettings {
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

export interface LaunchSource {
  resource?: ResourceInfo;
  settings: LaunchSettings;
}

export class LaunchSources {
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
