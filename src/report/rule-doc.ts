/** A rule's documentation, from its metadata and examples: `explain`, and docs/rules/<id>.md. */
import { structuredPatch } from "diff";
import type { Remediation, Rule, RuleExample } from "../engine/rule.js";
import type { SourceKind } from "../model/index.js";
import { readableTemplate } from "./message.js";
import { ruleDocUrl } from "./project.js";
import { fillFix } from "./text.js";

const ON_UNKNOWN: Record<string, string> = {
  skip: "When the deciding value is unknown, the rule stays silent.",
  note: "When the deciding value is unknown (a parameter without a value, a resource outside the input, a value computed at apply), the rule reports a note saying why and what would decide it. Notes never fail a run unless `--strict`.",
  "assume-fail": "When the deciding value is unknown, the rule reports as if it failed.",
};

function fence(lang: string, text: string): string {
  return `\`\`\`${lang}\n${text.trimEnd()}\n\`\`\``;
}

export function formatRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const parts: string[] = [];
  parts.push(`# ${m.id} ${m.name}`);
  parts.push(`**${m.title}**`);
  parts.push(`Prerequisite: ${m.prerequisite} · default severity: ${m.severity} · applies to: ${m.appliesTo.join(", ")}`);
  parts.push(`## Why it breaks Session Manager\n\n${m.description}`);
  const examples = (["cloudformation", "terraform", "live"] as const).flatMap((kind) => {
    const example = rule.examples[kind];
    return example ? [formatExample(kind, example)] : [];
  });
  parts.push(`## Examples\n\n${examples.join("\n\n")}`);
  const fixesOf = (r: Remediation): string[] => {
    const fixes: string[] = [];
    if (r.cloudformation) fixes.push(`CloudFormation:\n\n${fence("yaml", fillFix(r.cloudformation, undefined, "cloudformation"))}`);
    if (r.terraform) fixes.push(`Terraform:\n\n${fence("hcl", fillFix(r.terraform, undefined, "terraform"))}`);
    if (r.cli) fixes.push(`AWS CLI:\n\n${fence("sh", fillFix(r.cli, undefined, "cli"))}`);
    return fixes;
  };
  const fixes = fixesOf(m.remediation);
  for (const [messageId, r] of Object.entries((m.messageRemediation ?? {}) as Record<string, Remediation>)) {
    const template = (m.messages as Record<string, string>)[messageId];
    const when = template === undefined ? messageId : readableTemplate(template, m.appliesTo);
    fixes.push(`When the finding is "${when}":\n\n${fixesOf(r).join("\n\n")}`);
  }
  parts.push(`## The fix\n\n${fixes.join("\n\n")}`);
  parts.push(`## Unknown values\n\n${ON_UNKNOWN[m.onUnknown]}`);
  parts.push(`## Suppressing it\n\n${suppressionHelp(rule)}`);
  parts.push(
    `## Messages\n\n${Object.values(m.messages as Record<string, string>)
      .map((t) => `- ${readableTemplate(t, m.appliesTo)}`)
      .join("\n")}`,
  );
  parts.push(`## References\n\n${m.references.map((r) => `- ${r}`).join("\n")}`);
  return `${parts.join("\n\n")}\n`;
}

const EXAMPLE_KIND: Record<SourceKind, { title: string; input: string; lang: string }> = {
  cloudformation: { title: "CloudFormation", input: "template", lang: "yaml" },
  terraform: { title: "Terraform", input: "configuration", lang: "hcl" },
  live: { title: "Live account", input: "fake account scenario", lang: "yaml" },
};

/** Inputs up to this many lines are shown whole; longer ones only where bad and good differ. */
const SHORT_INPUT_LINES = 24;
/** Unchanged lines shown around each difference. */
const CONTEXT_LINES = 2;

/** One kind's examples: the failing and the passing input, or of long inputs the lines where they differ. */
function formatExample(kind: SourceKind, example: RuleExample): string {
  const { title, input, lang } = EXAMPLE_KIND[kind];
  const link = (file: string) => `\`${file}\``;
  const short = Math.max(lineCount(example.bad), lineCount(example.good)) <= SHORT_INPUT_LINES;
  const shown = short ? example : differingLines(example.bad, example.good);
  const part = (other: string) => (short ? `the whole ${input}` : `where it differs from the ${other} ${input}`);
  const lines = [
    `${title}, fails (${part("passing")}, ${link(example.files.bad)}):`,
    fence(lang, shown.bad),
    `${title}, passes (${part("failing")}, ${link(example.files.good)}):`,
    fence(lang, shown.good),
  ];
  if (example.alsoReports?.length)
    lines.splice(2, 0, `The failing ${input} also reports ${example.alsoReports.join(", ")}, which shares its cause.`);
  if (kind === "live") lines.push("`extends` names the scenario of fixtures/accounts the input starts from.");
  return lines.join("\n\n");
}

function lineCount(text: string): number {
  return text.trimEnd().split("\n").length;
}

/**
 * The lines of each input that the other does not have, with a little context, the lines that enclose them
 * (the resource, the block) and the input's leading comment; `# …` marks what is left out.
 */
