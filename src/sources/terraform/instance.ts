/**
 * Instances of a plan → World.instances: aws_instance, aws_autoscaling_group (with its launch template
 * or launch configuration), and launch templates / configurations nothing in the plan launches.
 */
import {
  defaulted,
  defaultSecurityGroupKey,
  type Instance,
  isKnown,
  known,
  mergeLaunchSettings,
  type Origin,
  type Ref,
  unknown,
  unknownLaunchSettings,
  type Value,
  type ValueList,
  type World,
} from "../../model/index.js";
import { ELEMENT } from "./element-kinds.js";
import { instanceSettings, type LaunchSettings, LaunchSources, primaryInterfaceOf } from "./launch-settings.js";
import type { TfResource } from "./plan-index.js";
import type { Reader } from "./reader.js";

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
  reader: Reader,
  world: World,
  resource: TfResource,
  computeKind: Instance["computeKind"],
  settings: LaunchSettings,
  subnets: ValueList<Ref>,
  launchOrigin: Origin | undefined,
): Instance {
  const origin = reader.origin(resource);
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
    ...reader.base(resource),
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

/**
 * Instances with an Elastic IP: aws_eip instance / aws_eip_association instance_id, or either on the network interface
 * an instance is launched with as its primary.
 */
function elasticIps(reader: Reader): Map<Ref, Origin> {
  const out = new Map<Ref, Origin>();
  const interfaces = new Map<Ref, Origin>();
  for (const [type, path, kind, into] of [
    ["aws_eip", ["instance"], ELEMENT.instance, out],
    ["aws_eip_association", ["instance_id"], ELEMENT.instance, out],
    ["aws_eip", ["network_interface"], ELEMENT.networkInterface, interfaces],
    ["aws_eip_association", ["network_interface_id"], ELEMENT.networkInterface, interfaces],
  ] as const) {
    for (const resource of reader.index.ofType(type)) {
      const target = reader.ref(resource, path, kind);
      if (target?.kind === "known") into.set(target.value, reader.origin(resource));
    }
  }
  if (interfaces.size === 0) return out;
  for (const resource of reader.index.ofType("aws_instance")) {
    const eni = primaryInterfaceOf(reader, resource);
    const origin = eni?.kind === "known" ? interfaces.get(eni.value) : undefined;
    const key = reader.keyOf(resource);
    if (origin && !out.has(key)) out.set(key, origin);
  }
  return out;
}

const DEFAULT_VPC = "the default VPC, which is not in this plan";

export function buildInstances(reader: Reader, world: World): void {
  const sources = new LaunchSources(reader);
  const eips = elasticIps(reader);

  for (const resource of reader.index.ofType("aws_instance")) {
    const key = reader.keyOf(resource);
    const own = instanceSettings(reader, resource);
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
        reader.origin(resource),
      );
    world.instances.set(
      key,
      element(reader, world, resource, "instance", settings, subnets, launched?.resource ? reader.origin(launched.resource) : undefined),
    );
  }

  for (const resource of reader.index.ofType("aws_autoscaling_group")) {
    const key = reader.keyOf(resource);
    const mixed = ["mixed_instances_policy", 0, "launch_template", 0, "launch_template_specification", 0] as const;
    const launched =
      sources.launchTemplate(resource, ["launch_template", 0, "id"], ["launch_template", 0, "name"]) ??
      sources.launchTemplate(resource, [...mixed, "launch_template_id"], [...mixed, "launch_template_name"]) ??
      sources.launchConfiguration(resource, ["launch_configuration"]);
    const settings =
      launched?.settings ??
      unknownLaunchSettings(
        unknown("unresolved", `${resource.address} names no launch template or configuration`, undefined, reader.origin(resource)),
      );
    const zones = reader.refList(resource, ["vpc_zone_identifier"], ELEMENT.subnet);
    const subnets =
      zones && !(zones.kind === "known" && zones.value.length === 0)
        ? zones
        : unknown(
            "outside",
            `${resource.address} sets no vpc_zone_identifier: it launches in ${DEFAULT_VPC}`,
            undefined,
            reader.origin(resource),
          );
    world.instances.set(
      key,
      element(
        reader,
        world,
        resource,
        "auto-scaling-group",
        settings,
        subnets,
        launched?.resource ? reader.origin(launched.resource) : undefined,
      ),
    );
    // Instance types whose override names a launch template of its own launch from it: an element of their own, in
    // the group's subnets, named after the group and the template.
    const seen = new Set<string>(launched?.resource ? [reader.keyOf(launched.resource)] : []);
    const overrides = reader.raw(resource, ["mixed_instances_policy", 0, "launch_template", 0, "override"]);
    const count = overrides.kind === "value" && Array.isArray(overrides.value) ? overrides.value.length : 0;
    for (let i = 0; i < count; i++) {
      const at = ["mixed_instances_policy", 0, "launch_template", 0, "override", i, "launch_template_specification", 0] as const;
      const source = sources.launchTemplate(resource, [...at, "launch_template_id"], [...at, "launch_template_name"]);
      if (!source) continue;
      const label = source.resource ? reader.keyOf(source.resource) : `override ${i + 1}`;
      if (seen.has(label)) continue;
      seen.add(label);
      const launchOrigin = source.resource ? reader.origin(source.resource) : reader.origin(resource, [...at]);
      const instance = element(reader, world, resource, "auto-scaling-group", source.settings, subnets, launchOrigin);
      const overrideKey = `${key} (${label})`;
      world.instances.set(overrideKey, { ...instance, key: overrideKey, name: `${resource.address} (${label})` });
    }
  }

  // Launch templates and configurations nothing here launches: check what they would launch.
  for (const type of ["aws_launch_template", "aws_launch_configuration"] as const) {
    for (const resource of reader.index.ofType(type)) {
      const key = reader.keyOf(resource);
      if (sources.used.has(key)) continue;
      const settings = sources.settingsOf(resource);
      const outside = unknown("outside", "launched by something outside this plan", undefined, reader.origin(resource));
      world.instances.set(
        key,
        element(
          reader,
          world,
          resource,
          type === "aws_launch_template" ? "launch-template" : "launch-configuration",
          settings,
          settings.subnets ?? outside,
          reader.origin(resource),
        ),
      );
    }
  }
}

/**
 * aws_ec2_instance_state: the power state the provider puts an instance in after creating it. A stopped instance
 * runs no agent. A resource that may name one of several instances leaves each of their states unknown.
 */
export function buildInstanceStates(reader: Reader, world: World): void {
  for (const resource of reader.index.ofType("aws_ec2_instance_state")) {
    const target = reader.ref(resource, ["instance_id"], ELEMENT.instance);
    if (!target) continue;
    const state = reader.str(resource, ["state"]);
    if (isKnown(state) && state.value === "running") continue;
    const keys = isKnown(target) ? [target.value] : (reader.configuredKeys(resource, ["instance_id"], ELEMENT.instance)?.keys ?? []);
    for (const key of keys) {
      const instance = world.instances.get(key);
      if (!instance) continue;
      const value: Value<string> = isKnown(target)
        ? state
        : unknown(
            "unresolved",
            `${resource.address} may put this instance in the state ${isKnown(state) ? state.value : "it sets"}: it names one of ${keys.join(", ")}, and the plan JSON does not say which`,
          );
      world.instances.set(key, { ...instance, state: value });
    }
  }
}
