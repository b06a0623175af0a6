/** The words: message templates, unknown reasons, locations and fixes. Only reporters import this (evidence: ./evidence.ts). */
import { type Rule, remediationOf } from "../engine/rule.js";
import type { Finding } from "../engine/run.js";
import type { Origin, SourceKind, UnknownReason } from "../model/index.js";

const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ANYWHERE = new RegExp(UNSAFE.source);
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from an input (a logical id, tag, name, file name, reason, an AWS answer) as the reports print it. Line
 * breaks and other control characters (ESC, C1), Unicode line separators and bidirectional overrides become
 * visible escapes (\n, \x1b, \u202e), so input cannot start a line, move the cursor or colour a terminal;
 * a leading "::…::" becomes "\::…::", so it cannot be read as a GitHub workflow command where a line starts
 * with it. Every reporter applies it where input text enters its words; JSON and SARIF encode the rest.
 */
export function inputText(text: string): string {
  // Most text has nothing to escape: a test is cheaper than two replacements that change nothing.
  if (!UNSAFE_ANYWHERE.test(text) && !text.includes("::")) return text;
  return text
    .replace(
      UNSAFE,
      (c) =>
        NAMED[c] ??
        (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : `\\u${c.charCodeAt(0).toString(16)}`),
    )
    .replace(/^(\s*)::(?=.*::)/s, "$1\\::");
}

/** Fill `{{name}}` placeholders with input text made safe; a missing argument stays visible rather than silently empty. */
export function fillTemplate(template: string, args: Record<string, string | number | boolean>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (name in args ? inputText(String(args[name])) : `{{${name}}}`));
}

export function unknownText(u: UnknownReason): string {
  return inputText(u.decide ? `${u.message} (to decide: ${u.decide})` : u.message);
}

/** "template.yaml:12:7" — never an absolute path: origins carry the path as the user gave it. */
export function originText(origin: Origin, locate?: (o: Origin) => Origin["region"]): string {
  const region = origin.region ?? locate?.(origin);
  if (origin.file) return inputText(region ? `${origin.file}:${region.startLine}:${region.startColumn}` : origin.file);
  return inputText(origin.arn ?? origin.id ?? "");
}

const FIX_LANGUAGE: Record<SourceKind, { key: "cloudformation" | "terraform" | "cli"; label: string; fence: string }> = {
  cloudformation: { key: "cloudformation", label: "CloudFormation", fence: "yaml" },
  terraform: { key: "terraform", label: "Terraform", fence: "hcl" },
  live: { key: "cli", label: "AWS CLI", fence: "sh" },
};

/** The fix in the input's own language (falling back to the AWS CLI), or undefined for unknown verdicts. */
export function remediationFor(
  finding: Finding,
  rules: readonly Rule[],
  source: SourceKind,
): { label: string; fence: string; code: string } | undefined {
  if (finding.verdict !== "fail") return undefined;
  const rule = rules.find((r) => r.meta.id === finding.ruleId);
  if (!rule) return undefined;
  const fixes = remediationOf(rule.meta, finding.messageId);
  const lang = FIX_LANGUAGE[source];
  const own = fixes[lang.key];
  if (own) return { label: lang.label, fence: lang.fence, code: fillFix(own, finding.subject, lang.key, finding.references) };
  return fixes.cli ? { label: "AWS CLI", fence: "sh", code: fillFix(fixes.cli, finding.subject, "cli", finding.references) } : undefined;
}

/** Names that stand as they are in each language: a logical id, a root-module address, an AWS id or name. */
const FITS: Record<"cloudformation" | "terraform" | "cli", RegExp> = {
  cloudformation: /^[A-Za-z0-9]+$/,
  terraform: /^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+(\[(\d+|"[A-Za-z0-9_.-]*")\])?$/,
  cli: /^[A-Za-z0-9_+=,.@:/-]+$/,
};

/**
 * `{{subject|Default}}` / `{{name|Default}}` in a fix → the culprit's key or name, `{{role|Default}}` /
 * `{{role.name|Default}}` → the key or name of the element referenced as `role`, when it fits the language
 * (and, for a default like `sg-…`, has the same prefix), else the default. `{{subject.label|Default}}` → the
 * label of a Terraform resource block (`app` for `aws_security_group.app`; one without count or for_each).
 * Without a subject: the default.
 */
export function fillFix(
  code: string,
  subject: { key: string; name: string } | undefined,
  lang: "cloudformation" | "terraform" | "cli",
  references: Record<string, { key: string; name: string }> = {},
): string {
  return code.replace(/\{\{(\w+)(\.name|\.label)?\|([^}]*)\}\}/g, (_, which: string, part: string | undefined, fallback: string) => {
    if (!subject) return fallback;
    const element = which === "subject" || which === "name" ? subject : references[which];
    const value = element ? (which === "name" || part === ".name" ? element.name : element.key) : undefined;
    if (!value || !FITS[lang].test(value)) return fallback;
    if (part === ".label") return lang === "terraform" && !value.endsWith("]") ? value.slice(value.indexOf(".") + 1) : fallback;
    if (fallback.endsWith("…") && !value.startsWith(fallback.slice(0, -1))) return fallback;
    return value;
  });
}
