/** An instance's placements: each subnet it may run in, with one path per required service. */
import {
  type HubDeclaration,
  type Instance,
  isKnown,
  known,
  knownValue,
  type OperatingSystem,
  type Ref,
  type Subnet,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { operatingSystemOf } from "../image.js";
import { instanceReplyPorts } from "../ports.js";
import type { ServiceId } from "../services.js";
import { undecided } from "../verdict.js";
import { hop, type InstanceSide, lookup, type Placement, type PolicyCheck, type ServicePath, verdictOf } from "./hops.js";
import { egressToAnywhereHop } from "./security-group-hops.js";
import { servicePath } from "./service-path.js";

/** One placement per subnet the instance may run in, each with the path to every service it needs. */
export function placementsOf(
  world: World,
  instance: Instance,
  services: ServiceId[],
  actionsOf: (s: ServiceId) => readonly string[],
  policyCheck: PolicyCheck,
  hubs: readonly HubDeclaration[] = [],
): Placement[] {
  const subnets = instance.subnets;
  if (!isKnown(subnets)) {
    return [{ subnet: subnets, paths: services.map((service) => unknownPath(world, instance, service, subnets.reason, instance.key)) }];
  }
  if (subnets.value.length === 0) {
    const reason: UnknownReason = { code: "outside", message: `${instance.name} names no subnet` };
    return [
      { subnet: unknown("outside", reason.message), paths: services.map((s) => unknownPath(world, instance, s, reason, instance.key)) },
    ];
  }
  const replyPorts = instanceReplyPorts(operatingSystemOfInstance(instance));
  return subnets.value.map((ref) => {
    const subnet = lookup(world.subnets, ref, "subnet");
    if (!isKnown(subnet)) return { subnet: ref, paths: services.map((s) => unknownPath(world, instance, s, subnet.reason, instance.key)) };
    const vpc = lookup(world.vpcs, subnet.value.vpc, "VPC");
    if (!isKnown(vpc)) return { subnet: ref, paths: services.map((s) => unknownPath(world, instance, s, vpc.reason, subnet.value.key)) };
    const ranges = instanceRanges(instance, subnet.value);
    const side: InstanceSide = { instance, subnet: subnet.value, vpc: vpc.value, ranges, replyPorts };
    return { subnet: ref, paths: services.map((s) => servicePath(world, side, s, actionsOf(s), policyCheck, hubs)) };
  });
}

/** The system the instance runs: as the account says (live), else as its image tells. */
function operatingSystemOfInstance(instance: Instance): OperatingSystem | undefined {
  if (instance.operatingSystem && isKnown(instance.operatingSystem)) return instance.operatingSystem.value;
  return isKnown(instance.image) ? operatingSystemOf(instance.image.value) : undefined;
}

/** Where the instance's address lies: its private IP, else its subnet's range. */
function instanceRanges(instance: Instance, subnet: Subnet): Value<string[]> {
  const ip = instance.privateIp ? knownValue(instance.privateIp) : undefined;
  if (ip) return known([`${ip}/32`]);
  return isKnown(subnet.cidrBlock) ? known([subnet.cidrBlock.value]) : subnet.cidrBlock;
}

/** The path when the subnet or its VPC cannot be found: only the instance's egress can be judged. */
function unknownPath(world: World, instance: Instance, service: ServiceId, reason: UnknownReason, subject: Ref): ServicePath {
  const hops = [hop("subnet", undecided([reason]), subject), egressToAnywhereHop(world, instance)];
  return { service, route: "unknown", hops, verdict: verdictOf(hops) };
}
