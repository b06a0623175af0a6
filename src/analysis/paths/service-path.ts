/**
 * The path for one service: which of the ways (VPC endpoint, hub, internet) the agent takes, given that an
 * endpoint or hosted zone answering the service's name takes it over, and what is not known about that.
 */
import type { HubDeclaration, UnknownReason, World } from "../../model/index.js";
import type { ServiceId } from "../services.js";
import { dedupeReasons, undecided } from "../verdict.js";
import { endpointPath } from "./endpoint-path.js";
import { endpointsFor } from "./endpoints.js";
import { bestPath, type Hop, type HopId, hop, type InstanceSide, type PolicyCheck, type ServicePath } from "./hops.js";
import { undecidedHostedZones } from "./hosted-zones.js";
import { answeredByZone, hubPath } from "./hub-path.js";
import { internetPath } from "./internet-path.js";
import { forwardingOf } from "./resolver-rules.js";

/** Hops that decide whether the service's name resolves to the endpoint at all. */
const TAKEOVER_HOPS: ReadonlySet<HopId> = new Set([
  "endpoint-type",
  "endpoint-region",
  "vpc-dns-support",
  "vpc-dns-hostnames",
  "endpoint-private-dns",
]);

/** The way the agent's traffic to one service takes from the instance, hop by hop. */
export function servicePath(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  requiredActions: readonly string[],
  policyCheck: PolicyCheck,
  hubs: readonly HubDeclaration[] = [],
): ServicePath {
  const path = pathByName(world, side, service, requiredActions, policyCheck, hubs);
  const forwarding = forwardingOf(world, side.vpc.key, service);
  if (!forwarding) return path;
  // A rule for a parent domain loses to the endpoint's private DNS and to a zone of the service's own name.
  if (!forwarding.exact && (path.route === "endpoint" || path.route === "hosted-zone")) return path;
  return forwarded(path, forwarding.hop);
}

/**
 * A path whose name a Resolver rule sends to other DNS servers: where it leads is theirs to say. A pass is not
 * verified, and a failure is not certain either (their answer may be an address this path does not go to).
 */
function forwarded(path: ServicePath, dns: Hop): ServicePath {
  if (path.verdict === "pass") return { ...path, hops: [...path.hops, dns], verdict: "unknown" };
  const why = dns.unknowns ?? [];
  const hops = path.hops.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: why } : h));
  return { ...path, hops: [...hops, dns], verdict: "unknown" };
}

/** The way the service's name leads to, as the VPC resolver answers it without forwarding rules. */
function pathByName(
  world: World,
  side: InstanceSide,
  service: ServiceId,
  requiredActions: readonly string[],
  policyCheck: PolicyCheck,
  hubs: readonly HubDeclaration[],
): ServicePath {
  const { endpoints, undecided: undecidedEndpoints, takeover, groupsUnknown } = endpointsFor(world, side.vpc.key, service);
  // Endpoints that could not be seen at all: if one is the way, its security groups decide, and they are not known.
  const unseenGroups: Hop[] =
    groupsUnknown.length > 0 ? [hop("endpoint-sg-ingress", undecided(dedupeReasons(groupsUnknown)), side.vpc.key)] : [];
  const viaEndpoints = endpoints.map((e) => endpointPath(world, side, e, service, requiredActions, policyCheck));
  // A private hosted zone for the service takes its name over: the endpoint it points at is the only way.
  const viaZone = (zone: Hop): ServicePath | undefined =>
    viaEndpoints.length > 0 ? bestPath(viaEndpoints.map((p) => answeredByZone(p, zone))) : undefined;
  const viaHub = hubPath(world, side, service, hubs, viaZone);
  if (viaHub) return viaHub;

  const viaEndpoint = viaEndpoints.length > 0 ? bestPath(viaEndpoints) : undefined;
  if (viaEndpoint?.verdict === "pass") return viaEndpoint;
  // An interface endpoint whose private DNS name is served takes the service's name over: the agent
  // connects to it and never to the internet, so a failure there (policy, security group, ACL) is final.
  const takesOver = (path: ServicePath) =>
    path.route === "endpoint" && !path.hops.some((h) => TAKEOVER_HOPS.has(h.id) && h.verdict === "fail");
  const decisive = viaEndpoints.filter(takesOver);
  const certain = decisive.filter((p) => p.hops.every((h) => !TAKEOVER_HOPS.has(h.id) || h.verdict === "pass"));
  if (certain.length > 0) return bestPath(certain);

  // Without an endpoint the name answers to (wrong type or region, private DNS off), the name resolves
  // to the public service address and traffic takes the subnet's route to the internet.
  const viaInternet = internetPath(world, side, service, hubs);
  // Hosted zones that could not be seen may send the name to a centralised endpoint, whose side (and the
  // ACLs and routes toward it) would then decide: what the internet path shows is not the way known to be taken.
  const hiddenZones = undecidedHostedZones(world, side.vpc.key, service);
  const hiddenSides: Hop[] = [
    ...unseenGroups,
    ...(hiddenZones.length > 0 ? [hop("hub-endpoint", undecided(dedupeReasons(hiddenZones)), side.vpc.key)] : []),
  ];
  const takeoverHop = (reasons: UnknownReason[]): Hop =>
    hop(
      "route",
      undecided(
        dedupeReasons(reasons).map((r) => ({
          ...r,
          message: `an interface endpoint or private hosted zone may take the service name over, and it is not known: ${r.message}`,
        })),
      ),
      side.vpc.key,
    );
  if (decisive.length > 0) {
    // Whether the endpoint takes the name over is not known (its private DNS, the VPC's DNS settings):
    // a failure through it is certain only when the internet path fails too.
    const maybe = bestPath(decisive);
    if (maybe.verdict !== "fail" || viaInternet.verdict === "fail") return maybe;
    const why = maybe.hops.filter((h) => TAKEOVER_HOPS.has(h.id) && h.verdict === "unknown").flatMap((h) => h.unknowns ?? []);
    return {
      ...maybe,
      hops: maybe.hops.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: why } : h)),
      verdict: "unknown",
    };
  }
  if (viaInternet.verdict === "pass") {
    // An endpoint or hosted zone we cannot see may answer to the name instead, and its security group,
    // ACLs and policy would decide: the internet path is then not the one known to be taken.
    const hidden = [...takeover, ...hiddenZones];
    if (hidden.length === 0) return viaInternet;
    return { service, route: "unknown", hops: [takeoverHop(hidden), ...viaInternet.hops, ...hiddenSides], verdict: "unknown" };
  }
  // Where the public name leads is not known (a transit gateway, a route outside the input): so is the
  // verdict, whatever is wrong with an endpoint the name does not reach.
  if (viaInternet.verdict === "unknown") return { ...viaInternet, hops: [...viaInternet.hops, ...hiddenSides] };
  // The internet path fails. An endpoint (or hosted zone) whose VPC or service is not known may be the one
  // the name answers to.
  const undecidedPaths = [...undecidedEndpoints, ...hiddenZones];
  if (undecidedPaths.length > 0) {
    return {
      service,
      route: "unknown",
      hops: [
        ...viaInternet.hops.map((h) => (h.verdict === "fail" ? { ...h, verdict: "unknown" as const, unknowns: undecidedPaths } : h)),
        ...hiddenSides,
      ],
      verdict: "unknown",
    };
  }
  // Both ways fail: the endpoint is where the fix goes, enabling its DNS (or correcting it) is what the user meant.
  return viaEndpoint ?? viaInternet;
}
