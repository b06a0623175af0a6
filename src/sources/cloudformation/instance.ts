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
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
  type World,
} from "../../model/index.js";
import { nodeGroupImage } from "./image.js";
import { instanceSettings, type LaunchSource, LaunchSources } from "./launch-settings.js";
import type { Template } from "./template.js";
import { type ResourceInfo, ResourceType } from "./types.js";

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
    // Instance types whose override names a launch template of its own launch from it: those instances are an element
    // of their own, in the group's subnets, named after the group and the template.
    for (const override of overrideLaunchSources(template, resource, sources, launched)) {
      const element = instanceElement({
        template,
        resource,
        computeKind: "auto-scaling-group",
        settings: override.source.settings,
        subnets,
        launchOrigin: override.source.resource ? template.origin(override.source.resource.pointer) : template.origin(override.pointer),
        missingGroups: () => vpcDefaultGroup(world, subnets, origin),
      });
      const key = `${resource.id} (${override.label})`;
      world.instances.set(key, { ...element, key, name: key });
    }
  }
}

/**
 * The launch templates a mixed instances policy's overrides name for some instance types, other than the group's own
 * (AWS::AutoScaling::AutoScalingGroup LaunchTemplateOverrides.LaunchTemplateSpecification: "Provides a launch template
 * for the specified instance type"). One each, labelled by the template, or by the override when it is not here.
 */
function overrideLaunchSources(
  template: Template,
  resource: ResourceInfo,
  sources: LaunchSources,
  main: LaunchSource | undefined,
): { source: LaunchSource; pointer: string; label: string }[] {
  const policy = template.prop(resource, "MixedInstancesPolicy");
  const overrides = template.member(template.member(policy, "LaunchTemplate"), "Overrides");
  if (overrides.kind !== "list") return [];
  const base = `${template.propertyPointer(resource, "MixedInstancesPolicy")}/LaunchTemplate/Overrides`;
  const seen = new Set<string>(main?.resource ? [main.resource.id] : []);
  const out: { source: LaunchSource; pointer: string; label: string }[] = [];
  overrides.items.forEach((item, i) => {
    const spec = template.member(item, "LaunchTemplateSpecification");
    if (spec.kind === "none") return;
    const pointer = `${base}/${i}/LaunchTemplateSpecification`;
    const source = sources.launchTemplate(spec, pointer);
    const label = source.resource ? source.resource.id : `override ${i + 1}`;
    if (seen.has(label)) return;
    seen.add(label);
    out.push({ source, pointer, label });
  });
  return out;
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
