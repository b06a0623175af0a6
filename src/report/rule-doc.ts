/** A rule's documentation, from its metadata and examples: `explain`, and docs/rules/<id>.md. */
import type { Rule } from "../engine/rule.js";

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
  const fixes: string[] = [];
  if (m.remediation.cloudformation) fixes.push(`CloudFormation:\n\n${fence("yaml", m.remediation.cloudformation)}`);
  if (m.remediation.terraform) fixes.push(`Terraform:\n\n${fence("hcl", m.remediation.terraform)}`);
  if (m.remediation.cli) fixes.push(`AWS CLI:\n\n${fence("sh", m.remediation.cli)}`);
  parts.push(`## The fix\n\n${fixes.join("\n\n")}`);
  parts.push(`## Unknown values\n\n${ON_UNKNOWN[m.onUnknown]}`);
  parts.push(
    `## Messages\n\n${Object.values(m.messages as Record<string, string>)
      .map((t) => `- ${t}`)
      .join("\n")}`,
  );
  parts.push(`## References\n\n${m.references.map((r) => `- ${r}`).join("\n")}`);
  return `${parts.join("\n\n")}\n`;
}

export function formatRuleList(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `${r.meta.id}  ${r.meta.name.padEnd(32)} ${r.meta.severity.padEnd(8)} ${r.meta.prerequisite.padEnd(10)} ${r.meta.title}`,
  );
  return `${["ID     NAME                             SEVERITY PREREQ     TITLE", ...rows].join("\n")}\n\nRun 'ssm-doctor explain <id>' for a rule's documentation.\n`;
}
