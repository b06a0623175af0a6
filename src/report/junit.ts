/**
 * JUnit XML for CI test tabs (GitLab, Jenkins, Azure): one <testsuite> per input file, one <testcase> per
 * instance and prerequisite. A failing prerequisite is a <failure> carrying its findings; an unknown one
 * is <skipped> with the reason, and so is one whose failure a suppression accepted (never a pass); a
 * warning passes (it does not stop Session Manager) and lists the warning in <system-out>.
 */
import type { Rule } from "../engine/rule.js";
import type { Finding } from "../engine/run.js";
import { findingDetails } from "./evidence.js";
import { findingMessage } from "./message.js";
import type { FileResult } from "./result.js";
import { inputText, originText } from "./text.js";

export interface JunitOptions {
  rules: readonly Rule[];
}

/** Text and attribute values: the five XML entities, and characters XML 1.0 cannot hold removed. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing what XML 1.0 forbids is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(" ");
}

function findingText(f: Finding, result: FileResult["result"], rules: readonly Rule[]): string {
  const where = originText(f.location, result.world.locate);
  const details = findingDetails(f).map((d) => `  - ${d}`);
  return [`${f.ruleId} ${f.ruleName} at ${where || inputText(f.subject.name)}: ${findingMessage(f, rules)}`, ...details].join("\n");
}

export function formatJunit(files: FileResult[], options: JunitOptions): string {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const { file: given, result, baseline } of files) {
    const file = inputText(given);
    // In a change review only new findings count: the others are in the base already.
    const counted = baseline ? result.findings.filter((f) => baseline.states.get(f.fingerprint) === "new") : result.findings;
    const byPrint = new Map(counted.map((f) => [f.fingerprint, f]));
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const inst of result.instances) {
      const name = inputText(inst.name);
      for (const check of inst.checks) {
        const findings = check.findings.map((p) => byPrint.get(p)).filter((f): f is Finding => Boolean(f));
        const text = findings.map((f) => findingText(f, result, options.rules)).join("\n\n");
        const head = `<testcase ${attrs({ classname: `${file}.${name}`, name: `${name}: ${check.title}`, file })}`;
        const status = baseline && findings.length === 0 ? "pass" : check.status;
        if (status === "fail") {
          suiteFailures++;
          const first = findings.find((f) => f.verdict === "fail") ?? findings[0];
          const message = first ? findingMessage(first, options.rules) : `${check.title}: the path fails`;
          const type = first?.ruleId ?? check.prerequisite;
          cases.push(`    ${head}>\n      <failure ${attrs({ message, type })}>${escapeXml(text || message)}</failure>\n    </testcase>`);
        } else if (status === "unknown") {
          suiteSkipped++;
          const first = findings[0];
          const message = first ? findingMessage(first, options.rules) : `${check.title}: not known from this input`;
          cases.push(`    ${head}>\n      <skipped ${attrs({ message })}/>\n    </testcase>`);
        } else if (status === "suppressed") {
          // Not verified to pass: a suppression accepted the failure. Skipped, with the reason, never passed.
          suiteSkipped++;
          const first = findings[0];
          const message = first?.suppression
            ? `suppressed (${first.suppression.source}): ${first.suppression.reason}`
            : `${check.title}: suppressed`;
          cases.push(
            `    ${head}>\n      <skipped ${attrs({ message })}/>${text ? `\n      <system-out>${escapeXml(text)}</system-out>` : ""}\n    </testcase>`,
          );
        } else if (status === "warn" && text) {
          cases.push(`    ${head}>\n      <system-out>${escapeXml(text)}</system-out>\n    </testcase>`);
        } else {
          cases.push(`    ${head}/>`);
        }
      }
    }
    const remarks = [
      ...result.notes.map((n) => `${n.level}: ${inputText(n.message)}`),
      ...result.expiredSuppressions.map(
        (e) =>
          `warning: the suppression of ${e.ruleId}${e.resource ? ` for ${inputText(e.resource)}` : ""} in ${inputText(e.source)} expired on ${e.expires}`,
      ),
    ];
    const out = remarks.length > 0 ? `\n    <system-out>${escapeXml(remarks.join("\n"))}</system-out>` : "";
    total += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite ${attrs({ name: file, tests: cases.length, failures: suiteFailures, errors: 0, skipped: suiteSkipped })}>` +
        (cases.length > 0 ? `\n${cases.join("\n")}` : "") +
        out +
        "\n  </testsuite>",
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs({ name: "ssm-doctor", tests: total, failures, errors: 0, skipped })}>\n${suites.join("\n")}\n</testsuites>\n`;
}
