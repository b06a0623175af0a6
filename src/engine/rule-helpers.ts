/** Shared plumbing for rules: walking hops, grouping by culprit, naming elements. */
import type { HopId, ServicePath } from "../analysis/paths.js";
import { type ServiceId, SSM_FAMILY } from "../analysis/services.js";
import { dedupeReasons, type Evidence } from "../analysis/verdict.js";
import type { InstanceAnalysis } from "../analysis/world-analysis.js";
import { type Element, knownValue, type Origin, type Ref, type UnknownReason, type ValueList, type World } from "../model/index.js";
import type { RuleContext } from "./context.js";
import { AFFECTED_INSTANCE, type FindingDraft, type FixReference, type MessageArgs, type RelatedLocation, type Subject } from "./rule.js";

const ELEMENT_MAPS = [
  "instances",
  "securityGroups",
  "vpcEndpoints",
  "subnets",
  "routeTables",
  "vpcs",
  "networkAcls",
  "natGateways",
  "internetGateways",
  "roles",
  "instanceProfiles",
  "dhcpOptions",
  "hostedZones",
  "resolverRules",
  "blockPublicAccess",
  "blockPublicAccessExclusions",
  "logGroups",
  "managedPolicies",
] as const;

export function findElement(world: World, key: Ref): Element | undefined {
  for (const name of ELEMENT_MAPS) {
    const found = (world[name] as Map<Ref, Element>).get(key);
    if (found) return found;
  }
  return undefined;
}

export function subjectOf(element: Element): Subject {
  return { key: element.key, name: element.name, origin: element.origin };
}

export function instanceRelated(instances: Iterable<InstanceAnalysis>): RelatedLocation[] {
  return [...instances].map((a) => ({ label: AFFECTED_INSTANCE, name: a.instance.name, origin: a.instance.origin }));
}

/** An element as a fix names it (key and name), when the world holds it. */
export function referenceTo(world: World, key: Ref | undefined): FixReference | undefined {
  const element = key === undefined ? undefined : findElement(world, key);
  return element ? { key: element.key, name: element.name } : undefined;
}

function firstKnown(list: ValueList<Ref>): Ref | undefined {
  if (list.kind !== "known") return undefined;
  for (const v of list.value) if (v.kind === "known") return v.value;
  return undefined;
}

/**
 * What a fix for these instances can name besides its subject, from the first of them: its security group
 * (`instanceGroup`), subnet, VPC and route table. Missing ones are left out (the fix keeps its default).
 */
export function instanceReferences(
  world: World,
  instances: readonly InstanceAnalysis[],
  /** The paths a finding is about: the fix names the subnet they leave from (an Auto Scaling group has several). */
  hits: readonly HopHit[] = [],
): Record<string, FixReference> {
  const first = instances[0];
  if (!first) return {};
  const subnetKey =
    hits.map(subnetOf).find((s) => s !== undefined) ?? first.placements.map((p) => knownValue(p.subnet)).find((s) => s !== undefined);
  const subnet = subnetKey === undefined ? undefined : world.subnets.get(subnetKey);
  const found = {
    instanceGroup: referenceTo(world, firstKnown(first.instance.securityGroups)),
    subnet: subnet ? { key: subnet.key, name: subnet.name } : undefined,
    vpc: subnet ? referenceTo(world, knownValue(subnet.vpc)) : undefined,
    routeTable: subnet ? referenceTo(world, knownValue(subnet.routeTable)) : undefined,
  };
  return Object.fromEntries(Object.entries(found).filter(([, r]) => r !== undefined)) as Record<string, FixReference>;
}

/** The first security group of the endpoint one of these paths goes through (`endpointGroup`), as a fix names it. */
export function endpointReferences(world: World, hits: readonly { path: ServicePath }[]): Record<string, FixReference> {
  for (const h of hits) {
    const endpoint = h.path.endpoint === undefined ? undefined : world.vpcEndpoints.get(h.path.endpoint);
    const group = endpoint ? referenceTo(world, firstKnown(endpoint.securityGroups)) : undefined;
    if (group) return { endpointGroup: group };
  }
  return {};
}

/** The instances' names, each once (the report shortens a long list). */
export function namesOf(instances: Iterable<InstanceAnalysis>): string[] {
  return [...new Set([...instances].map((a) => a.instance.name))];
}

interface HopHit {
  analysis: InstanceAnalysis;
  path: ServicePath;
  evidence: Evidence[];
  unknowns: UnknownReason[];
  location?: Origin;
}

interface Group {
  subject: Subject;
  hits: HopHit[];
}

/**
 * Failing (or, for unknown paths, the first undecided) hops with one of `ids`, grouped by the element
 * responsible, so one finding stands per rule and culprit however many instances share it.
 */
