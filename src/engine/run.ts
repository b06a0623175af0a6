/**
 * Runs the rules over an analysed world and turns drafts into findings: severity, stable fingerprint,
 * location, suppression. Also derives each instance's checklist of prerequisites from the findings.
 */
import type { HopId } from "../analysis/paths.js";
import { SSM_FAMILY } from "../analysis/services.js";
import type { Evidence } from "../analysis/verdict.js";
import { type AnalysisOptions, analyzeWorld, type InstanceAnalysis, type WorldAnalysis } from "../analysis/world-analysis.js";
import {
  type Origin,
  type Ref,
  type SourceKind,
  type SourceNote,
  type Suppression,
  type Timings,
  timed,
  type UnknownReason,
  type World,
} from "../model/index.js";
import {
  type FixReference,
  type MessageArgs,
  PREREQUISITES,
  type Prerequisite,
  type RelatedLocation,
  type Rule,
  type Severity,
  type Subject,
} from "./rule.js";

export interface SuppressionEntry {
  ruleId: string;
  /** Element key, name, or glob ("*" matches any run of characters). */
  resource?: string;
  reason: string;
  expires?: string; // YYYY-MM-DD
  source: string; // "template metadata", ".ssm-doctor.yaml"
}

export interface EngineOptions extends AnalysisOptions {
  /** Rule severity overrides from the configuration. */
  severities?: Record<string, Severity | "off">;
  suppressions?: SuppressionEntry[];
  /** "today" for expiry checks (injectable for tests). */
  today?: string;
  /** --timings: the analysis and the rules are timed apart. */
  timings?: Timings;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  prerequisite: Prerequisite;
  /** error | warning | note; unknown verdicts are always notes. */
  severity: Severity;
  verdict: "fail" | "unknown";
  messageId: string;
  args: MessageArgs;
  /** The kind of input the finding is about: its message and fix speak that input's language. */
  source: SourceKind;
  subject: Subject;
  /** Where the fix goes: the attribute when known, else the subject. */
  location: Origin;
  instances: { key: Ref; name: string }[];
  evidence: Evidence[];
  unknowns: UnknownReason[];
  related: RelatedLocation[];
  /** Other elements the fix names (see FindingDraft.references). */
  references: Record<string, FixReference>;
  fingerprint: string;
  /** The attribute path inside the subject that the fingerprint includes (matching across inputs, src/engine/baseline.ts). */
  attribute?: string;
  /** inSource: Metadata / a comment beside the resource; external: the configuration file. */
  suppression?: { reason: string; source: string; kind: "inSource" | "external"; origin?: Origin };
}

/** suppressed: it would fail or warn, but every finding that says so is suppressed (with a reason). */
export type CheckStatus = "pass" | "fail" | "warn" | "unknown" | "suppressed";

export interface InstanceChecklist {
  key: Ref;
  name: string;
  kind: string;
  origin: Origin;
  status: CheckStatus;
  checks: { prerequisite: Prerequisite; title: string; status: CheckStatus; findings: string[] }[];
}

export interface RunResult {
  world: World;
  analysis: WorldAnalysis;
  findings: Finding[];
  instances: InstanceChecklist[];
  notes: SourceNote[];
  /** Expired suppressions: reported, no longer suppressing. */
  expiredSuppressions: SuppressionEntry[];
}

/** Rule id + subject key + attribute: stable across line moves; SARIF's partialFingerprints and baseline matching. */
export function findingFingerprint(ruleId: string, subjectKey: string, attribute: string | undefined): string {
  // node:crypto is loaded on the first finding, not at start-up: a run without findings never needs it.
  return process
    .getBuiltinModule("node:crypto")
    .createHash("sha256")
    .update(`${ruleId}\u0000${subjectKey}\u0000${attribute ?? ""}`)
    .digest("hex")
    .slice(0, 16);
}

/**
 * The configuration's suppressions as a finding looks them up: those naming its rule (by id or name), in the
 * order they are written, and their resource patterns (globs), each made into a regular expression once. A
 * run of thousands of findings against hundreds of suppressions reads each list once per finding.
 */
class Suppressions {
  private readonly byRule = new Map<string, readonly SuppressionEntry[]>();
  private readonly patterns = new Map<string, RegExp>();

