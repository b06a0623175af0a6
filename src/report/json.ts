/**
 * The JSON report, schemaVersion 1 (documented in docs/json-output.md). Additive changes keep the
 * version; removing or renaming a field bumps it.
 */

import type { Rule } from "../engine/rule.js";
import type { Finding } from "../engine/run.js";
import type { Origin } from "../model/index.js";
import { reviewSummary } from "./baseline-text.js";
import { argumentsOf, evidenceText } from "./evidence.js";
import { baselineFields } from "./json-baseline.js";
import { type FileName, fileNamer, location } from "./json-location.js";
import { sharedPaths } from "./json-paths.js";
import { jsonPieces } from "./json-pieces.js";
import { findingMessage } from "./message.js";
import type { RepoPathMapper } from "./repo-path.js";
import type { FileResult } from "./result.js";
import { unknownText } from "./text.js";

export const JSON_SCHEMA_VERSION = 1;

export interface JsonOptions {
  /** Maps absolute input paths to repository-relative ones: a report never carries a path of the machine. */
  repoPath?: RepoPathMapper;
  /** The configuration file the run used, relative to the repository root. */
  configFile?: string;
}

function finding(f: Finding, rules: readonly Rule[], name: FileName, locate?: (o: Origin) => Origin["region"]) {
  return {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    prerequisite: f.prerequisite,
    severity: f.severity,
    verdict: f.verdict,
    message: findingMessage(f, rules),
    messageId: f.messageId,
    arguments: f.args,
    subject: { key: f.subject.key, name: f.subject.name },
    location: location(f.location, locate, name),
    instances: f.instances,
    evidence: f.evidence.map((e) => ({
      code: e.code,
      arguments: argumentsOf(e),
      text: evidenceText(e, f.source),
      location: e.origin ? location(e.origin, locate, name) : null,
    })),
    unknowns: f.unknowns.map((u) => ({ code: u.code, message: u.message, decide: u.decide ?? null, text: unknownText(u) })),
    related: f.related.map((r) => ({ label: r.label, name: r.name, location: location(r.origin, locate, name) })),
    fingerprint: f.fingerprint,
    suppression: f.suppression
      ? {
          reason: f.suppression.reason,
          source: f.suppression.source,
          kind: f.suppression.kind,
          location: f.suppression.origin ? location(f.suppression.origin, locate, name) : null,
        }
      : null,
  };
}

/**
 * The summary's counts: instances by status, unsuppressed findings by severity (unknown verdicts are
 * notes), suppressed findings. Shared by the report and by `merge`, which counts merged reports anew.
 */
export function summaryCounts(
  instances: readonly { status?: string }[],
  findings: readonly { severity?: string; suppression?: unknown }[],
) {
  const count = (status: string) => instances.filter((i) => i.status === status).length;
  const unsuppressed = findings.filter((f) => !f.suppression);
  const errors = unsuppressed.filter((f) => f.severity === "error").length;
  const warnings = unsuppressed.filter((f) => f.severity === "warning").length;
  return {
    instances: instances.length,
    connect: count("pass") + count("warn"),
    fail: count("fail"),
    unknown: count("unknown"),
    /** Instances that connect only if their suppressed findings are right. */
    suppressedInstances: count("suppressed"),
    errors,
    warnings,
    notes: unsuppressed.length - errors - warnings,
    suppressed: findings.length - unsuppressed.length,
  };
}

/**
 * What a list of the report holds: the elements themselves, or (for the report written in pieces) one stand-in
 * per element whose toJSON makes it when the writer comes to it, so that a fleet's instances and findings are not
 * all held at once before the first byte is written. The text is the same: JSON.stringify calls toJSON too.
 */
function listOf<Item, Element>(items: readonly Item[], make: (item: Item) => Element, lazy: boolean): Element[] {
  return lazy ? items.map((item) => ({ toJSON: () => make(item) }) as unknown as Element) : items.map(make);
}

export function toJsonReport(
  files: FileResult[],
  rules: readonly Rule[],
  tool: { name: string; version: string },
  options: JsonOptions = {},
  shared: WeakSet<object> = new WeakSet(),
) {
  return jsonReport(files, rules, tool, options, shared, false);
}

function jsonReport(
  files: FileResult[],
  rules: readonly Rule[],
  tool: { name: string; version: string },
  options: JsonOptions,
  shared: WeakSet<object>,
  lazy: boolean,
) {
  const name = fileNamer(options.repoPath);
  const out = files.map(({ file, result, baseline, scope }) => {
    // Instances whose paths read the same share one array (see json-paths.ts): it is added to `shared`.
    const paths = sharedPaths(result, shared);
    const where = scope ? { account: scope.account, region: scope.region } : {};
    return {
      file: name(file),
      source: result.world.source,
      ...(scope
        ? { ...where, ...(scope.accountName ? { accountName: scope.accountName } : {}), ...(scope.failed ? { failed: scope.failed } : {}) }
        : {}),
      notes: result.notes.map((n) => ({ level: n.level, code: n.code, message: n.message })),
      expiredSuppressions: result.expiredSuppressions.map((e) => ({
        ruleId: e.ruleId,
        resource: e.resource ?? null,
        expires: e.expires ?? null,
        source: e.source,
      })),
      instances: listOf(
        result.instances,
        (i) => ({
          key: i.key,
          name: i.name,
          kind: i.kind,
          status: i.status,
          ...where,
          location: location(i.origin, result.world.locate, name),
          checks: i.checks,
          // What was checked: per required service, the way and each hop with its verdict, resource and evidence.
          paths: paths(i.key),
        }),
        lazy,
      ),
      findings: listOf(result.findings, (f) => finding(f, rules, name, result.world.locate), lazy),
      ...(baseline ? baselineFields(result.findings, baseline, result.world.locate, (f, locate) => finding(f, rules, name, locate)) : {}),
    };
  });
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool,
    configuration: options.configFile ?? null,
    files: out,
    summary: {
      // The instances' statuses are the report's own (and are read here without making the instances).
      ...summaryCounts(
        files.flatMap((f) => f.result.instances),
        files.flatMap((f) => f.result.findings),
      ),
      ...(files.some((f) => f.baseline) ? { baseline: reviewSummary(files).counts } : {}),
    },
  };
}

export function formatJson(
  files: FileResult[],
  rules: readonly Rule[],
  tool: { name: string; version: string },
  options: JsonOptions = {},
): string {
  return `${JSON.stringify(toJsonReport(files, rules, tool, options), null, 2)}\n`;
}

/** The same text as formatJson, in pieces made while they are written (see json-pieces.ts). */
export function* jsonReportPieces(
  files: FileResult[],
  rules: readonly Rule[],
  tool: { name: string; version: string },
  options: JsonOptions = {},
): Generator<string> {
  // Laid out down to each instance's fields, so that the text of paths shared by instances is made once.
  const shared = new WeakSet<object>();
  yield* jsonPieces(jsonReport(files, rules, tool, options, shared, true), 5, shared);
  yield "\n";
}