function differingLines(bad: string, good: string): { bad: string; good: string } {
  const { hunks } = structuredPatch("bad", "good", bad, good, "", "", { context: CONTEXT_LINES });
  const side = (text: string, keep: "-" | "+", start: (h: (typeof hunks)[number]) => number): string => {
    const lines = text.trimEnd().split("\n");
    const shown = new Set<number>();
    for (const hunk of hunks) {
      let at = start(hunk) - 1;
      for (const l of hunk.lines) if (l[0] === " " || l[0] === keep) shown.add(at++);
    }
    for (let i = 0; i < lines.length && lines[i]!.startsWith("#"); i++) shown.add(i);
    for (const i of [...shown]) if (!shown.has(i - 1)) for (const j of enclosingLines(lines, i)) shown.add(j);
    const out: string[] = [];
    lines.forEach((line, i) => {
      if (shown.has(i)) out.push(line);
      else if (shown.has(i - 1) || (i === 0 && !shown.has(0))) out.push("# …");
    });
    return out.join("\n");
  };
  return { bad: side(bad, "-", (h) => h.oldStart), good: side(good, "+", (h) => h.newStart) };
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The lines above line `i` that open what it is in: each the nearest one less indented than the last. */
function enclosingLines(lines: readonly string[], i: number): number[] {
  const out: number[] = [];
  let indent = indentOf(lines[i]!);
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const line = lines[j]!;
    if (line.trim() === "" || line.trimStart().startsWith("#") || indentOf(line) >= indent) continue;
    out.push(j);
    indent = indentOf(line);
  }
  return out;
}

/** Where a finding of this rule can be suppressed, always with a reason. */
function suppressionHelp(rule: Rule): string {
  const { id, appliesTo } = rule.meta;
  const ways: string[] = [];
  if (appliesTo.includes("cloudformation")) {
    ways.push(
      `CloudFormation, on the resource where the fix would go:\n\n${fence("yaml", `    Metadata:\n      ssm-doctor:\n        ignore:\n          - id: ${id}\n            reason: why this is fine here`)}`,
    );
  }
  if (appliesTo.includes("terraform")) {
    ways.push(
      `Terraform (read with \`--tf-root\`), inside the resource block:\n\n${fence("hcl", `  # ssm-doctor:ignore ${id} why this is fine here`)}`,
    );
  }
  ways.push(
    `Any source, in \`.ssm-doctor.yaml\` (\`expires\` is optional; after that date the entry stops suppressing and says so):\n\n${fence("yaml", `ignore:\n  - id: ${id}\n    resource: LogicalIdOrAddress*   # optional; a glob\n    reason: why this is fine here\n    expires: 2027-01-31`)}`,
  );
  ways.push(`Suppressed findings do not fail the run; SARIF keeps them with the reason as the justification.`);
  return ways.join("\n\n");
}

/** docs/rules/README.md: the index of the generated pages. */
export function formatRuleIndex(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.name} | ${r.meta.prerequisite} | ${r.meta.severity} | ${r.meta.title} |`,
  );
  return [
    "# Rules",
    "",
    "Generated from each rule's metadata by `npm run docs` (scripts/generate-rule-docs.ts); do not edit by hand.",
    "`ssm-doctor explain <id>` prints the same page in the terminal.",
    "",
    "| id | name | prerequisite | default severity | title |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** Every page of docs/rules/: file name → text. */
export function ruleDocPages(rules: readonly Rule[]): Map<string, string> {
  const pages = new Map<string, string>([["README.md", formatRuleIndex(rules)]]);
  for (const rule of rules) pages.set(`${rule.meta.id}.md`, formatRuleDoc(rule));
  return pages;
}

export function formatRuleList(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `${r.meta.id}  ${r.meta.name.padEnd(32)} ${r.meta.severity.padEnd(8)} ${r.meta.prerequisite.padEnd(10)} ${r.meta.title}`,
  );
  return `${["ID     NAME                             SEVERITY PREREQ     TITLE", ...rows].join("\n")}\n\nRun 'ssm-doctor explain <id>' for a rule's documentation.\n`;
}

/** Version of `rules --format json`; bumped only when a field changes meaning or goes away. */
export const RULE_LIST_SCHEMA_VERSION = 1;

/** `ssm-doctor rules --format json`: the rule list for machines (docs/json-output.md, "The rule list"). */
export function formatRuleListJson(rules: readonly Rule[], tool: { name: string; version: string }): string {
  const list = rules.map(({ meta }) => ({
    id: meta.id,
    name: meta.name,
    title: meta.title,
    description: meta.description,
    prerequisite: meta.prerequisite,
    severity: meta.severity,
    appliesTo: meta.appliesTo,
    onUnknown: meta.onUnknown,
    helpUri: ruleDocUrl(meta.id),
    references: meta.references,
  }));
  return `${JSON.stringify({ schemaVersion: RULE_LIST_SCHEMA_VERSION, tool, rules: list }, null, 2)}\n`;
}
