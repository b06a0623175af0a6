/**
 * The terminal report: per instance the prerequisites as a checklist (✓ ✗ ! ?), then each finding with
 * its location, evidence, what would decide an unknown, and the fix in the input's own language.
 */
import type { Rule } from "../engine/rule.js";
import type { CheckStatus } from "../engine/run.js";
import { findingBlock, type HumanOptions, paint, type Style } from "./human-finding.js";
import { formatHumanReview } from "./human-review.js";
import { livePathLines } from "./live-paths.js";
import type { FileResult } from "./result.js";
import { VERDICT } from "./status.js";
import { sweepTable } from "./sweep.js";
import { inputText, originText } from "./text.js";

const MARK: Record<CheckStatus, string> = { pass: "✓", fail: "✗", warn: "!", unknown: "?", suppressed: "~" };
const MARK_STYLE: Record<CheckStatus, Style> = { pass: "green", fail: "red", warn: "yellow", unknown: "cyan", suppressed: "magenta" };
/** Printed when a mark beyond ✓ ✗ ! ? appears: ~ is not self-explanatory. */
const LEGEND = "✓ pass  ✗ fail  ! warning  ? unknown  ~ suppressed: fails, but a suppression with a reason accepts it (--verbose shows it)";

export function formatHuman(files: FileResult[], rules: readonly Rule[], options: HumanOptions): string {
  if (files.some((f) => f.baseline)) return formatHumanReview(files, rules, options);
  const c = paint(options.color);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let suppressed = 0;
  let instanceCount = 0;
  const byStatus: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, unknown: 0, suppressed: 0 };
  let suppressedMarks = false;
  out.push(...sweepTable(files, false, (s) => s));
  for (const { file, result } of files) {
    // --quiet: only what needs fixing (instances that will not connect, errors and warnings) and the summary.
    const section: string[] = [];
    for (const note of result.notes) {
      if (options.quiet && note.level !== "warning") continue;
      section.push(`  ${c(note.level === "warning" ? "yellow" : "dim", note.level)}: ${inputText(note.message)}`);
    }
    for (const e of result.expiredSuppressions) {
      section.push(
        `  ${c("yellow", "warning")}: the suppression of ${e.ruleId}${e.resource ? ` for ${inputText(e.resource)}` : ""} in ${inputText(e.source)} expired on ${e.expires}; it no longer applies`,
      );
    }
    if (result.instances.length === 0 && !options.quiet)
      section.push(c("dim", "  no EC2 instances, launch templates or Auto Scaling groups: nothing for Session Manager to reach"));
    for (const inst of result.instances) {
      instanceCount++;
      byStatus[inst.status]++;
      if (options.quiet && inst.status !== "fail") continue;
      section.push("");
      section.push(
        `  ${c(MARK_STYLE[inst.status], MARK[inst.status])} ${c("bold", inputText(inst.name))} ${c("dim", `(${inst.kind}, ${originText(inst.origin, result.world.locate)})`)}: ${VERDICT[inst.status]}`,
      );
      for (const check of inst.checks) {
        if (check.status === "suppressed") suppressedMarks = true;
        section.push(`      ${c(MARK_STYLE[check.status], MARK[check.status])} ${check.title}`);
      }
      if (result.instances.length <= 5 || inst.status !== "pass")
        section.push(...livePathLines(result, inst.key, (v, s) => c(MARK_STYLE[v === "unknown" ? "unknown" : v], s)));
    }
    const shown = result.findings.filter(
      (f) => (options.verbose || !f.suppression) && !(options.quiet && (f.severity === "note" || f.suppression)),
    );
    if (shown.length > 0) section.push("");
    for (const f of shown) section.push(findingBlock(f, result, rules, c), "");
    for (const f of result.findings) {
      if (f.suppression) suppressed++;
      else if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else notes++;
    }
    if (options.quiet && section.length === 0) continue;
    out.push(c("bold", inputText(file)), ...section, "");
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const parts = [plural(errors, "error"), plural(warnings, "warning"), plural(notes, "note")];
  if (suppressed > 0) parts.push(`${suppressed} suppressed`);
  const relying = byStatus.suppressed > 0 ? `, ${byStatus.suppressed} relying on suppressions` : "";
  const instanceSummary = `${plural(instanceCount, "instance")}: ${byStatus.pass + byStatus.warn} will connect, ${byStatus.fail} will not, ${byStatus.unknown} unknown${relying}`;
  if (suppressedMarks) out.push(c("dim", LEGEND));
  out.push(c("bold", `${instanceSummary} · ${parts.join(", ")}`));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
