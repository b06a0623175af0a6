/**
 * A Markdown summary for $GITHUB_STEP_SUMMARY or a pull-request comment: per instance the prerequisites
 * as a table, then each finding with its file and line, the message, and the evidence and fix folded
 * into a <details> block. Names from the input are escaped: a template must not inject HTML or links.
 */
import type { Rule } from "../engine/rule.js";
import type { CheckStatus, Finding } from "../engine/run.js";
import type { FileResult } from "./human.js";
import { formatMarkdownReview } from "./markdown-review.js";
import { instancePathChart } from "./mermaid.js";
import { type PathView, pathViews } from "./paths.js";
import { ruleDocUrl } from "./project.js";
import { sweepTable } from "./sweep.js";
import { findingDetails, findingMessage, inputText, originText, remediationFor } from "./text.js";

export interface MarkdownOptions {
  rules: readonly Rule[];
  /** At most this many findings are written in full (GitHub caps a step summary at 1 MiB). */
  maxFindings?: number;
  /** At most this many Mermaid path charts (one per failing instance). */
  maxCharts?: number;
}

const ICON: Record<CheckStatus, string> = { pass: "✅", fail: "❌", warn: "⚠️", unknown: "❔", suppressed: "🔕" };
const STATUS_WORD: Record<CheckStatus, string> = {
  pass: "pass",
  fail: "fail",
  warn: "warning",
  unknown: "unknown",
  suppressed: "suppressed: fails, accepted by a suppression with a reason",
};
const VERDICT: Record<CheckStatus, string> = {
  pass: "Session Manager should connect",
  fail: "Session Manager will not connect",
  warn: "Session Manager should connect (with warnings)",
  unknown: "cannot tell yet: some values are unknown",
  suppressed: "Session Manager should connect if the suppressed findings are right",
};

/** Text from the input, safe inside Markdown prose and table cells. */
export function escapeMarkdown(text: string): string {
  return inputText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const clean = inputText(text);
  const ticks = "`".repeat((clean.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0) + 1);
  return `${ticks}${clean.startsWith("`") || clean.endsWith("`") ? ` ${clean} ` : clean}${ticks}`;
}

export function fenced(lang: string, text: string): string {
  const ticks = "`".repeat(Math.max(3, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length + 1)));
  return `${ticks}${lang}\n${text.trimEnd()}\n${ticks}`;
}

function findingIcon(f: Finding): string {
  if (f.verdict === "unknown") return ICON.unknown;
  return f.severity === "error" ? ICON.fail : f.severity === "warning" ? ICON.warn : "ℹ️";
}

export function findingSection(f: Finding, result: FileResult["result"], rules: readonly Rule[]): string {
  const where = originText(f.location, result.world.locate);
  const label = f.verdict === "unknown" ? "unknown" : f.severity;
  const lines = [
    `${findingIcon(f)} **[${f.ruleId}](${ruleDocUrl(f.ruleId)}) ${f.ruleName}** (${label}) at ${where ? code(where) : escapeMarkdown(f.subject.name)}`,
    "",
    escapeMarkdown(findingMessage(f, rules)),
  ];
  const details = findingDetails(f);
  const fix = remediationFor(f, rules, result.world.source);
  if (details.length > 0 || fix) {
    lines.push("", `<details><summary>${fix ? "Evidence and fix" : "Evidence"}</summary>`, "");
    for (const d of details) lines.push(`- ${escapeMarkdown(d)}`);
    if (fix) lines.push("", `Fix (${fix.label}):`, "", fenced(fix.fence, fix.code));
    lines.push("", "</details>");
  }
  return lines.join("\n");
}

