/**
 * A rule is data (meta, examples) plus a check over the analysed world. The check returns findings as
 * data; reporters alone write the words, from `meta.messages` templates and evidence codes.
 */
import type { Evidence } from "../analysis/verdict.js";
import type { Origin, Ref, SourceKind, UnknownReason } from "../model/index.js";
import type { RuleContext } from "./context.js";

export type Severity = "error" | "warning" | "note";
export type Prerequisite = "agent" | "endpoints" | "network" | "dns" | "iam" | "logging";

export const PREREQUISITES: readonly { id: Prerequisite; title: string }[] = [
  { id: "agent", title: "SSM Agent" },
  { id: "endpoints", title: "Path to the service endpoints" },
  { id: "network", title: "HTTPS 443 allowed on every hop" },
  { id: "dns", title: "DNS resolves the endpoints" },
  { id: "iam", title: "IAM permissions" },
  { id: "logging", title: "Session logging and encryption" },
];

/**
 * One source kind's examples: whole inputs (a CloudFormation template, a Terraform configuration's main.tf,
 * a fake account scenario), kept under rules/examples/<rule-name>/ and run by the RuleTester: the bad one
 * gives findings of this rule only, the good one none at all.
 */
export interface RuleExample {
  bad: string;
  good: string;
  /** Where the inputs are, relative to the repository root (the RuleTester lints them there; the docs link them). */
  files: { bad: string; good: string };
  /** Rules the bad input necessarily reports too, because they share its root cause (rare; the rule says why). */
  alsoReports?: string[];
}

export interface RuleExamples {
  cloudformation?: RuleExample;
  terraform?: RuleExample;
  live?: RuleExample;
}

export interface RuleMeta<M extends string> {
  id: string;
  name: string;
  title: string;
  /** Why this breaks Session Manager: a paragraph for the docs and `explain`. */
  description: string;
  prerequisite: Prerequisite;
  severity: Severity;
  appliesTo: SourceKind[];
  /** What the rule does when the value that decides it is unknown. */
  onUnknown: "skip" | "note" | "assume-fail";
  messages: Record<M, string>;
  /**
   * The fix per language. `{{subject|Default}}` stands for the culprit's key (logical id, Terraform address,
   * AWS id) and `{{name|Default}}` for its name, where they fit the language; `{{role|Default}}` and
   * `{{role.name|Default}}` for another element the finding names in `references` under "role" (the
   * instance's security group, its VPC…); otherwise, and in the docs, the default.
   */
  remediation: Remediation;
  /** A different fix for findings of one message (the general `remediation` would mislead there). */
  messageRemediation?: Partial<Record<M, Remediation>>;
  references: string[];
}

export interface Remediation {
  cloudformation?: string;
  terraform?: string;
  cli?: string;
}

/** The fix for a finding of this message: the message's own, else the rule's. */
export function remediationOf(meta: RuleMeta<string>, messageId: string): Remediation {
  return (meta.messageRemediation as Record<string, Remediation> | undefined)?.[messageId] ?? meta.remediation;
}

/** An element a finding is about, or the attribute where the fix goes. */
export interface Subject {
  key: Ref;
  name: string;
  origin: Origin;
}

/** The label of the related location that names an instance a finding affects. */
export const AFFECTED_INSTANCE = "affected instance";

export interface RelatedLocation {
  /** "affected instance", "endpoint security group", … (a short label, not a sentence). */
  label: string;
  name: string;
  origin: Origin;
}

/**
 * A message argument is data: a name, a number, a flag (for a `{{#flag}}…{{/flag}}` part of the message), or a
 * list of names (`instances`, `attributes`). The report writes the words; see src/report/message.ts.
 */
export type MessageArg = string | number | boolean | readonly string[];

export type MessageArgs = Record<string, MessageArg>;

export interface FindingDraft<M extends string> {
  messageId: M;
  args: MessageArgs;
  /** The culprit: where the fix goes. One finding per rule and subject. */
  subject: Subject;
  /** A more precise location inside the subject (the attribute), when known. */
  location?: Origin;
  /** The attribute path that identifies the finding inside the subject (for the fingerprint). */
  attribute?: string;
  /** "fail": the rule is violated; "unknown": the deciding value is unknown (reported as a note). */
  verdict: "fail" | "unknown";
  /** Overrides meta.severity for this finding (e.g. SD501 is a warning when DHMC may cover it). */
  severity?: Severity;
  /** Keys of the compute units this finding breaks. */
  instances: Ref[];
  evidence: Evidence[];
  unknowns?: UnknownReason[];
  related?: RelatedLocation[];
  /** Other elements the fix names, by their role in it ("instanceGroup", "vpc", "routeTable"…). */
  references?: Record<string, FixReference>;
}

/** An element a fix names besides the subject: its key (logical id, Terraform address, AWS id) and name. */
export interface FixReference {
  key: Ref;
  name: string;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  examples: RuleExamples;
  check(context: RuleContext): Iterable<FindingDraft<M>>;
}

/** Typed so that a wrong messageId fails to compile. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}
