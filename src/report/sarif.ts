/**
 * SARIF 2.1.0 for GitHub code scanning (DESIGN section 6): one run per source kind, every rule with its
 * help, results with a repo-relative primary location and a full region, related locations for the other
 * resources on the path, suppressions with their justification, and the source's remarks as notifications.
 * Never an absolute path: files are mapped to the repository root by the caller (RepoPathMapper).
 */
import type { BaselineState, FileBaseline } from "../engine/baseline.js";
import { AFFECTED_INSTANCE, type Rule, type Severity } from "../engine/rule.js";
import type { Finding, RunResult } from "../engine/run.js";
import type { Origin, Region, SourceKind } from "../model/index.js";
import { causeText } from "./baseline-text.js";
import { evidenceText } from "./evidence.js";
import { findingMessage } from "./message.js";
import { HOMEPAGE, ruleDocUrl } from "./project.js";
import { defaultRepoPath, pathToUri, type RepoPathMapper, STDIN } from "./repo-path.js";
import type { FileResult } from "./result.js";
import { formatRuleDoc } from "./rule-doc.js";
import { unknownText } from "./text.js";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const SRCROOT = "%SRCROOT%";
/** GitHub code scanning accepts at most 25,000 results per run. */
export const MAX_RESULTS_PER_RUN = 25_000;
/**
 * GitHub code scanning rejects a result with more than 1,000 locations. A finding that affects a larger fleet
 * keeps its other locations and the first affected instances; `properties.instances` names every one.
 */
export const MAX_LOCATIONS_PER_RESULT = 1_000;

export interface SarifOptions {
  rules: readonly Rule[];
  tool: { name: string; version: string };
  repoPath?: RepoPathMapper;
  /** The configuration file the run used, relative to the repository root: a run property. */
  configFile?: string;
  /** For tests of the cap; default MAX_RESULTS_PER_RUN. */
  maxResultsPerRun?: number;
}

// The subset of the SARIF object model this tool writes.
type Level = "error" | "warning" | "note";
interface Message {
  text: string;
  markdown?: string;
}
interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  id?: number;
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion };
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  message?: Message;
}
interface SarifNotification {
  level: Level;
  message: Message;
  descriptor: { id: string };
  locations?: SarifLocation[];
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: "fail" | "review";
  level: Level;
  message: Message;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  /** Change review only (SARIF §3.27.24). */
  baselineState?: BaselineState;
  suppressions?: { kind: "inSource" | "external"; status: "accepted"; justification: string; location?: SarifLocation }[];
  properties: Record<string, unknown>;
}

