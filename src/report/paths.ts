/**
 * What was checked, hop by hop: for each instance and required service, the way the traffic goes and each hop
 * with its verdict, the resource it is about, and the evidence (codes and words). The human report prints it
 * for live checks; JSON and Markdown carry it for every source.
 */
import type { Hop, ServicePath } from "../analysis/paths.js";
import type { Verdict } from "../analysis/verdict.js";
import type { InstanceAnalysis } from "../analysis/world-analysis.js";
import { findElement } from "../engine/rule-helpers.js";
import type { RunResult } from "../engine/run.js";
import { knownValue, type Origin, type UnknownReason } from "../model/index.js";
import { argumentsOf, evidenceText } from "./evidence.js";
import { unknownText } from "./text.js";

export const HOP_LABEL: Record<string, string> = {
  subnet: "subnet",
  "endpoint-type": "type",
  "endpoint-region": "region",
  "endpoint-state": "state",
  "endpoint-policy": "policy",
  "vpc-dns-support": "VPC DNS support",
  "vpc-dns-hostnames": "VPC DNS hostnames",
  "endpoint-private-dns": "private DNS",
  "custom-dns": "DNS servers",
  "hosted-zone": "private hosted zone",
  route: "route",
  "nat-gateway": "NAT gateway",
  "internet-gateway": "internet gateway",
  "public-ip": "public IP",
  "instance-sg-egress": "instance SG egress 443",
  "endpoint-sg-ingress": "endpoint SG ingress 443",
  "nacl-instance-outbound": "instance ACL out 443",
  "nacl-instance-inbound": "instance ACL in 1024-65535",
  "nacl-endpoint-inbound": "endpoint ACL in 443",
  "nacl-endpoint-outbound": "endpoint ACL out 1024-65535",
  "nacl-nat-inbound": "NAT ACL in",
  "nacl-nat-outbound": "NAT ACL out",
  "hub-endpoint": "hub endpoint side",
  "hub-egress": "hub egress",
  "block-public-access": "block public access",
};

export function hopLabel(hop: Hop): string {
  return HOP_LABEL[hop.id] ?? hop.id;
}

/** "endpoint vpce-0abc", "internet (NAT / internet gateway)", … */
export function routeText(path: ServicePath): string {
  switch (path.route) {
    case "endpoint":
      return `endpoint ${path.endpoint ?? ""}`.trim();
    case "gateway-endpoint":
      return `gateway endpoint ${path.endpoint ?? ""}`.trim();
    case "hosted-zone":
      return "private hosted zone (centralised endpoint)";
    case "internet":
      return "internet (NAT / internet gateway)";
    case "none":
      return "no endpoint, no route to the internet";
    default:
      return "unknown";
  }
}

export interface HopView {
  id: string;
  label: string;
  verdict: Verdict;
  resource: { key: string; name: string; origin?: Origin } | null;
  evidence: { code: string; arguments: Record<string, string | number | boolean>; text: string; origin?: Origin }[];
  unknowns: (UnknownReason & { text: string })[];
}

export interface PathView {
  /** The subnet the instance is placed in (several for an Auto Scaling group), when known. */
  subnet: string | null;
  service: string;
  route: ServicePath["route"];
  routeText: string;
  endpoint: string | null;
  verdict: Verdict;
  hops: HopView[];
}

/** Each analysis' instances by key, made once: a report of N instances looks each one up, so N look-ups, not N². */
const INSTANCES_BY_KEY = new WeakMap<RunResult["analysis"], Map<string, InstanceAnalysis>>();

export function instanceAnalysis(result: RunResult, instanceKey: string): InstanceAnalysis | undefined {
  let byKey = INSTANCES_BY_KEY.get(result.analysis);
  if (!byKey) {
    byKey = new Map();
    // The first analysis of a key wins, as `find` did.
    for (const a of result.analysis.instances) if (!byKey.has(a.instance.key)) byKey.set(a.instance.key, a);
    INSTANCES_BY_KEY.set(result.analysis, byKey);
  }
  return byKey.get(instanceKey);
}

/** One instance's paths, every placement and required service, in the analysis' order. */
export function pathViews(result: RunResult, instanceKey: string): PathView[] {
  const a = instanceAnalysis(result, instanceKey);
  if (!a) return [];
  return a.placements.flatMap((placement) =>
    placement.paths.map((path) => ({
      subnet: knownValue(placement.subnet) ?? null,
      service: path.service,
      route: path.route,
      routeText: routeText(path),
      endpoint: path.endpoint ?? null,
      verdict: path.verdict,
      hops: path.hops.map((h) => {
        const element = h.subject ? findElement(result.world, h.subject) : undefined;
        return {
          id: h.id,
          label: hopLabel(h),
          verdict: h.verdict,
          resource: h.subject ? { key: h.subject, name: element?.name ?? h.subject, ...(element ? { origin: element.origin } : {}) } : null,
          evidence: h.evidence.map((e) => ({
            code: e.code,
            arguments: argumentsOf(e),
            text: evidenceText(e, result.world.source),
            ...(e.origin ? { origin: e.origin } : {}),
          })),
          unknowns: (h.unknowns ?? []).map((u) => ({ ...u, text: unknownText(u) })),
        };
      }),
    })),
  );
}