export function groupHops(
  ctx: RuleContext,
  ids: readonly HopId[],
  verdict: "fail" | "unknown",
  services: readonly ServiceId[] = SSM_FAMILY,
): Group[] {
  const groups = new Map<Ref, Group>();
  for (const analysis of ctx.analysis.instances) {
    for (const placement of analysis.placements) {
      for (const path of placement.paths) {
        if (path.verdict !== verdict || !services.includes(path.service)) continue;
        const hops =
          verdict === "fail" ? path.hops.filter((h) => h.verdict === "fail") : path.hops.filter((h) => h.verdict === "unknown").slice(0, 1);
        for (const hop of hops) {
          if (!ids.includes(hop.id)) continue;
          const key = hop.subject ?? analysis.instance.key;
          const element = findElement(ctx.world, key) ?? analysis.instance;
          let group = groups.get(element.key);
          if (!group) {
            group = { subject: subjectOf(element), hits: [] };
            groups.set(element.key, group);
          }
          // The finding's line is an attribute of its own subject (PrivateDnsEnabled: false), never another resource's.
          const location = hop.evidence.find(
            (e) => e.origin && e.origin.id === element.origin.id && e.origin.file === element.origin.file,
          )?.origin;
          group.hits.push({ analysis, path, evidence: hop.evidence, unknowns: hop.unknowns ?? [], ...(location ? { location } : {}) });
        }
      }
    }
  }
  return [...groups.values()];
}

function dedupeEvidence(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const k = `${e.code}|${JSON.stringify(e.args)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The subnet of the placement whose path a hit is (an Auto Scaling group is placed in several), when known. */
function subnetOf(hit: HopHit): string | undefined {
  const placement = hit.analysis.placements.find((p) => p.paths.includes(hit.path));
  return placement ? knownValue(placement.subnet) : undefined;
}

export function servicesOf(hits: HopHit[]): string {
  return [...new Set(hits.map((h) => h.path.service))].join(", ");
}

/** What breaks a path, after the hop that fails first; the report words it. */
export type PathProblem =
  | "gateway-endpoint-route"
  | "no-route"
  | "instance-egress"
  | "endpoint-ingress"
  | "network-acl"
  | "dns"
  | "endpoint-policy"
  | "endpoint-type-or-region"
  | "other";

export function pathProblemOf(hits: readonly { path: ServicePath }[]): PathProblem {
  const first = hits.flatMap((h) => h.path.hops.filter((x) => x.verdict === "fail").map((x) => x.id))[0];
  if (first === "route") return hits[0]?.path.route === "gateway-endpoint" ? "gateway-endpoint-route" : "no-route";
  if (first === "instance-sg-egress") return "instance-egress";
  if (first === "endpoint-sg-ingress") return "endpoint-ingress";
  if (first?.startsWith("nacl-")) return "network-acl";
  if (first?.startsWith("vpc-dns") || first === "endpoint-private-dns") return "dns";
  if (first === "endpoint-policy") return "endpoint-policy";
  if (first === "endpoint-type" || first === "endpoint-region") return "endpoint-type-or-region";
  return "other";
}

/** Build drafts from hop groups; `fill` supplies messageId and args per group. */
export function draftsFromHops<M extends string>(
  ctx: RuleContext,
  ids: readonly HopId[],
  fill: (
    group: Group,
    instances: InstanceAnalysis[],
  ) => { messageId: M; args: MessageArgs; references?: Record<string, FixReference> } | undefined,
  unknownMessage?: M,
  services: readonly ServiceId[] = SSM_FAMILY,
): FindingDraft<M>[] {
  const drafts: FindingDraft<M>[] = [];
  for (const verdict of ["fail", "unknown"] as const) {
    if (verdict === "unknown" && !unknownMessage) continue;
    for (const group of groupHops(ctx, ids, verdict, services)) {
      const instances = [...new Map(group.hits.map((h) => [h.analysis.instance.key, h.analysis])).values()];
      const base =
        verdict === "fail"
          ? fill(group, instances)
          : {
              messageId: unknownMessage as M,
              args: {
                instances: namesOf(instances),
                services: servicesOf(group.hits),
                reason: dedupeReasons(group.hits.flatMap((h) => h.unknowns)).map((r) => r.message),
              },
            };
      if (!base) continue;
      const location = group.hits.find((h) => h.location)?.location;
      drafts.push({
        ...base,
        subject: group.subject,
        ...(location ? { location } : {}),
        verdict,
        instances: instances.map((i) => i.instance.key),
        evidence: dedupeEvidence(group.hits.flatMap((h) => h.evidence)),
        unknowns: dedupeReasons(group.hits.flatMap((h) => h.unknowns)),
        related: group.subject.key === instances[0]?.instance.key && instances.length === 1 ? [] : instanceRelated(instances),
      });
    }
  }
  return drafts;
}
