/** Markdown pieces shared by the lint summary and the change review: safe text, code, and one finding's section. */
import type { Rule } from "../engine/rule.js";
import type { CheckStatus, Finding } from "../engine/run.js";
import { findingDetails } from "./evidence.js";
import { findingMessage } from "./message.js";
import { ruleDocUrl } from "./project.js";
import type { FileResult } from "./result.js";
import { inputText, originText, remediationFor } from "./text.js";

export interface MarkdownOptions {
  rules: readonly Rule[];
  /** At most this many findings are written in full (GitHub caps a step summary at 1 MiB). */
  maxFindings?: number;
  /** At most this many Mermaid path charts (one per failing instance). */
  maxCharts?: number;
}

export const ICON: Record<CheckStatus, string> = { pass: "✅", fail: "❌", warn: "⚠️", unknown: "❔", suppressed: "🔕" };

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