/** What was checked: per service the way the traffic goes, and every hop with its verdict, resource and why. */
function pathsSection(paths: PathView[]): string {
  const lines = ["<details><summary>Path hop by hop</summary>", ""];
  for (const p of paths) {
    lines.push(`- ${ICON[p.verdict]} ${p.service} via ${escapeMarkdown(p.routeText)}`);
    for (const h of p.hops) {
      const why = [...h.evidence.map((e) => e.text), ...h.unknowns.map((u) => u.text)];
      const resource = h.resource ? ` (${escapeMarkdown(h.resource.name)})` : "";
      lines.push(`  - ${ICON[h.verdict]} ${h.label}${resource}${why.length > 0 ? `: ${escapeMarkdown(why.join("; "))}` : ""}`);
    }
  }
  lines.push("", "</details>");
  return lines.join("\n");
}

export function formatMarkdown(files: FileResult[], options: MarkdownOptions): string {
  if (files.some((f) => f.baseline)) return formatMarkdownReview(files, options);
  const maxFindings = options.maxFindings ?? 200;
  const out: string[] = ["## ssm-doctor: can Session Manager reach the instances?", ""];
  const byStatus: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, unknown: 0, suppressed: 0 };
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let suppressed = 0;
  for (const { result } of files) {
    for (const i of result.instances) byStatus[i.status]++;
    for (const f of result.findings) {
      if (f.suppression) suppressed++;
      else if (f.verdict === "unknown" || f.severity === "note") notes++;
      else if (f.severity === "error") errors++;
      else warnings++;
    }
  }
  const instances = byStatus.pass + byStatus.fail + byStatus.warn + byStatus.unknown + byStatus.suppressed;
  const relying = byStatus.suppressed > 0 ? `, ${byStatus.suppressed} relying on suppressions` : "";
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const counts = [plural(errors, "error"), plural(warnings, "warning"), plural(notes, "note")];
  if (suppressed > 0) counts.push(`${suppressed} suppressed`);
  out.push(
    `**${plural(instances, "instance")}: ${byStatus.pass + byStatus.warn} will connect, ${byStatus.fail} will not, ${byStatus.unknown} unknown${relying}** · ${counts.join(", ")}`,
    "",
  );
  out.push(...sweepTable(files, true, escapeMarkdown));
  let written = 0;
  let left = 0;
  let charts = 0;
  const maxCharts = options.maxCharts ?? 20;
  for (const { file, result } of files) {
    out.push(`### ${code(file)}`, "");
    for (const note of result.notes) out.push(`> ${note.level === "warning" ? "⚠️" : "ℹ️"} ${escapeMarkdown(note.message)}`, "");
    for (const e of result.expiredSuppressions) {
      out.push(
        `> ⚠️ The suppression of ${e.ruleId}${e.resource ? ` for ${code(e.resource)}` : ""} in ${code(e.source)} expired on ${e.expires ?? "?"}; it no longer applies.`,
        "",
      );
    }
    if (result.instances.length === 0)
      out.push("No EC2 instances, launch templates or Auto Scaling groups: nothing for Session Manager to reach.", "");
    for (const inst of result.instances) {
      out.push(`#### ${ICON[inst.status]} ${escapeMarkdown(inst.name)} (${inst.kind}): ${VERDICT[inst.status]}`, "");
      out.push("| | Prerequisite | Status |", "|---|---|---|");
      for (const check of inst.checks) out.push(`| ${ICON[check.status]} | ${check.title} | ${STATUS_WORD[check.status]} |`);
      out.push("");
      // A chart per failing instance, up to a limit: a fleet's summary must stay readable (and under 1 MiB).
      const chart = inst.status === "fail" && charts < maxCharts ? instancePathChart(result, inst.key) : undefined;
      if (chart) {
        charts++;
        out.push(fenced("mermaid", chart), "");
      }
      const paths = pathViews(result, inst.key);
      if (paths.length > 0) out.push(pathsSection(paths), "");
    }
    const shown = result.findings.filter((f) => !f.suppression);
    if (shown.length > 0) out.push("#### Findings", "");
    for (const f of shown) {
      if (written >= maxFindings) {
        left++;
        continue;
      }
      written++;
      out.push(findingSection(f, result, options.rules), "");
    }
  }
  if (left > 0) out.push(`… and ${plural(left, "more finding")}: see the SARIF or JSON report for all of them.`, "");
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