  constructor(private readonly entries: readonly SuppressionEntry[]) {}

  /** The entries naming this rule, in their order. */
  forRule(ruleId: string, ruleName: string): readonly SuppressionEntry[] {
    let list = this.byRule.get(ruleId);
    if (!list) {
      list = this.entries.filter((e) => e.ruleId === ruleId || e.ruleId === ruleName);
      this.byRule.set(ruleId, list);
    }
    return list;
  }

  /** Whether a glob (`*` any run of characters, `?` one) matches the whole text. */
  matches(pattern: string, text: string): boolean {
    if (!pattern.includes("*") && !pattern.includes("?")) return pattern === text;
    let re = this.patterns.get(pattern);
    if (!re) {
      re = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
      this.patterns.set(pattern, re);
    }
    return re.test(text);
  }
}

function suppressionFor(
  finding: Omit<Finding, "fingerprint">,
  world: World,
  suppressions: Suppressions,
  today: string,
  expired: Set<SuppressionEntry>,
) {
  // Inline suppressions on the culprit element (any kind of element a finding can be about).
  const element = [
    world.instances,
    world.securityGroups,
    world.vpcEndpoints,
    world.vpcs,
    world.subnets,
    world.roles,
    world.routeTables,
    world.networkAcls,
    world.instanceProfiles,
    world.natGateways,
    world.internetGateways,
    world.dhcpOptions,
    world.hostedZones,
    world.resolverRules,
    world.blockPublicAccess,
    world.blockPublicAccessExclusions,
    world.logGroups,
    world.managedPolicies,
  ]
    .map((m) => (m as Map<Ref, { suppressions?: Suppression[] }>).get(finding.subject.key))
    .find(Boolean);
  const inline = element?.suppressions?.find((s) => s.ruleId === finding.ruleId || s.ruleId === finding.ruleName);
  if (inline) {
    const source = world.source === "terraform" ? "# ssm-doctor:ignore comment" : "resource Metadata";
    return { reason: inline.reason || "no reason given", source, kind: "inSource" as const, origin: inline.origin };
  }
  for (const entry of suppressions.forRule(finding.ruleId, finding.ruleName)) {
    if (
      entry.resource &&
      !suppressions.matches(entry.resource, finding.subject.key) &&
      !suppressions.matches(entry.resource, finding.subject.name)
    )
      continue;
    if (entry.expires && entry.expires < today) {
      expired.add(entry);
      continue;
    }
    return { reason: entry.reason, source: entry.source, kind: "external" as const };
  }
  return undefined;
}

export function runRules(world: World, rules: readonly Rule[], options: EngineOptions = {}): RunResult {
  const analysis = timed(options.timings, "analysis", () => analyzeWorld(world, options));
  return timed(options.timings, "rules", () => applyRules(world, analysis, rules, options));
}

