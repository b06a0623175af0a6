/**
 * Change review: the findings of a change's input compared with those of its base (a baseline). Inputs
 * are paired (one each, or by their name inside the folder or cdk.out given), instances and findings
 * matched by the same identity as SARIF's partialFingerprints (rule + subject key + attribute; a key the
 * change renamed, such as a CDK construct path kept under a new logical id, counts as the same), and
 * each finding gets its SARIF baselineState. For a new finding, the hops the change broke on its
 * instances' paths and the input changes behind them (from the source's comparison) are its causes.
 */
import type { HopId } from "../analysis/paths.js";
import type { ServiceId } from "../analysis/services.js";
import type { Evidence, Verdict } from "../analysis/verdict.js";
import type { InstanceAnalysis } from "../analysis/world-analysis.js";
import type { InputChange, InputComparison, Origin, Ref, Region } from "../model/index.js";
import type { Prerequisite } from "./rule.js";
import { type CheckStatus, type Finding, findingFingerprint, HOP_PREREQUISITE, type RunResult } from "./run.js";

/** SARIF 2.1.0 §3.27.24. */
export type BaselineState = "new" | "unchanged" | "updated" | "absent";
export const BASELINE_STATES: readonly BaselineState[] = ["new", "updated", "unchanged", "absent"];

/** A hop of an instance's path that passed in the base and fails after the change. */
export interface HopBreak {
  instance: Ref;
  instanceName: string;
  service: ServiceId;
  hop: HopId;
  /** The element responsible for the hop after the change (a security group, an ACL). */
  subject?: Ref;
  /** What let the traffic through before (the base's evidence for the hop). */
  allowedBefore: Evidence[];
}

/** An input change behind a new finding. */
export interface ChangeCause {
  change: InputChange;
  /** How it was tied to the finding: on a hop it broke, the finding's own subject, or only by kind. */
  tie: "hop" | "subject" | "related" | "kind";
  hop?: HopId;
  /** Instance names and services whose path this change broke (for tie "hop"). */
  instances: string[];
  services: ServiceId[];
}

export interface InstanceChange {
  key: Ref;
  name: string;
  /** Undefined: the instance is not in the base. */
  before?: CheckStatus;
  /** Undefined: the change removes the instance. */
  after?: CheckStatus;
}

export interface FileBaseline {
  /** The base input this one is compared with (undefined: the input is new). */
  baselineFile?: string;
  /** Fingerprint → state, for every finding of the current run. */
  states: Map<string, BaselineState>;
  /** Findings of the base that the change fixed (or whose resource it removed). */
  absent: Finding[];
  /** Positions of absent findings in the base's file. */
  absentLocate?: (origin: Origin) => Region | undefined;
  /** Fingerprint → the input changes behind a new or updated finding. */
  causes: Map<string, ChangeCause[]>;
  hopBreaks: HopBreak[];
  instances: InstanceChange[];
  notes: string[];
}

export interface ComparedFile {
  file: string;
  result: RunResult;
  baseline: FileBaseline;
}

const PREREQUISITE_CATEGORIES: Record<Prerequisite, readonly InputChange["category"][]> = {
  agent: ["compute"],
  endpoints: ["endpoint", "network"],
  network: ["security-group", "network"],
  dns: ["network", "endpoint"],
  iam: ["iam", "compute"],
  logging: ["iam", "endpoint", "compute"],
};

interface Named {
  /** Where the input was found, for pairing: the path inside the folder or cdk.out given, or "" for a single file. */
  name: string;
  file: string;
  result: RunResult;
}

/**
 * Pair the base's files with the change's: one with one, else by name. A change's file without a base
 * is new (all its findings new); a base's file without a counterpart was removed (all its findings absent).
 */
export function pairFiles<T extends Named>(base: T[], change: T[]): { base?: T; change?: T }[] {
  if (base.length === 1 && change.length === 1) return [{ base: base[0]!, change: change[0]! }];
  const byName = new Map(base.map((b) => [b.name, b]));
  const out: { base?: T; change?: T }[] = [];
  const used = new Set<T>();
  for (const c of change) {
    const b = byName.get(c.name);
    if (b && !used.has(b)) {
      used.add(b);
      out.push({ base: b, change: c });
    } else out.push({ change: c });
  }
  for (const b of base) if (!used.has(b)) out.push({ base: b });
  return out;
}

function hopVerdicts(a: InstanceAnalysis): Map<string, { verdict: Verdict; subject?: Ref; evidence: Evidence[] }> {
  const out = new Map<string, { verdict: Verdict; subject?: Ref; evidence: Evidence[] }>();
  const rank: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };
  for (const placement of a.placements) {
    for (const path of placement.paths) {
      for (const hop of path.hops) {
        const key = `${path.service}|${hop.id}`;
        const seen = out.get(key);
        if (!seen || rank[hop.verdict] > rank[seen.verdict])
          out.set(key, { verdict: hop.verdict, ...(hop.subject ? { subject: hop.subject } : {}), evidence: hop.evidence });
        else if (seen.verdict === hop.verdict) seen.evidence = [...seen.evidence, ...hop.evidence];
      }
    }
  }
  return out;
}

function sameFinding(a: Finding, b: Finding, rename: (k: Ref) => Ref): boolean {
  const keys = (f: Finding, map: (k: Ref) => Ref) =>
    f.instances
      .map((i) => map(i.key))
      .sort()
      .join("\u0000");
  return (
    a.severity === b.severity &&
    a.verdict === b.verdict &&
    a.messageId === b.messageId &&
    JSON.stringify(a.args) === JSON.stringify(b.args) &&
    keys(a, rename) === keys(b, (k) => k)
  );
}

