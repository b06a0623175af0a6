/**
 * --check / --skip-check: which rules run, by id or name, as checkov's options of the same names.
 * The selection becomes severity overrides ("off"), so it composes with the configuration's `severity`.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { closest } from "fastest-levenshtein";
import { findRule, RULES } from "../../rules/index.js";
import type { Severity } from "../engine/rule.js";

/** Parses one comma-separated list of rule ids or names into ids; an unknown one names the closest rule. */
function parseRuleList(value: string, previous: string[] | undefined): string[] {
  const ids = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (ids.length === 0) throw new InvalidArgumentError("Expected rule ids or names, e.g. SD301,SD302.");
  const out = [...(previous ?? [])];
  for (const ref of ids) {
    const rule = findRule(ref);
    if (!rule) {
      const candidates = RULES.flatMap((r) => [r.meta.id, r.meta.name]);
      const near = findRule(closest(/^sd\d/i.test(ref) ? ref.toUpperCase() : ref.toLowerCase(), candidates));
      throw new InvalidArgumentError(
        `No rule ${ref}${near ? `; the closest is ${near.meta.id} (${near.meta.name})` : ""}. Run 'ssm-doctor rules' for the list.`,
      );
    }
    if (!out.includes(rule.meta.id)) out.push(rule.meta.id);
  }
  return out;
}

export interface RuleSelectionOptions {
  check?: string[];
  skipCheck?: string[];
}

export function addRuleSelectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--check <rules>", "run only these rules: ids or names, comma-separated (repeatable)")
        .argParser(parseRuleList)
        .env("SSM_DOCTOR_CHECK"),
    )
    .addOption(
      new Option("--skip-check <rules>", "do not run these rules: ids or names, comma-separated (repeatable)")
        .argParser(parseRuleList)
        .env("SSM_DOCTOR_SKIP_CHECK"),
    );
}

/**
 * The configuration's severity overrides with the command line's selection on top: --check turns every
 * other rule off (and turns on a rule the configuration has off: the command line wins), --skip-check
 * turns its rules off whatever else says.
 */
export function selectRules(
  configured: Record<string, Severity | "off"> | undefined,
  selection: RuleSelectionOptions,
): Record<string, Severity | "off"> | undefined {
  if (!selection.check && !selection.skipCheck) return configured;
  const out: Record<string, Severity | "off"> = {};
  for (const rule of RULES) {
    const { id, name } = rule.meta;
    const own = configured?.[id] ?? configured?.[name];
    let severity: Severity | "off" | undefined = own;
    if (selection.check) severity = selection.check.includes(id) ? (own === "off" ? undefined : own) : "off";
    if (selection.skipCheck?.includes(id)) severity = "off";
    if (severity !== undefined) out[id] = severity;
  }
  return out;
}
