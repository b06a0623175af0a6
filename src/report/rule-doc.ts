/** A rule's documentation, from its metadata and examples: `explain`, and docs/rules/<id>.md. */
import type { Remediation, Rule } from "../engine/rule.js";
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
  const examples: string[] = [];
  const { cloudformation, terraform, live } = rule.examples;
  if (cloudformation) {
    examples.push(
      `CloudFormation, fails:\n\n${fence("yaml", cloudformation.bad)}\n\nCloudFormation, passes:\n\n${fence("yaml", cloudformation.good)}`,
    );
  }
  if (terraform)
    examples.push(`Terraform, fails:\n\n${fence("hcl", terraform.bad)}\n\nTerraform, passes:\n\n${fence("hcl", terraform.good)}`);
  if (live) examples.push(`Live account, fails: ${live.bad}\n\nLive account, passes: ${live.good}`);
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
    const when = (m.messages as Record<string, string>)[messageId] ?? messageId;
    fixes.push(`When the finding is "${when}":\n\n${fixesOf(r).join("\n\n")}`);
  }
  parts.push(`## The fix\n\n${fixes.join("\n\n")}`);
  parts.push(`## Unknown values\n\n${ON_UNKNOWN[m.onUnknown]}`);
  parts.push(`## Suppressing it\n\n${suppressionHelp(rule)}`);
  parts.push(
    `## Messages\n\n${Object.values(m.messages as Record<string, string>)
      .map((t) => `- ${t}`)
      .join("\n")}`,
  );
  parts.push(`## References\n\n${m.references.map((r) => `- ${r}`).join("\n")}`);
  return `${parts.join("\n\n")}\n`;
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
