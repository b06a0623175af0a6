/**
 * An instance's path to the Systems Manager endpoints as a Mermaid flowchart for the Markdown report
 * (GitHub renders it in job summaries and pull-request comments): instance → security groups → network
 * ACLs → route → endpoint or NAT → endpoint security groups → DNS → IAM, one node per stage, the hops of
 * all required services folded together (the worst verdict wins). A failing stage is red, an unknown one
 * grey; in a change review the stage the change broke is marked new. Text from the input is reduced to
 * a safe alphabet and the rest written as Mermaid entity codes, so a name cannot break the graph.
 */
import type { HopId } from "../analysis/paths.js";
import { SSM_FAMILY } from "../analysis/services.js";
import type { Verdict } from "../analysis/verdict.js";
import type { HopBreak } from "../engine/baseline.js";
import type { RunResult } from "../engine/run.js";
import { knownValue, type Ref, type World } from "../model/index.js";

interface Stage {
  id: string;
  label: string;
  hops: readonly HopId[];
}

const STAGES: readonly Stage[] = [
  { id: "sg", label: "security groups", hops: ["instance-sg-egress"] },
  {
    id: "acl",
    label: "network ACLs",
    hops: [
      "nacl-instance-outbound",
      "nacl-instance-inbound",
      "nacl-endpoint-inbound",
      "nacl-endpoint-outbound",
      "nacl-nat-inbound",
      "nacl-nat-outbound",
    ],
  },
  { id: "route", label: "route", hops: ["subnet", "route", "hosted-zone"] },
  {
    id: "target",
    label: "endpoint or NAT",
    hops: [
      "endpoint-type",
      "endpoint-region",
      "endpoint-state",
      "endpoint-policy",
      "nat-gateway",
      "internet-gateway",
      "public-ip",
      "block-public-access",
    ],
  },
  { id: "esg", label: "endpoint security groups", hops: ["endpoint-sg-ingress"] },
  { id: "dns", label: "DNS", hops: ["vpc-dns-support", "vpc-dns-hostnames", "endpoint-private-dns", "custom-dns"] },
];

const CLASS_STYLE = {
  fail: "fill:#fde2e1,stroke:#c62828,color:#8b0000",
  unknown: "fill:#eeeeee,stroke:#777777",
  pass: "fill:#e6f4ea,stroke:#1e7e34",
  new: "stroke-width:4px,stroke-dasharray:6 3",
} as const;

const MAX_NAMES = 3;
const MAX_LABEL = 60;

/** Mermaid label text: letters, digits and a few marks as they are, everything else as #code; (quotes, brackets, HTML, backticks). */
export function mermaidText(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const short = clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean;
  let out = "";
  for (const ch of short) out += /^[A-Za-z0-9 _.,:/@+=-]$/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function nameOf(world: World, key: Ref): string {
  for (const map of [
    world.securityGroups,
    world.networkAcls,
    world.routeTables,
    world.subnets,
    world.vpcEndpoints,
    world.natGateways,
    world.internetGateways,
    world.vpcs,
    world.dhcpOptions,
    world.hostedZones,
    world.resolverRules,
    world.blockPublicAccess,
  ] as Map<Ref, { name: string }>[]) {
    const e = map.get(key);
    if (e) return e.name;
  }
  return key;
}

/** The endpoint security groups stage speaks for the endpoint's groups (the VPC default group when it names none). */
function subjectNames(world: World, stage: string, subject: Ref): string[] {
  const endpoint = stage === "esg" ? world.vpcEndpoints.get(subject) : undefined;
  if (!endpoint) return [nameOf(world, subject)];
  const groups = knownValue(endpoint.securityGroups);
  if (groups === undefined) return [nameOf(world, subject)];
  if (groups.length === 0) return ["VPC default group"];
  return groups.map((g) => {
    const key = knownValue(g);
    return key === undefined ? "a group known at deploy" : nameOf(world, key);
  });
}

const rank: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

/** A flowchart for one instance, or undefined when the instance has no analysed path. */
export function instancePathChart(result: RunResult, instanceKey: Ref, breaks: readonly HopBreak[] = []): string | undefined {
  const a = result.analysis.instances.find((x) => x.instance.key === instanceKey);
  if (!a) return undefined;
  const world = result.world;
  const stages = STAGES.map((stage) => ({ stage, verdict: undefined as Verdict | undefined, names: new Set<string>(), broke: false }));
  let routeKinds = new Set<string>();
  for (const placement of a.placements) {
    for (const path of placement.paths) {
      if (!SSM_FAMILY.includes(path.service)) continue;
      routeKinds.add(path.route);
      for (const hop of path.hops) {
        const s = stages.find((x) => x.stage.hops.includes(hop.id));
        if (!s) continue;
        if (s.verdict === undefined || rank[hop.verdict] > rank[s.verdict]) s.verdict = hop.verdict;
        if (hop.subject) for (const name of subjectNames(world, s.stage.id, hop.subject)) s.names.add(name);
        if (breaks.some((b) => b.instance === instanceKey && b.hop === hop.id)) s.broke = true;
      }
      if (path.endpoint) stages.find((x) => x.stage.id === "target")!.names.add(nameOf(world, path.endpoint));
    }
  }
  if (routeKinds.size === 0) routeKinds = new Set(["none"]);
  const checklist = result.instances.find((i) => i.key === instanceKey);
  const iam = checklist?.checks.find((c) => c.prerequisite === "iam")?.status;
  const lines = ["flowchart LR"];
  const classes: Record<"fail" | "unknown" | "pass" | "new", string[]> = { fail: [], unknown: [], pass: [], new: [] };
  lines.push(`  i["${mermaidText(a.instance.name)}"]`);
  let previous = "i";
  for (const s of stages) {
    if (s.verdict === undefined) continue;
    const names = [...s.names];
    const label =
      s.stage.id === "target" && routeKinds.has("internet") && !routeKinds.has("endpoint") ? "NAT or internet gateway" : s.stage.label;
    const listed =
      names.slice(0, MAX_NAMES).map(mermaidText).join(", ") + (names.length > MAX_NAMES ? ` +${names.length - MAX_NAMES}` : "");
    const text = `${s.broke ? "NEW: " : ""}${label}${listed ? `<br/>${listed}` : ""}`;
    lines.push(`  ${previous} --> ${s.stage.id}["${text}"]`);
    classes[s.verdict].push(s.stage.id);
    if (s.broke) classes.new.push(s.stage.id);
    previous = s.stage.id;
  }
  if (iam) {
    const verdict: Verdict = iam === "fail" ? "fail" : iam === "unknown" ? "unknown" : "pass";
    lines.push(`  ${previous} --> iam["IAM"]`);
    classes[verdict].push("iam");
  }
  for (const [name, ids] of Object.entries(classes)) {
    if (ids.length === 0) continue;
    lines.push(`  classDef ${name} ${CLASS_STYLE[name as keyof typeof CLASS_STYLE]}`, `  class ${ids.join(",")} ${name}`);
  }
  return lines.join("\n");
}