function applyRules(world: World, analysis: WorldAnalysis, rules: readonly Rule[], options: EngineOptions): RunResult {
  const context = { world, analysis };
  const findings: Finding[] = [];
  const expired = new Set<SuppressionEntry>();
  const suppressions = new Suppressions(options.suppressions ?? []);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const seen = new Set<string>();
  // Rules that could fail a prerequisite but were turned off: that prerequisite is not verified.
  const unverified = new Map<Prerequisite, string[]>();
  for (const rule of rules) {
    const override = options.severities?.[rule.meta.id] ?? options.severities?.[rule.meta.name];
    if (!rule.meta.appliesTo.includes(world.source)) continue;
    if (override === "off") {
      if (rule.meta.severity === "error")
        unverified.set(rule.meta.prerequisite, [...(unverified.get(rule.meta.prerequisite) ?? []), rule.meta.id]);
      continue;
    }
    for (const draft of rule.check(context)) {
      if (draft.verdict === "unknown" && rule.meta.onUnknown === "skip") continue;
      const attribute = draft.attribute ?? (draft.verdict === "unknown" ? "unknown" : undefined);
      const print = findingFingerprint(rule.meta.id, draft.subject.key, attribute);
      if (seen.has(print)) continue;
      seen.add(print);
      const severity: Severity = draft.verdict === "unknown" ? "note" : (override ?? draft.severity ?? rule.meta.severity);
      const base: Omit<Finding, "fingerprint"> = {
        ruleId: rule.meta.id,
        ruleName: rule.meta.name,
        prerequisite: rule.meta.prerequisite,
        severity,
        verdict: draft.verdict,
        messageId: draft.messageId,
        args: draft.args,
        source: world.source,
        subject: draft.subject,
        location: draft.location ?? draft.subject.origin,
        instances: draft.instances.map((key) => ({ key, name: world.instances.get(key)?.name ?? key })),
        evidence: draft.evidence,
        unknowns: draft.unknowns ?? [],
        related: draft.related ?? [],
        references: draft.references ?? {},
      };
      const suppression = suppressionFor(base, world, suppressions, today, expired);
      findings.push({ ...base, fingerprint: print, ...(attribute ? { attribute } : {}), ...(suppression ? { suppression } : {}) });
    }
  }
  findings.sort(compareFindings);
  const instances = checklists(analysis, findings, unverified);
  const notes: SourceNote[] = [...world.notes];
  if (instances.length > 0 && unverified.size > 0) {
    const list = PREREQUISITES.filter((p) => unverified.has(p.id)).map((p) => `${p.title} (${unverified.get(p.id)!.join(", ")})`);
    notes.push({
      level: "info",
      code: "rules-off",
      message: `not verified, because rules that could fail them are turned off (--check, --skip-check or severity: off): ${list.join("; ")}`,
    });
  }
  return { world, analysis, findings, instances, notes, expiredSuppressions: [...expired] };
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    (a.location.region?.startLine ?? 0) - (b.location.region?.startLine ?? 0) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.subject.key.localeCompare(b.subject.key)
  );
}

/** Which prerequisite each hop of a path speaks for. */
export const HOP_PREREQUISITE: Record<HopId, Prerequisite> = {
  subnet: "endpoints",
  "endpoint-type": "endpoints",
  "endpoint-region": "endpoints",
  "endpoint-state": "endpoints",
  "endpoint-policy": "endpoints",
  "hosted-zone": "endpoints",
  route: "endpoints",
  "nat-gateway": "endpoints",
  "internet-gateway": "endpoints",
  "public-ip": "endpoints",
  "vpc-dns-support": "dns",
  "vpc-dns-hostnames": "dns",
  "endpoint-private-dns": "dns",
  "custom-dns": "dns",
  "instance-sg-egress": "network",
  "endpoint-sg-ingress": "network",
  "nacl-instance-outbound": "network",
  "nacl-instance-inbound": "network",
  "nacl-endpoint-inbound": "network",
  "nacl-endpoint-outbound": "network",
  "nacl-nat-inbound": "network",
  "nacl-nat-outbound": "network",
  "hub-endpoint": "network",
  "hub-egress": "endpoints",
  "block-public-access": "endpoints",
};

/** Prerequisites whose status the paths decide: a path not known far enough leaves them unknown. */
const PATH_PREREQUISITES: readonly Prerequisite[] = ["endpoints", "network", "dns"];

function pathStatus(a: InstanceAnalysis, prerequisite: Prerequisite): CheckStatus {
  let status: CheckStatus = "pass";
  for (const placement of a.placements) {
    for (const path of placement.paths) {
      if (!SSM_FAMILY.includes(path.service)) continue;
      const hops = path.hops.filter((h) => HOP_PREREQUISITE[h.id] === prerequisite);
      if (hops.some((h) => h.verdict === "fail")) return "fail";
      // A path that stops early (unknown route) says nothing about the hops it never reached; the DNS of
      // a path through the internet is not needed, so it passes.
      const reached =
        hops.length > 0 ||
        (prerequisite === "dns" &&
          (path.route === "internet" || path.route === "none" || path.route === "hosted-zone" || path.route === "gateway-endpoint"));
      if (hops.some((h) => h.verdict === "unknown") || (path.verdict !== "pass" && !reached)) status = "unknown";
    }
  }
  return status;
}

/**
 * The findings of each instance, in the order of `findings` (one pass over every finding's instance list,
 * so a finding that names thousands of instances costs its length once, not once per instance).
 */
