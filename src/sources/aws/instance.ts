/** The selected instances: placement, metadata options, instance profile, and registration with Systems Manager. */
import type * as EC2 from "@aws-sdk/client-ec2";
import { type AgentStatus, type Instance, known, type OperatingSystem, unknown, type Value, type World } from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope, named } from "./values.js";

export function buildInstances(world: World, reads: AccountReads, scope: LiveScope): void {
  // The first association listed for each instance, found by id (a search per instance is quadratic in the fleet).
  const associations = new Map<string, EC2.IamInstanceProfileAssociation>();
  for (const a of reads.associations?.ok ? reads.associations.value : [])
    if (a.InstanceId !== undefined && !associations.has(a.InstanceId)) associations.set(a.InstanceId, a);
  for (const i of reads.instances) {
    const id = i.InstanceId!;
    const association = associations.get(id);
    if (!i.IamInstanceProfile?.Arn && association && association.State !== "disassociated")
      world.notes.push({
        level: "info",
        code: "profile-association",
        message: `${id}: the instance profile ${association.IamInstanceProfile?.Arn ?? ""} is ${association.State}`,
      });
    world.instances.set(id, buildInstance(i, reads, scope));
  }
}

function buildInstance(i: EC2.Instance, reads: AccountReads, { origin, ec2Arn }: LiveScope): Instance {
  const id = i.InstanceId!;
  const groups = i.SecurityGroups ?? [];
  return {
    key: id,
    name: named(id, i.Tags),
    origin: origin(id, ec2Arn("instance", id)),
    computeKind: "instance",
    image: unknown("outside", `check does not read the image of ${id}; the agent's registration decides`),
    userData: unknown("outside", "check does not read user data"),
    subnets: i.SubnetId ? known([known(i.SubnetId)]) : unknown("outside", `${id} is in no subnet`),
    securityGroups: reads.securityGroups.ok ? known(groups.map((g) => known(g.GroupId!))) : failed(reads.securityGroups.failure),
    associatePublicIp: known(Boolean(i.PublicIpAddress)),
    ...(i.PrivateIpAddress ? { privateIp: known(i.PrivateIpAddress) } : {}),
    instanceProfile: known(i.IamInstanceProfile?.Arn ?? null),
    metadata: {
      httpEndpoint: known(i.MetadataOptions?.HttpEndpoint === "disabled" ? "disabled" : "enabled"),
      httpTokens: known(i.MetadataOptions?.HttpTokens === "required" ? "required" : "optional"),
    },
    ...operatingSystemOf(i),
    agent: agentStatus(reads, id),
    state: known(i.State?.Name ?? "unknown"),
  };
}

/**
 * What the instance runs, as EC2 describes it: Mac instance types run macOS, Platform "windows" (or a PlatformDetails
 * naming Windows) Windows, and any other PlatformDetails ("Linux/UNIX", "Red Hat Enterprise Linux", …) Linux.
 */
function operatingSystemOf(i: EC2.Instance): { operatingSystem?: Value<OperatingSystem> } {
  if (i.InstanceType?.startsWith("mac")) return { operatingSystem: known("macOS") };
  if (/windows/i.test(`${i.Platform ?? ""} ${i.PlatformDetails ?? ""}`)) return { operatingSystem: known("Windows") };
  return i.PlatformDetails ? { operatingSystem: known("Linux") } : {};
}

function agentStatus(reads: AccountReads, id: string): AgentStatus {
  if (!reads.agents.ok) {
    const why = failed(reads.agents.failure);
    return { registered: why, pingStatus: why, agentVersion: why };
  }
  const info = reads.agents.value.get(id);
  if (!info) {
    const never = unknown("outside", `${id} is not registered with Systems Manager`);
    return { registered: known(false), pingStatus: known("NotRegistered"), agentVersion: never };
  }
  const platform = [info.PlatformName, info.PlatformVersion].filter(Boolean).join(" ");
  return {
    registered: known(true),
    pingStatus: known(info.PingStatus ?? "Unknown"),
    agentVersion: info.AgentVersion ? known(info.AgentVersion) : unknown("outside", "the agent reported no version"),
    ...(info.LastPingDateTime ? { lastPing: known(new Date(info.LastPingDateTime).toISOString()) } : {}),
    ...(platform ? { platform: known(platform) } : {}),
  };
}
