/**
 * The terminal report of a change review (diff, lint --baseline): first what the change breaks and
 * fixes, then per input the new findings in full with the change behind each, the updated ones, the
 * fixed ones in a line each, and the unchanged ones folded into a count.
 */
import type { Rule } from "../engine/rule.js";
import type { CheckStatus, Finding } from "../engine/run.js";
import { causeText, countsText, leadLines, reviewSummary } from "./baseline-text.js";
import { findingBlock, type HumanOptions, paint } from "./human-finding.js";
import { findingMessage } from "./message.js";
import type { FileResult } from "./result.js";
import { originText } from "./text.js";

const STATUS_WORD: Record<CheckStatus, string> = {
  pass: "should connect",
  warn: "should connect (with warnings)",
  fail: "will not connect",
  unknown: "cannot tell",
  suppressed: "should connect if its suppressed findings are right",
};

export function formatHumanReview(files: FileResult[], rules: readonly Rule[], options: HumanOptions): string {
  const c = paint(options.color);
  const summary = reviewSummary(files);
  const [breaks, fixes] = leadLines(summary);
  const out: string[] = [c(summary.breaks.length > 0 ? "red" : "bold", breaks), c(summary.fixes.length > 0 ? "green" : "bold", fixes), ""];
  for (const { file, result, baseline } of files) {
    if (!baseline) continue;
    const against = baseline.baselineFile ? `compared with ${baseline.baselineFile}` : "new input: no base to compare with";
    out.push(`${c("bold", file)} ${c("dim", `(${against})`)}`);
    for (const note of [...result.notes.map((n) => n.message), ...baseline.notes]) out.push(`  ${c("dim", "note")}: ${note}`);
    for (const inst of baseline.instances) {
      if (inst.before === inst.after) continue;
      const was = inst.before ? STATUS_WORD[inst.before] : "not in the base";
      const is = inst.after ? STATUS_WORD[inst.after] : "removed by the change";
      out.push(`  ${inst.after === "fail" ? c("red", "✗") : c("green", "✓")} ${c("bold", inst.name)}: ${was} → ${is}`);
    }
    const shown = (f: Finding) => (options.verbose || !f.suppression) && !(options.quiet && f.severity === "note");
    const of = (state: string) => result.findings.filter((f) => baseline.states.get(f.fingerprint) === state && shown(f));
    for (const [state, label] of [
      ["new", "new"],
      ["updated", "updated"],
    ] as const) {
      for (const f of of(state)) {
        out.push("", `  ${c(state === "new" ? "red" : "yellow", label)}`, findingBlock(f, result, rules, c));
        for (const cause of baseline.causes.get(f.fingerprint) ?? []) {
          const at = cause.change.origin ? `  ${c("dim", originText(cause.change.origin))}` : "";
          out.push(`    ${c("bold", "caused by:")} ${causeText(cause)}${at}`);
        }
      }
    }
    const fixed = baseline.absent.filter(shown);
    if (fixed.length > 0) out.push("");
    for (const f of fixed) {
      const where = originText(f.location, baseline.absentLocate);
      out.push(`  ${c("green", "fixed")}   ${c("bold", f.ruleId)} ${f.ruleName}  ${c("dim", where)}`);
      out.push(`    ${findingMessage(f, rules)}`);
    }
    const unchanged = of("unchanged");
    if (unchanged.length > 0) {
      const rulesList = [...new Set(unchanged.map((f) => f.ruleId))].sort().join(", ");
      out.push(
        "",
        c("dim", `  ${unchanged.length} unchanged finding${unchanged.length === 1 ? "" : "s"} (${rulesList}), already in the base`),
      );
    }
    out.push("");
  }
  out.push(c("bold", `Findings: ${countsText(summary.counts)}`));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
