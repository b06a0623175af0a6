/**
 * A Markdown summary for $GITHUB_STEP_SUMMARY or a pull-request comment: per instance the prerequisites
 * as a table, then each finding with its file and line, the message, and the evidence and fix folded
 * into a <details> block. Names from the input are escaped: a template must not inject HTML or links.
 */
import type { CheckStatus } from "../engine/run.js";
import { code, escapeMarkdown, fenced, findingSection, ICON, type MarkdownOptions } from "./markdown-finding.js";
import { formatMarkdownReview } from "./markdown-review.js";
import { instancePathChart } from "./mermaid.js";
import { type PathView, pathViews } from "./paths.js";
import type { FileResult } from "./result.js";
import { VERDICT } from "./status.js";
import { sweepTable } from "./sweep.js";

const STATUS_WORD: Record<CheckStatus, string> = {
  pass: "pass",
  fail: "fail",
  warn: "warning",
  unknown: "unknown",
  suppressed: "suppressed: fails, accepted by a suppression with a reason",
};

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
