/**
 * The words of change review: what a change breaks and fixes, and the input change behind a new finding
 * ("this change removed the egress rule … that let AppInstance reach the ssmmessages endpoint").
 */
import type { BaselineState, ChangeCause, FileBaseline } from "../engine/baseline.js";
import type { Finding } from "../engine/run.js";
import type { InputChange } from "../model/index.js";
import type { FileResult } from "./result.js";

export function stateOf(f: Finding, baseline: FileBaseline | undefined): BaselineState | undefined {
  return baseline?.states.get(f.fingerprint);
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const SG_DIRECTION: Record<string, string> = {
  SecurityGroupEgress: "egress",
  SecurityGroupIngress: "ingress",
  egress: "egress",
  ingress: "ingress",
  "AWS::EC2::SecurityGroupEgress": "egress",
  "AWS::EC2::SecurityGroupIngress": "ingress",
  aws_vpc_security_group_egress_rule: "egress",
  aws_vpc_security_group_ingress_rule: "ingress",
};

/** Values from the input are data: control characters and line breaks written as escapes. */
function printable(text: string | undefined): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
  return text?.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What the change did, without the consequence: "removed the egress rule TCP 443 to 10.0.0.0/16 of AppSg (SecurityGroupEgress)". */
export function changeText(change: InputChange): string {
  const c: InputChange = {
    ...change,
    resource: printable(change.resource)!,
    ...(change.property ? { property: printable(change.property)! } : {}),
    ...(change.before !== undefined ? { before: printable(change.before)! } : {}),
    ...(change.after !== undefined ? { after: printable(change.after)! } : {}),
    ...(change.via ? { via: { key: printable(change.via.key)!, resourceType: change.via.resourceType } } : {}),
  };
  const where = c.via
    ? `${c.via.key} (${c.via.resourceType})`
    : c.property
      ? `${c.resource} ${c.property}`
      : `${c.resource} (${c.resourceType})`;
  if (c.category === "security-group" && (c.before || c.after)) {
    const direction =
      SG_DIRECTION[c.property ?? ""] ??
      SG_DIRECTION[c.via?.resourceType ?? ""] ??
      (/egress/.test(c.before ?? c.after ?? "") ? "egress" : "");
    const rule = `the ${direction ? `${direction} ` : ""}rule ${c.action === "removed" ? c.before : c.after}`;
    const of = c.via ? `of ${c.resource} (${c.via.key})` : `of ${c.resource} (${c.property ?? c.resourceType})`;
    return `${c.action === "removed" ? "removed" : c.action === "added" ? "added" : "changed"} ${rule} ${of}`;
  }
  if (!c.property) return `${c.action} ${where}`;
  if (c.action === "modified") {
    if (c.before === undefined && c.after === undefined) return `changed ${where}`;
    return `changed ${where} from ${c.before ?? "(unset)"} to ${c.after ?? "(unset)"}`;
  }
  const value = c.action === "removed" ? c.before : c.after;
  return `${c.action === "removed" ? "removed" : "set"} ${where}${value ? ` ${c.action === "removed" ? "" : "to "}${value}`.replace("  ", " ") : ""}`;
}

/** One cause as a sentence, starting "this change …". */
export function causeText(cause: ChangeCause): string {
  const what = changeText(cause.change);
  if (cause.tie === "hop" && cause.services.length > 0) {
    const services = `the ${list(cause.services)} endpoint${cause.services.length === 1 ? "" : "s"}`;
    const link = cause.change.action === "added" ? ", which now stops" : " that let";
    return `this change ${what}${link} ${list(cause.instances)} ${cause.change.action === "added" ? "from reaching" : "reach"} ${services}`;
  }
  if (cause.tie === "kind") return `possibly related: this change ${what}`;
  return `this change ${what}`;
}

export interface ReviewSummary {
  /** "rEc2Instance (SD301 instance-egress-blocked)" per instance a new error breaks. */
  breaks: string[];
  fixes: string[];
  counts: Record<BaselineState, number>;
}

/** Instances a set of findings speaks for, each with the rules: "AppInstance (SD301, SD303)". */
function byInstance(findings: Finding[]): string[] {
  const rules = new Map<string, Set<string>>();
  for (const f of findings) {
    const names = f.instances.length > 0 ? f.instances.map((i) => i.name) : [f.subject.name];
    for (const n of names) {
      const set = rules.get(n) ?? new Set<string>();
      set.add(`${f.ruleId} ${f.ruleName}`);
      rules.set(n, set);
    }
  }
  return [...rules].map(([name, set]) => `${name} (${[...set].sort().join(", ")})`);
}

/** Breaks: new unsuppressed failures at error level; fixes: base failures at error level that are gone. */
export function reviewSummary(files: FileResult[]): ReviewSummary {
  const counts: Record<BaselineState, number> = { new: 0, updated: 0, unchanged: 0, absent: 0 };
  const broken: Finding[] = [];
  const fixed: Finding[] = [];
  for (const { result, baseline } of files) {
    if (!baseline) continue;
    for (const f of result.findings) {
      const state = baseline.states.get(f.fingerprint);
      if (!state) continue;
      counts[state]++;
      if (state === "new" && !f.suppression && f.verdict === "fail" && f.severity === "error") broken.push(f);
    }
    counts.absent += baseline.absent.length;
    for (const f of baseline.absent) if (!f.suppression && f.verdict === "fail" && f.severity === "error") fixed.push(f);
  }
  return { breaks: byInstance(broken), fixes: byInstance(fixed), counts };
}

export function leadLines(summary: ReviewSummary): [string, string] {
  return [
    `This change breaks Session Manager for: ${summary.breaks.length > 0 ? summary.breaks.join("; ") : "nothing"}`,
    `This change fixes: ${summary.fixes.length > 0 ? summary.fixes.join("; ") : "nothing"}`,
  ];
}

export function countsText(counts: Record<BaselineState, number>): string {
  return `${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.absent} fixed`;
}
