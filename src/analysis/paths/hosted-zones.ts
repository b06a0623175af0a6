/** Private hosted zones named `<svc>.<region>.amazonaws.com` that take a service's name over for a VPC. */
import { type HostedZone, isKnown, knownValue, type Ref, type UnknownReason, type World } from "../../model/index.js";
import type { ServiceId } from "../services.js";
import { type Check, pass } from "../verdict.js";
import { membership } from "./hops.js";

interface ZoneMatch {
  check: Check;
  zone: Ref;
  owner?: string;
}

/** A private hosted zone named `<svc>.<region>.amazonaws.com` associated with the VPC: it takes the service's name over. */
export function hostedZoneOf(world: World, vpc: Ref, service: ServiceId): ZoneMatch | undefined {
  const region = knownValue(world.assumptions.region);
  for (const zone of world.hostedZones.values()) {
    const name = knownValue(zone.zoneName);
    if (!name) continue;
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name);
    if (!m || m[1] !== service) continue;
    if (region && m[2] !== region) continue;
    if (associatedWith(zone, vpc)) {
      const check = pass([{ code: "hosted-zone", args: { zone: zone.name, name }, origin: zone.origin }]);
      return zone.ownerAccount ? { check, zone: zone.key, owner: zone.ownerAccount } : { check, zone: zone.key };
    }
  }
  return undefined;
}

/** The hosted zone check for a service in a VPC, when a private hosted zone takes its name over. */
export function hostedZoneFor(world: World, vpc: Ref, service: ServiceId): Check | undefined {
  return hostedZoneOf(world, vpc, service)?.check;
}

/**
 * Private hosted zones associated with the VPC whose name is not known (live: the zones could not be listed),
 * or zones of the service's name whose VPCs, or one of them, are not known: each may take the service's name over.
 */
export function undecidedHostedZones(world: World, vpc: Ref, service: ServiceId): UnknownReason[] {
  const region = knownValue(world.assumptions.region);
  const out: UnknownReason[] = [];
  for (const zone of world.hostedZones.values()) {
    const vpcs = zone.vpcs;
    const name = zone.zoneName;
    if (!isKnown(name)) {
      if (associatedWith(zone, vpc)) out.push(name.reason);
      continue;
    }
    if (parentOfServiceName(name.value, region)) {
      // A zone of a parent domain answers every name under it for its VPCs, NXDOMAIN for a name it has no record
      // of: the service's name then resolves (or not) as that zone says, which the input does not show.
      if (associatedWith(zone, vpc))
        out.push({
          code: "outside",
          message: `${zone.name} is associated with this VPC and answers every name under ${name.value}, ${service}.${region ?? "<region>"}.amazonaws.com included (NXDOMAIN without a record of it)`,
          decide: `check that zone's record for ${service}.${region ?? "<region>"}.amazonaws.com, or leave the parent domain to the VPC resolver`,
        });
      continue;
    }
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name.value);
    if (!m || m[1] !== service || (region && m[2] !== region)) continue;
    if (!isKnown(vpcs)) {
      out.push(vpcs.reason);
      continue;
    }
    // A VPC of the zone that is not known may be this one (unless a known one already is: hostedZoneOf answers).
    if (associatedWith(zone, vpc)) continue;
    for (const v of vpcs.value) if (!isKnown(v)) out.push(v.reason);
  }
  return out;
}

/**
 * Whether a zone name is a parent domain of the services' names: amazonaws.com, or <region>.amazonaws.com when the
 * region is known (without it, <x>.amazonaws.com may as well be a global service's own name).
 */
function parentOfServiceName(name: string, region: string | undefined): boolean {
  return name === "amazonaws.com" || (region !== undefined && name === `${region}.amazonaws.com`);
}

/** Whether the zone is known to be associated with the VPC. */
function associatedWith(zone: HostedZone, vpc: Ref): boolean {
  return membership(zone.vpcs, vpc) === "yes";
}
