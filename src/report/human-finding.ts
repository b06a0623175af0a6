/** One finding as the terminal shows it (in a lint report and in a change review), and the colours. */
import { styleText } from "node:util";
import type { Rule } from "../engine/rule.js";
import type { Finding, RunResult } from "../engine/run.js";
import { evidenceText } from "./evidence.js";
import { findingMessage } from "./message.js";
import { inputText, originText, remediationFor, unknownText } from "./text.js";

export interface HumanOptions {
  color: boolean;
  quiet?: boolean;
  /** Show suppressed findings too. */
  verbose?: boolean;
}

export type Style = Parameters<typeof styleText>[0];

export function paint(color: boolean) {
  // The CLI decided already (--color always must colour a pipe too): styleText must not check the stream again.
  return (style: Style, text: string) => (color ? styleText(style, text, { validateStream: false }) : text);
}

const SEVERITY_STYLE: Record<string, Style> = { error: "red", warning: "yellow", note: "cyan" };

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => (l.length > 0 ? by + l : l))
    .join("\n");
}

export function findingBlock(f: Finding, result: RunResult, rules: readonly Rule[], c: ReturnType<typeof paint>): string {
  const lines: string[] = [];
  const where = originText(f.location, result.world.locate);
  const label = f.verdict === "unknown" ? "unknown" : f.severity;
  lines.push(`  ${c(SEVERITY_STYLE[f.severity] ?? "white", label.padEnd(7))} ${c("bold", f.ruleId)} ${f.ruleName}  ${c("dim", where)}`);
  lines.push(indent(findingMessage(f, rules), "    "));
  if (f.suppression) lines.push(c("dim", `    suppressed (${inputText(f.suppression.source)}): ${inputText(f.suppression.reason)}`));
  for (const e of f.evidence.slice(0, 6)) {
    const at = e.origin ? `  ${c("dim", originText(e.origin, result.world.locate))}` : "";
    lines.push(`    ${c("dim", "·")} ${evidenceText(e, f.source)}${at}`);
  }
  if (f.evidence.length > 6) lines.push(c("dim", `    · … and ${f.evidence.length - 6} more`));
  for (const u of f.unknowns.slice(0, 3)) lines.push(`    ${c("dim", "?")} ${unknownText(u)}`);
  const fix = remediationFor(f, rules, result.world.source);
  if (fix) {
    lines.push(`    ${c("bold", `fix (${fix.label}):`)}`);
    lines.push(c("green", indent(fix.code, "      ")));
  }
  return lines.join("\n");
}
