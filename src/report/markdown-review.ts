/**
 * The Markdown report of a change review (pull-request comment, job summary): it leads with what the
 * change breaks and fixes, then per input the new and updated findings with the change behind each and
 * the path of every instance that fails (Mermaid, the hop the change broke marked new), the fixed
 * findings, and the unchanged ones folded into <details>.
 */
import type { Finding } from "../engine/run.js";
import { causeText, countsText, leadLines, reviewSummary } from "./baseline-text.js";
import { code, escapeMarkdown, fenced, findingSection, type MarkdownOptions } from "./markdown-finding.js";
import { instancePathChart } from "./mermaid.js";
import { findingMessage } from "./message.js";
import type { FileResult } from "./result.js";
import { originText } from "./text.js";

export function formatMarkdownReview(files: FileResult[], options: MarkdownOptions): string {
  const maxFindings = options.maxFindings ?? 200;
  const summary = reviewSummary(files);
  const [breaks, fixes] = leadLines(summary);
  const out: string[] = [
    "## ssm-doctor: what this change does to Session Manager",
    "",
    `${summary.breaks.length > 0 ? "❌" : "✅"} **${escapeMarkdown(breaks)}**`,
    "",
    `${summary.fixes.length > 0 ? "🔧" : "➖"} **${escapeMarkdown(fixes)}**`,
    "",
    `Findings: ${countsText(summary.counts)}.`,
    "",
  ];
  let written = 0;
  let left = 0;
  const write = (text: string) => {
    if (written >= maxFindings) {
      left++;
      return;
    }
    written++;
    out.push(text, "");
  };
  for (const { file, result, baseline } of files) {
    if (!baseline) continue;
    const against = baseline.baselineFile ? `compared with ${code(baseline.baselineFile)}` : "new input, no base";
    out.push(`### ${code(file)} (${against})`, "");
    for (const note of [...result.notes.map((n) => n.message), ...baseline.notes]) out.push(`> ℹ️ ${escapeMarkdown(note)}`, "");
    const visible = (f: Finding) => !f.suppression;
    const of = (state: string) => result.findings.filter((f) => baseline.states.get(f.fingerprint) === state && visible(f));
    const fresh = [...of("new"), ...of("updated")];
    if (fresh.length > 0) out.push("#### New and updated findings", "");
    for (const f of fresh) {
      const state = baseline.states.get(f.fingerprint);
      const causes = (baseline.causes.get(f.fingerprint) ?? []).map((c) => {
        const at = c.change.origin ? ` (${code(originText(c.change.origin))})` : "";
        return `- ${escapeMarkdown(causeText(c))}${at}`;
      });
      const head = `**${state === "new" ? "🆕 New" : "✏️ Updated"}:**`;
      write([head, findingSection(f, result, options.rules), ...(causes.length > 0 ? ["", "Caused by:", "", ...causes] : [])].join("\n"));
    }
    const failing = result.instances.filter((i) => i.status === "fail" && fresh.some((f) => f.instances.some((x) => x.key === i.key)));
    for (const inst of failing) {
      const chart = instancePathChart(result, inst.key, baseline.hopBreaks);
      if (chart) out.push(`Path of ${escapeMarkdown(inst.name)} to the endpoints:`, "", fenced("mermaid", chart), "");
    }
    const fixed = baseline.absent.filter(visible);
    if (fixed.length > 0) {
      out.push("#### Fixed by this change", "");
      for (const f of fixed) {
        const where = originText(f.location, baseline.absentLocate);
        out.push(
          `- ✅ **${f.ruleId} ${f.ruleName}** at ${where ? code(where) : escapeMarkdown(f.subject.name)}: ${escapeMarkdown(findingMessage(f, options.rules))}`,
        );
      }
      out.push("");
    }
    const unchanged = of("unchanged");
    if (unchanged.length > 0) {
      out.push(
        `<details><summary>${unchanged.length} unchanged finding${unchanged.length === 1 ? "" : "s"}, already in the base</summary>`,
        "",
      );
      for (const f of unchanged) {
        const where = originText(f.location, result.world.locate);
        out.push(
          `- **${f.ruleId} ${f.ruleName}** at ${where ? code(where) : escapeMarkdown(f.subject.name)}: ${escapeMarkdown(findingMessage(f, options.rules))}`,
        );
      }
      out.push("", "</details>", "");
    }
  }
  if (left > 0) out.push(`… and ${left} more finding${left === 1 ? "" : "s"}: see the SARIF or JSON report for all of them.`, "");
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