function findingsByInstance(findings: Finding[]): {
  open: Map<Ref, Finding[]>;
  /** Per instance and prerequisite, the fingerprints of its suppressed failures. */
  suppressedFails: Map<Ref, Map<Prerequisite, string[]>>;
} {
  const open = new Map<Ref, Finding[]>();
  const suppressedFails = new Map<Ref, Map<Prerequisite, string[]>>();
  for (const f of findings) {
    if (f.suppression) {
      if (f.verdict !== "fail") continue;
      for (const i of f.instances) {
        const byPrerequisite = suppressedFails.get(i.key) ?? new Map<Prerequisite, string[]>();
        const prints = byPrerequisite.get(f.prerequisite) ?? [];
        if (prints[prints.length - 1] !== f.fingerprint) prints.push(f.fingerprint);
        byPrerequisite.set(f.prerequisite, prints);
        suppressedFails.set(i.key, byPrerequisite);
      }
      continue;
    }
    for (const i of f.instances) {
      const list = open.get(i.key);
      if (!list) open.set(i.key, [f]);
      // An instance named twice by one finding still has that finding once.
      else if (list[list.length - 1] !== f) list.push(f);
    }
  }
  return { open, suppressedFails };
}

function checklists(analysis: WorldAnalysis, findings: Finding[], unverified: Map<Prerequisite, string[]>): InstanceChecklist[] {
  const index = findingsByInstance(findings);
  return analysis.instances.map((a) => {
    const mine = index.open.get(a.instance.key) ?? [];
    const needsLogging =
      a.requirements.some((r) => r.service === "s3" || r.service === "logs" || r.service === "kms") ||
      mine.some((f) => f.prerequisite === "logging");
    const checks = PREREQUISITES.filter((p) => p.id !== "logging" || needsLogging).map((p) => {
      const relevant = mine.filter((f) => f.prerequisite === p.id);
      let status: CheckStatus = relevant.some((f) => f.verdict === "fail" && f.severity === "error")
        ? "fail"
        : relevant.some((f) => f.verdict === "fail")
          ? "warn"
          : relevant.some((f) => f.verdict === "unknown")
            ? "unknown"
            : "pass";
      // A failing hop whose finding the user suppressed (with a reason) does not fail the checklist; it shows
      // as suppressed, never as passed.
      const suppressedHere = index.suppressedFails.get(a.instance.key)?.get(p.id) ?? [];
      if (PATH_PREREQUISITES.includes(p.id) && status !== "fail") {
        const fromPaths = pathStatus(a, p.id);
        if (fromPaths === "fail" && status !== "warn" && suppressedHere.length === 0) status = "fail";
        else if (fromPaths === "unknown" && status === "pass") status = "unknown";
      }
      // A rule that could fail this prerequisite did not run: it cannot show as passed.
      if (status === "pass" && unverified.has(p.id)) status = "unknown";
      if (status === "pass" && suppressedHere.length > 0)
        return { prerequisite: p.id, title: p.title, status: "suppressed" as const, findings: suppressedHere };
      return { prerequisite: p.id, title: p.title, status, findings: relevant.map((f) => f.fingerprint) };
    });
    const status: CheckStatus = checks.some((c) => c.status === "fail")
      ? "fail"
      : checks.some((c) => c.status === "unknown")
        ? "unknown"
        : checks.some((c) => c.status === "warn")
          ? "warn"
          : checks.some((c) => c.status === "suppressed")
            ? "suppressed"
            : "pass";
    return { key: a.instance.key, name: a.instance.name, kind: a.instance.computeKind, origin: a.instance.origin, status, checks };
  });
}

export type FailOn = "error" | "warning" | "note" | "never";

/** Exit code 1 when an unsuppressed finding is at or above --fail-on (unknowns only with --strict). */
export function shouldFail(findings: Finding[], failOn: FailOn, strict: boolean): boolean {
  if (failOn === "never") return false;
  const threshold = severityRank[failOn];
  return findings.some((f) => {
    if (f.suppression) return false;
    if (f.verdict === "unknown") return strict;
    return severityRank[f.severity] <= threshold;
  });
}
