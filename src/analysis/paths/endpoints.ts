/** The VPC endpoints of a VPC for a service, indexed once per world, and why some endpoint's VPC or service is not known. */
import { isKnown, knownValue, type Ref, type UnknownReason, type VpcEndpoint, type World } from "../../model/index.js";
import { parseServiceName, type ServiceId } from "../services.js";

interface EndpointIndex {
  /** "vpc|service" → endpoints. */
  byVpcService: Map<string, VpcEndpoint[]>;
  /** service ("" when the service name is unknown) → reasons some endpoint's VPC or service is unknown. */
  undecidedByService: Map<string, UnknownReason[]>;
  /** The same, only for endpoints that may be an interface endpoint with private DNS (which takes the name over). */
  takeoverByService: Map<string, UnknownReason[]>;
  /** The same, for endpoints whose security groups are not known either (live: endpoints that could not be read). */
  groupsUnknownByService: Map<string, UnknownReason[]>;
}

const endpointIndexes = new WeakMap<World, EndpointIndex>();

/** Endpoints indexed once per world by VPC and service, so paths cost no scan per instance. */
function endpointIndex(world: World): EndpointIndex {
  let index = endpointIndexes.get(world);
  if (index) return index;
  index = { byVpcService: new Map(), undecidedByService: new Map(), takeoverByService: new Map(), groupsUnknownByService: new Map() };
  let endpoint: VpcEndpoint | undefined;
  const undecidedFor = (service: string, reason: UnknownReason) => {
    const list = index!.undecidedByService.get(service) ?? [];
    list.push(reason);
    index!.undecidedByService.set(service, list);
    if (endpoint && mayTakeNameOver(endpoint)) {
      const takeover = index!.takeoverByService.get(service) ?? [];
      takeover.push(reason);
      index!.takeoverByService.set(service, takeover);
    }
    if (endpoint && !isKnown(endpoint.securityGroups)) {
      const groups = index!.groupsUnknownByService.get(service) ?? [];
      groups.push(endpoint.securityGroups.reason);
      index!.groupsUnknownByService.set(service, groups);
    }
  };
  for (const e of world.vpcEndpoints.values()) {
    endpoint = e;
    const name = knownValue(e.serviceName);
    const service = name === undefined ? "" : (parseServiceName(name)?.service ?? undefined);
    if (service === undefined) continue; // not an AWS service endpoint
    if (name === undefined && !isKnown(e.serviceName)) {
      undecidedFor("", e.serviceName.reason);
      continue;
    }
    if (!isKnown(e.vpc)) {
      undecidedFor(service, e.vpc.reason);
      continue;
    }
    if (e.conditional) {
      undecidedFor(service, e.conditional);
      continue;
    }
    const key = `${e.vpc.value}|${service}`;
    const list = index.byVpcService.get(key) ?? [];
    list.push(e);
    index.byVpcService.set(key, list);
  }
  endpointIndexes.set(world, index);
  return index;
}

/** Whether an endpoint may be an interface endpoint serving private DNS, as far as its own values say. */
function mayTakeNameOver(e: VpcEndpoint): boolean {
  const type = knownValue(e.endpointType);
  return (type === undefined || type === "Interface") && knownValue(e.privateDnsEnabled) !== false;
}

/**
 * Interface/gateway endpoints in the VPC for the service; also why some endpoint might be one and is not
 * known (`undecided`), the subset of those reasons for endpoints that may take the service's name over, and
 * for endpoints whose security groups are not known.
 */
export function endpointsFor(
  world: World,
  vpc: Ref,
  service: ServiceId,
): { endpoints: VpcEndpoint[]; undecided: UnknownReason[]; takeover: UnknownReason[]; groupsUnknown: UnknownReason[] } {
  const index = endpointIndex(world);
  const both = (m: Map<string, UnknownReason[]>) => [...(m.get(service) ?? []), ...(m.get("") ?? [])];
  return {
    endpoints: index.byVpcService.get(`${vpc}|${service}`) ?? [],
    undecided: both(index.undecidedByService),
    takeover: both(index.takeoverByService),
    groupsUnknown: both(index.groupsUnknownByService),
  };
}