const SOURCE_ORDER: readonly SourceKind[] = ["cloudformation", "terraform", "live"];
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Lines and columns ≥ 1, end never before start; a missing end is the start (a position, not a span). */
export function fullRegion(region: Region | undefined): SarifRegion {
  const startLine = Math.max(1, Math.trunc(region?.startLine ?? 1));
  const startColumn = Math.max(1, Math.trunc(region?.startColumn ?? 1));
  const endLine = Math.max(startLine, Math.trunc(region?.endLine ?? startLine));
  let endColumn = Math.max(1, Math.trunc(region?.endColumn ?? startColumn));
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

function ruleDescriptor(rule: Rule) {
  const m = rule.meta;
  const doc = formatRuleDoc(rule);
  return {
    id: m.id,
    name: m.name,
    shortDescription: { text: m.title },
    fullDescription: { text: m.description.length > 1024 ? `${m.description.slice(0, 1021)}...` : m.description },
    help: { text: doc, markdown: doc },
    helpUri: ruleDocUrl(m.id),
    defaultConfiguration: { level: m.severity },
    properties: {
      tags: ["session-manager", m.prerequisite, "aws", ...m.appliesTo].slice(0, 10),
      precision: "high",
      prerequisite: m.prerequisite,
    },
  };
}

class RunBuilder {
  readonly notifications: SarifNotification[] = [];
  private readonly outside = new Set<string>();

  constructor(
    private readonly repoPath: RepoPathMapper,
    private readonly result: RunResult,
  ) {}

  location(origin: Origin, extra: { id?: number; message?: string; name?: string } = {}): SarifLocation | undefined {
    const out: SarifLocation = {};
    if (extra.id !== undefined) out.id = extra.id;
    if (origin.file) {
      const mapped = this.repoPath(origin.file);
      if (!mapped.inRoot) this.outside.add(mapped.path);
      out.physicalLocation = {
        artifactLocation: { uri: pathToUri(mapped.path), ...(mapped.inRoot ? { uriBaseId: SRCROOT } : {}) },
        region: fullRegion(origin.region ?? this.result.world.locate?.(origin)),
      };
    }
    const logical = origin.arn ?? origin.id;
    if (logical) out.logicalLocations = [{ name: extra.name ?? origin.id ?? logical, fullyQualifiedName: logical, kind: "resource" }];
    if (!out.physicalLocation && !out.logicalLocations) return undefined;
    if (extra.message) out.message = { text: extra.message };
    return out;
  }

  /** An input file as the artifact URIs name it (repository-relative, never absolute). */
  fileName(file: string): string {
    return this.repoPath(file).path;
  }

  outsideRootNotifications(): SarifNotification[] {
    return [...this.outside].sort().map((path) => ({
      level: "warning",
      descriptor: { id: "outside-repository-root" },
      message: {
        text:
          path === STDIN
            ? `${STDIN} is standard input, no file in the repository, so GitHub cannot annotate it.`
            : `${path} is outside the repository root (--sarif-root), so GitHub cannot annotate it; its path is kept as given.`,
      },
    }));
  }
}

function key(l: SarifLocation): string {
  const p = l.physicalLocation;
  return p
    ? `${p.artifactLocation.uri}:${p.region.startLine}:${p.region.startColumn}`
    : (l.logicalLocations?.[0]?.fullyQualifiedName ?? "");
}

function messageText(f: Finding, rules: readonly Rule[]): string {
  const parts = [findingMessage(f, rules)];
  const evidence = f.evidence.slice(0, 10).map((e) => `- ${evidenceText(e, f.source)}`);
  if (f.evidence.length > 10) evidence.push(`- … and ${f.evidence.length - 10} more`);
  if (evidence.length > 0) parts.push(`Evidence:\n${evidence.join("\n")}`);
  const unknowns = f.unknowns.slice(0, 5).map((u) => `- ${unknownText(u)}`);
  if (unknowns.length > 0) parts.push(`Unknown:\n${unknowns.join("\n")}`);
  return parts.join("\n\n");
}

function toResult(f: Finding, builder: RunBuilder, ruleIndex: Map<string, number>, rules: readonly Rule[]): SarifResult {
  const primary = builder.location(f.location, { name: f.subject.name });
  let related: SarifLocation[] = [];
  const seen = new Set<string>(primary ? [key(primary)] : []);
  const instanceLocations = new Set<SarifLocation>();
  const add = (origin: Origin, message: string, name?: string, instance = false) => {
    const loc = builder.location(origin, { id: related.length + 1, message, ...(name ? { name } : {}) });
    if (!loc || seen.has(key(loc))) return;
    seen.add(key(loc));
    related.push(loc);
    if (instance) instanceLocations.add(loc);
  };
  if (f.location !== f.subject.origin) add(f.subject.origin, `the resource: ${f.subject.name}`, f.subject.name);
  for (const r of f.related) add(r.origin, `${r.label}: ${r.name}`, r.name, r.label === AFFECTED_INSTANCE);
  for (const e of f.evidence) if (e.origin) add(e.origin, evidenceText(e, f.source));
  let omitted = 0;
  const room = MAX_LOCATIONS_PER_RESULT - (primary ? 1 : 0);
  if (related.length > room) {
    let instancesKept = room - (related.length - instanceLocations.size);
    related = related.filter((loc) => !instanceLocations.has(loc) || instancesKept-- > 0).slice(0, room);
    omitted = instanceLocations.size - related.filter((loc) => instanceLocations.has(loc)).length;
    related.forEach((loc, i) => {
      loc.id = i + 1;
    });
  }
  const unknown = f.verdict === "unknown";
  const result: SarifResult = {
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
    kind: unknown ? "review" : "fail",
    level: unknown ? "note" : f.severity,
    message: { text: messageText(f, rules) },
    locations: primary ? [primary] : [],
    partialFingerprints: { "ssmDoctor/v1": f.fingerprint },
    properties: {
      prerequisite: f.prerequisite,
      verdict: f.verdict,
      subject: f.subject.key,
      instances: f.instances.map((i) => i.name),
      ...(omitted > 0 ? { instancesWithoutRelatedLocation: omitted } : {}),
    },
  };
  if (related.length > 0) result.relatedLocations = related;
  if (f.suppression) {
    const at = f.suppression.origin ? builder.location(f.suppression.origin) : undefined;
    result.suppressions = [
      {
        kind: f.suppression.kind,
        status: "accepted",
        justification: `${f.suppression.reason} (${f.suppression.source})`,
        ...(at ? { location: at } : {}),
      },
    ];
  }
  return result;
}

function sourceNotifications(file: string, result: RunResult, builder: RunBuilder): SarifNotification[] {
  const out: SarifNotification[] = [];
  for (const note of result.notes) {
    const at = note.origin ? builder.location(note.origin) : undefined;
    out.push({
      level: note.level === "warning" ? "warning" : "note",
      descriptor: { id: note.code },
      message: { text: `${builder.fileName(file)}: ${note.message}` },
      ...(at ? { locations: [at] } : {}),
    });
  }
  for (const e of result.expiredSuppressions) {
    out.push({
      level: "warning",
      descriptor: { id: "expired-suppression" },
      message: {
        text: `The suppression of ${e.ruleId}${e.resource ? ` for ${e.resource}` : ""} in ${e.source} expired on ${e.expires}; it no longer applies.`,
      },
    });
  }
  return out;
}

function buildRun(source: SourceKind, files: FileResult[], options: SarifOptions) {
  const repoPath = options.repoPath ?? defaultRepoPath;
  const ruleIndex = new Map(options.rules.map((r, i) => [r.meta.id, i]));
  const notifications: SarifNotification[] = [];
  const ranked: { finding: Finding; result: SarifResult; absent?: boolean }[] = [];
  const outside: SarifNotification[] = [];
  let planLocations = false;
  for (const { file, result, baseline } of files) {
    const builder = new RunBuilder(repoPath, result);
    notifications.push(...sourceNotifications(file, result, builder));
    for (const f of result.findings) {
      const sarif = toResult(f, builder, ruleIndex, options.rules);
      if (baseline) withBaselineState(sarif, f, baseline);
      ranked.push({ finding: f, result: sarif });
      if (source === "terraform" && /\.json$/i.test(f.location.file ?? "")) planLocations = true;
    }
    outside.push(...builder.outsideRootNotifications());
    if (baseline && baseline.absent.length > 0) {
      // Fixed findings, located in the base's file (SARIF: baselineState "absent").
      const { locate: _current, ...world } = result.world;
      const base = new RunBuilder(repoPath, {
        ...result,
        world: baseline.absentLocate ? { ...world, locate: baseline.absentLocate } : world,
      });
      for (const f of baseline.absent) {
        const sarif = toResult(f, base, ruleIndex, options.rules);
        sarif.baselineState = "absent";
        ranked.push({ finding: f, result: sarif, absent: true });
      }
      outside.push(...base.outsideRootNotifications());
    }
  }
  if (planLocations) {
    notifications.push({
      level: "warning",
      descriptor: { id: "plan-locations" },
      message: {
        text: "Findings point at the plan JSON, which is usually not in the repository: GitHub cannot annotate it. Pass --tf-root to point them at the .tf lines.",
      },
    });
  }
  const seenOutside = new Set<string>();
  for (const n of outside) {
    if (seenOutside.has(n.message.text)) continue;
    seenOutside.add(n.message.text);
    notifications.push(n);
  }
  // Most severe first; suppressed results after the rest, so a cap drops them first.
  ranked.sort(
    (a, b) =>
      Number(Boolean(a.absent)) - Number(Boolean(b.absent)) ||
      Number(Boolean(a.finding.suppression)) - Number(Boolean(b.finding.suppression)) ||
      Number(a.finding.verdict === "unknown") - Number(b.finding.verdict === "unknown") ||
      SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity],
  );
  const max = options.maxResultsPerRun ?? MAX_RESULTS_PER_RUN;
  if (ranked.length > max) {
    notifications.push({
      level: "warning",
      descriptor: { id: "results-truncated" },
      message: {
        text: `${ranked.length} results exceed the limit of ${max} per run: the ${max} most severe are kept and ${ranked.length - max} left out. See the JSON report for all of them.`,
      },
    });
  }
  return {
    tool: {
      driver: {
        name: options.tool.name,
        version: options.tool.version,
        semanticVersion: options.tool.version,
        informationUri: HOMEPAGE,
        rules: options.rules.map(ruleDescriptor),
      },
    },
    automationDetails: { id: `ssm-doctor/${source}/` },
    originalUriBaseIds: { [SRCROOT]: { description: { text: "The repository root (--sarif-root)." } } },
    columnKind: "utf16CodeUnits",
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    results: ranked.slice(0, max).map((r) => r.result),
    ...(options.configFile ? { properties: { configuration: options.configFile } } : {}),
  };
}

