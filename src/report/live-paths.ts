/**
 * Live reports: under an instance's checklist, its agent as Systems Manager sees it and each required
 * service's path hop by hop (✓ ✗ ?), so the on-call engineer sees where the connection breaks.
 */
import type { Hop } from "../analysis/paths.js";
import type { Verdict } from "../analysis/verdict.js";
import type { RunResult } from "../engine/run.js";
import { knownValue } from "../model/index.js";
import { hopLabel, routeText } from "./paths.js";
import { inputText } from "./text.js";

const MARK: Record<Verdict, string> = { pass: "✓", fail: "✗", unknown: "?" };

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
    lines.push(`      agent: ${parts.length > 0 ? inputText(parts.join(", ")) : "unknown"}`);
  }
  for (const placement of a.placements)
    for (const path of placement.paths) {
      const hops = path.hops.map((h: Hop) => paint(h.verdict, `${MARK[h.verdict]} ${hopLabel(h)}`)).join(" · ");
      lines.push(
        `      ${paint(path.verdict, MARK[path.verdict])} ${path.service} via ${inputText(routeText(path))}${hops ? `: ${hops}` : ""}`,
      );
    }
  return lines;
}
