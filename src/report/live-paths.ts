/**
 * Live reports: under an instance's checklist, its agent as Systems Manager sees it and each required
 * service's path hop by hop (✓ ✗ ?), so the on-call engineer sees where the connection breaks.
 */
import type { Hop, ServicePath } from "../analysis/paths.js";
import type { Verdict } from "../analysis/verdict.js";
import type { RunResult } from "../engine/run.js";
import { knownValue } from "../model/index.js";

const HOP_LABEL: Record<string, string> = {
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
};

const MARK: Record<Verdict, string> = { pass: "✓", fail: "✗", unknown: "?" };

function route(path: ServicePath): string {
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

/** Lines (without colour) to print under one instance's checklist; empty for static sources. */
export function livePathLines(result: RunResult, instanceKey: string, paint: (v: Verdict, s: string) => string): string[] {
  if (result.world.source !== "live") return [];
  const a = result.analysis.instances.find((x) => x.instance.key === instanceKey);
  if (!a) return [];
  const lines: string[] = [];
  const agent = a.instance.agent;
  if (agent) {
    const parts = [
      knownValue(agent.registered) === false ? "not registered" : knownValue(agent.pingStatus),
      knownValue(agent.agentVersion),
      agent.platform ? knownValue(agent.platform) : undefined,
      agent.lastPing && knownValue(agent.lastPing) ? `last ping ${knownValue(agent.lastPing)}` : undefined,
    ].filter(Boolean);
    lines.push(`      agent: ${parts.length > 0 ? parts.join(", ") : "unknown"}`);
  }
  for (const placement of a.placements)
    for (const path of placement.paths) {
      const hops = path.hops.map((h: Hop) => paint(h.verdict, `${MARK[h.verdict]} ${HOP_LABEL[h.id] ?? h.id}`)).join(" · ");
      lines.push(`      ${paint(path.verdict, MARK[path.verdict])} ${path.service} via ${route(path)}${hops ? `: ${hops}` : ""}`);
    }
  return lines;
}
