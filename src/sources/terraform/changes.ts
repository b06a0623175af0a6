/**
 * Two plans (the base branch's and the change's) → what changed, resource by resource: resources added
 * or removed, the attributes of the others that differ in the planned values, and security group rules
 * (inline blocks and standalone rule resources) one by one, each with the group it belongs to. Moved
 * resources (`moved` blocks: a `previous_address` in the new plan) keep their identity.
 */
import type { ChangeAction, ChangeCategory, InputChange, InputComparison, Origin, Ref } from "../../model/index.js";
import { escapePointerSegment } from "../common/json-pointer.js";
import { parsePlan } from "./parse.js";
import { isObject, type Json, type JsonObject, type RawConfigModule, type RawExpressions, type RawPlan } from "./types.js";

export interface PlanVersion {
  file: string;
  text: string;
}

export function terraformCategoryOf(type: string): ChangeCategory | undefined {
  if (type.startsWith("aws_security_group") || type.startsWith("aws_vpc_security_group_")) return "security-group";
  if (type.startsWith("aws_iam_") || type === "aws_ssm_service_setting") return "iam";
  if (type.startsWith("aws_vpc_endpoint") || type.startsWith("aws_route53_zone")) return "endpoint";
  if (type === "aws_instance" || type === "aws_launch_template" || type.startsWith("aws_autoscaling_") || type === "aws_ssm_document")
    return "compute";
  if (/^aws_(vpc|subnet|route|network_acl|nat_gateway|internet_gateway|eip|default_)/.test(type)) return "network";
  return undefined;
}

/** Attributes that change without changing what Session Manager sees (or that must never be printed). */
const IGNORED = new Set(["tags", "tags_all", "id", "arn", "owner_id", "timeouts", "unique_id", "create_date"]);
const SECRET = /user_data|password|secret|private_key/;

interface Entry {
  address: string;
  type: string;
  values: JsonObject;
  unknown: JsonObject;
  index: number;
  previous?: string;
}

function entries(plan: RawPlan): Map<string, Entry> {
  const out = new Map<string, Entry>();
  (plan.resource_changes ?? []).forEach((rc, index) => {
    if (!rc.address || rc.mode === "data" || rc.deposed) return;
    const actions = rc.change?.actions ?? [];
    if (actions.length === 1 && actions[0] === "delete") return; // not in the planned world
    const previous = (rc as { previous_address?: unknown }).previous_address;
    out.set(rc.address, {
      address: rc.address,
      type: rc.type ?? "",
      values: isObject(rc.change?.after) ? rc.change.after : {},
      unknown: isObject(rc.change?.after_unknown) ? rc.change.after_unknown : {},
      index,
      ...(typeof previous === "string" ? { previous } : {}),
    });
  });
  return out;
}

/** Configuration expressions by resource address without instance keys ("module.net.aws_sg.x"). */
function configExpressions(plan: RawPlan): Map<string, RawExpressions> {
  const out = new Map<string, RawExpressions>();
  const walk = (module: RawConfigModule | undefined, prefix: string, depth: number) => {
    if (!module || depth > 20) return;
    for (const r of module.resources ?? []) if (r.expressions) out.set(`${prefix}${r.address}`, r.expressions);
    for (const [name, call] of Object.entries(module.module_calls ?? {})) walk(call.module, `${prefix}module.${name}.`, depth + 1);
  };
  walk(plan.configuration?.root_module, "", 0);
  return out;
}

function withoutKeys(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

function modulePrefix(address: string): string {
  const m = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)/.exec(address);
  return m?.[1] ?? "";
}

function describeRuleValues(values: JsonObject, direction: "ingress" | "egress", referenced: string[] = []): string {
  const protocol = String(values.protocol ?? values.ip_protocol ?? "?");
  const proto = protocol === "-1" ? "all traffic" : protocol.toUpperCase();
  const from = values.from_port;
  const to = values.to_port;
  const ports = protocol === "-1" ? "" : from === to ? ` ${from}` : ` ${from}-${to}`;
  const peers: string[] = [];
  for (const key of ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"]) {
    const v = values[key];
    if (Array.isArray(v)) peers.push(...v.map(String));
  }
  for (const key of ["cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id", "source_security_group_id"]) {
    const v = values[key];
    if (typeof v === "string" && v !== "") peers.push(v);
  }
  if (values.self === true) peers.push("itself");
  if (peers.length === 0) peers.push(...referenced);
  const peer = peers.length > 0 ? peers.join(", ") : "a peer known at apply";
  return `${proto}${ports} ${direction === "egress" ? "to" : "from"} ${peer}`;
}