/** A result's baselineState, and the input changes behind a new finding at the end of its message. */
function withBaselineState(sarif: SarifResult, f: Finding, baseline: FileBaseline): void {
  sarif.baselineState = baseline.states.get(f.fingerprint) ?? "new";
  const causes = baseline.causes.get(f.fingerprint) ?? [];
  if (causes.length > 0) sarif.message.text += `\n\nCaused by:\n${causes.map((c) => `- ${causeText(c)}`).join("\n")}`;
}

export function toSarif(files: FileResult[], options: SarifOptions) {
  const kinds = SOURCE_ORDER.filter((k) => files.some((f) => f.result.world.source === k));
  // A sweep: one run per account and region, told apart by its automation id.
  const scoped = files.filter((f) => f.scope);
  const runs = kinds.flatMap((kind) => {
    const own = files.filter((f) => f.result.world.source === kind && !f.scope);
    return own.length > 0 ? [buildRun(kind, own, options)] : [];
  });
  for (const f of scoped) {
    const run = buildRun(f.result.world.source, [f], options);
    run.automationDetails = { id: `ssm-doctor/${f.result.world.source}/${f.scope!.account}/${f.scope!.region}/` };
    runs.push(run);
  }
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs };
}

export function formatSarif(files: FileResult[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(files, options), null, 2)}\n`;
}