/** Compare one file of the change with its base. `comparison` is what the source says changed between them. */
export function compareRuns(
  base: { file: string; result: RunResult } | undefined,
  change: { file: string; result: RunResult },
  comparison?: InputComparison,
): FileBaseline {
  const renamed = comparison?.renamed ?? new Map<Ref, Ref>();
  const rename = (k: Ref) => renamed.get(k) ?? k;
  const states = new Map<string, BaselineState>();
  const oldByPrint = new Map<string, Finding>();
  for (const f of base?.result.findings ?? []) oldByPrint.set(findingFingerprint(f.ruleId, rename(f.subject.key), f.attribute), f);
  const matched = new Set<Finding>();
  for (const f of change.result.findings) {
    const old = oldByPrint.get(f.fingerprint);
    if (!old) {
      states.set(f.fingerprint, "new");
      continue;
    }
    matched.add(old);
    states.set(f.fingerprint, sameFinding(old, f, rename) ? "unchanged" : "updated");
  }
  const absent = (base?.result.findings ?? []).filter((f) => !matched.has(f));

  // Instances: status before and after, and the hops the change broke.
  const oldInstances = new Map((base?.result.instances ?? []).map((i) => [rename(i.key), i]));
  const oldAnalyses = new Map((base?.result.analysis.instances ?? []).map((a) => [rename(a.instance.key), a]));
  const instances: InstanceChange[] = [];
  const hopBreaks: HopBreak[] = [];
  for (const inst of change.result.instances) {
    const before = oldInstances.get(inst.key);
    instances.push({ key: inst.key, name: inst.name, ...(before ? { before: before.status } : {}), after: inst.status });
  }
  const current = new Set(change.result.instances.map((i) => i.key));
  for (const [key, before] of oldInstances) if (!current.has(key)) instances.push({ key, name: before.name, before: before.status });
  for (const a of change.result.analysis.instances) {
    const oldA = oldAnalyses.get(a.instance.key);
    if (!oldA) continue;
    const was = hopVerdicts(oldA);
    for (const [key, now] of hopVerdicts(a)) {
      if (now.verdict !== "fail") continue;
      const then = was.get(key);
      if (then?.verdict !== "pass") continue;
      const [service, hop] = key.split("|") as [ServiceId, HopId];
      hopBreaks.push({
        instance: a.instance.key,
        instanceName: a.instance.name,
        service,
        hop,
        ...(now.subject ? { subject: now.subject } : {}),
        allowedBefore: then.evidence,
      });
    }
  }

  const causes = new Map<string, ChangeCause[]>();
  const changes = comparison?.changes ?? [];
  if (changes.length > 0) {
    for (const f of change.result.findings) {
      const state = states.get(f.fingerprint);
      if (state !== "new" && state !== "updated") continue;
      const found = causesOf(f, changes, hopBreaks, rename);
      if (found.length > 0) causes.set(f.fingerprint, found);
    }
  }

  return {
    ...(base ? { baselineFile: base.file } : {}),
    states,
    absent,
    ...(base?.result.world.locate ? { absentLocate: base.result.world.locate } : {}),
    causes,
    hopBreaks,
    instances,
    notes: [...(comparison?.notes ?? [])],
  };
}

function causesOf(f: Finding, changes: readonly InputChange[], hopBreaks: HopBreak[], rename: (k: Ref) => Ref): ChangeCause[] {
  const mine = new Set(f.instances.map((i) => i.key));
  const breaks = hopBreaks.filter((b) => mine.has(b.instance) && HOP_PREREQUISITE[b.hop] === f.prerequisite);
  const out: ChangeCause[] = [];
  const taken = new Set<InputChange>();
  for (const change of changes) {
    const keys = new Set([rename(change.resource), ...(change.via ? [rename(change.via.key)] : [])]);
    const tied = breaks.filter(
      (b) =>
        (b.subject !== undefined && keys.has(b.subject)) ||
        b.allowedBefore.some((e) => e.origin?.id !== undefined && keys.has(rename(e.origin.id))),
    );
    if (tied.length > 0) {
      taken.add(change);
      out.push({
        change,
        tie: "hop",
        hop: tied[0]!.hop,
        instances: [...new Set(tied.map((b) => b.instanceName))],
        services: [...new Set(tied.map((b) => b.service))],
      });
      continue;
    }
    if (keys.has(f.subject.key)) {
      taken.add(change);
      out.push({ change, tie: "subject", instances: f.instances.map((i) => i.name), services: [] });
      continue;
    }
    const related = [...f.related.map((r) => r.origin.id), ...f.evidence.map((e) => e.origin?.id), ...f.instances.map((i) => i.key)];
    if (related.some((id) => id !== undefined && keys.has(id))) {
      taken.add(change);
      out.push({ change, tie: "related", instances: f.instances.map((i) => i.name), services: [] });
    }
  }
  if (out.length > 0) return out;
  // Nothing on the finding's own resources changed: the changes of the kind that decides it, as candidates.
  const kinds = PREREQUISITE_CATEGORIES[f.prerequisite];
  return changes
    .filter((c) => !taken.has(c) && kinds.includes(c.category))
    .slice(0, 5)
    .map((change) => ({ change, tie: "kind" as const, instances: f.instances.map((i) => i.name), services: [] }));
}

/** The findings that decide the exit code under a baseline: the new ones only. */
export function newFindings(findings: readonly Finding[], baseline: FileBaseline | undefined): Finding[] {
  return baseline ? findings.filter((f) => baseline.states.get(f.fingerprint) === "new") : [...findings];
}