function shortJson(value: Json | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The standalone rule resources: their direction, from the type or the `type` argument. */
function ruleDirection(entry: Entry): "ingress" | "egress" | undefined {
  if (entry.type === "aws_vpc_security_group_egress_rule") return "egress";
  if (entry.type === "aws_vpc_security_group_ingress_rule") return "ingress";
  if (entry.type === "aws_security_group_rule") return entry.values.type === "egress" ? "egress" : "ingress";
  return undefined;
}

/** One of the two plans: its file, its resources in the planned world, and its configuration's expressions. */
interface PlanSide {
  file: string;
  entries: Map<string, Entry>;
  expressions: Map<string, RawExpressions>;
}

function sideOf(version: PlanVersion): PlanSide {
  const plan = parsePlan(version.file, version.text).plan;
  return { file: version.file, entries: entries(plan), expressions: configExpressions(plan) };
}

function entryOrigin(file: string, entry: Entry, property?: string): Origin {
  return {
    source: "terraform",
    file,
    pointer: `/resource_changes/${entry.index}/change/after${property ? `/${escapePointerSegment(property)}` : ""}`,
    id: entry.address,
  };
}

/** The group a standalone rule belongs to: its configuration's reference, else its own address. */
function groupOf(side: PlanSide, entry: Entry): string {
  const expressions = side.expressions.get(withoutKeys(entry.address));
  const expr = expressions?.security_group_id;
  const refs = expr && !Array.isArray(expr) ? (expr.references ?? []) : [];
  const ref = refs.find((r) => /^aws_security_group\.[^.]+$/.test(r) || /^aws_security_group\.[^.]+\[/.test(r)) ?? refs[0];
  if (!ref) return entry.address;
  return `${modulePrefix(entry.address)}${ref.replace(/\.id$/, "")}`;
}

/** A standalone rule's peer when it is computed: what the configuration refers to. */
function peerRefs(side: PlanSide, entry: Entry): string[] {
  const expressions = side.expressions.get(withoutKeys(entry.address));
  const out: string[] = [];
  for (const key of ["referenced_security_group_id", "source_security_group_id", "cidr_ipv4", "cidr_blocks", "prefix_list_id"]) {
    const expr = expressions?.[key];
    const refs = expr && !Array.isArray(expr) ? (expr.references ?? []) : [];
    const ref = refs.find((r) => !r.endsWith(".id")) ?? refs[0];
    if (ref) out.push(ref.replace(/\.id$/, ""));
  }
  return out;
}

/** A resource only one plan has: a rule as a change of its group, anything else as itself. */
function wholeResourceChange(side: PlanSide, entry: Entry, action: ChangeAction): InputChange | undefined {
  const direction = ruleDirection(entry);
  if (direction) {
    const text = describeRuleValues(entry.values, direction, peerRefs(side, entry));
    return {
      resource: groupOf(side, entry),
      resourceType: "aws_security_group",
      via: { key: entry.address, resourceType: entry.type },
      action,
      category: "security-group",
      ...(action === "removed" ? { before: text } : { after: text }),
      origin: entryOrigin(side.file, entry),
    };
  }
  const category = terraformCategoryOf(entry.type);
  return category
    ? { resource: entry.address, resourceType: entry.type, action, category, origin: entryOrigin(side.file, entry) }
    : undefined;
}

/** Inline ingress or egress blocks of a group, compared rule by rule. */
function inlineRuleChanges(
  oldEntry: Entry,
  newEntry: Entry,
  key: "ingress" | "egress",
  category: ChangeCategory,
  files: { before: string; after: string },
): InputChange[] {
  const changes: InputChange[] = [];
  const oldValue = oldEntry.values[key];
  const newValue = newEntry.values[key];
  const oldRules = (Array.isArray(oldValue) ? oldValue : []).filter(isObject);
  const newRules = (Array.isArray(newValue) ? newValue : []).filter(isObject);
  const oldSet = new Set(oldRules.map((r) => JSON.stringify(r)));
  const newSet = new Set(newRules.map((r) => JSON.stringify(r)));
  for (const r of oldRules)
    if (!newSet.has(JSON.stringify(r)))
      changes.push({
        resource: newEntry.address,
        resourceType: newEntry.type,
        property: key,
        action: "removed",
        category,
        before: describeRuleValues(r, key),
        origin: entryOrigin(files.before, oldEntry, key),
      });
  for (const r of newRules)
    if (!oldSet.has(JSON.stringify(r)))
      changes.push({
        resource: newEntry.address,
        resourceType: newEntry.type,
        property: key,
        action: "added",
        category,
        after: describeRuleValues(r, key),
        origin: entryOrigin(files.after, newEntry, key),
      });
  return changes;
}

/** The attributes of a resource both plans have that differ (secrets named, never printed). */
function attributeChanges(oldEntry: Entry, newEntry: Entry, newSide: PlanSide, files: { before: string; after: string }): InputChange[] {
  const category = terraformCategoryOf(newEntry.type);
  if (!category) return [];
  const changes: InputChange[] = [];
  const direction = ruleDirection(newEntry);
  const keys = new Set([...Object.keys(oldEntry.values), ...Object.keys(newEntry.values)]);
  for (const key of keys) {
    if (IGNORED.has(key) || oldEntry.unknown[key] === true || newEntry.unknown[key] === true) continue;
    const oldValue = oldEntry.values[key];
    const newValue = newEntry.values[key];
    if (JSON.stringify(oldValue ?? null) === JSON.stringify(newValue ?? null)) continue;
    if (SECRET.test(key)) {
      changes.push({
        resource: newEntry.address,
        resourceType: newEntry.type,
        property: key,
        action: "modified",
        category,
        origin: entryOrigin(files.after, newEntry, key),
      });
      continue;
    }
    if (newEntry.type === "aws_security_group" && (key === "egress" || key === "ingress")) {
      changes.push(...inlineRuleChanges(oldEntry, newEntry, key, category, files));
      continue;
    }
    const beforeText = shortJson(oldValue);
    const afterText = shortJson(newValue);
    changes.push({
      resource: direction ? groupOf(newSide, newEntry) : newEntry.address,
      resourceType: direction ? "aws_security_group" : newEntry.type,
      ...(direction ? { via: { key: newEntry.address, resourceType: newEntry.type } } : {}),
      property: key,
      action: oldValue === undefined || oldValue === null ? "added" : newValue === undefined || newValue === null ? "removed" : "modified",
      category,
      ...(beforeText !== undefined ? { before: beforeText } : {}),
      ...(afterText !== undefined ? { after: afterText } : {}),
      origin: entryOrigin(files.after, newEntry, key),
    });
  }
  return changes;
}

export function compareTerraformPlans(before: PlanVersion, after: PlanVersion): InputComparison {
  const oldSide = sideOf(before);
  const newSide = sideOf(after);
  const oldEntries = oldSide.entries;
  const newEntries = newSide.entries;
  const files = { before: before.file, after: after.file };
  const changes: InputChange[] = [];

  const renamed = new Map<Ref, Ref>();
  for (const entry of newEntries.values())
    if (entry.previous && oldEntries.has(entry.previous) && !newEntries.has(entry.previous)) renamed.set(entry.previous, entry.address);
  const counterpart = (oldAddress: string) => newEntries.get(renamed.get(oldAddress) ?? oldAddress);

  const push = (change: InputChange | undefined) => {
    if (change) changes.push(change);
  };
  for (const entry of oldEntries.values()) if (!counterpart(entry.address)) push(wholeResourceChange(oldSide, entry, "removed"));
  const matchedNew = new Set([...oldEntries.keys()].map((a) => counterpart(a)?.address).filter(Boolean));
  for (const entry of newEntries.values()) if (!matchedNew.has(entry.address)) push(wholeResourceChange(newSide, entry, "added"));

  for (const oldEntry of oldEntries.values()) {
    const newEntry = counterpart(oldEntry.address);
    if (newEntry) changes.push(...attributeChanges(oldEntry, newEntry, newSide, files));
  }
  return { changes, renamed, notes: [] };
}
