/**
 * Two versions of a template → what changed, resource by resource, through @aws-cdk/cloudformation-diff:
 * its security-group changes (rules added and removed, inline or standalone), its IAM changes (statements
 * and managed policies) and the property changes of every other resource Session Manager depends on.
 * The library (and the AWS service specification it loads) is imported only here, lazily: `lint`
 * without a baseline never pays for it.
 */
import type { ChangeAction, ChangeCategory, InputChange, InputComparison, Origin, Ref } from "../../model/index.js";
import { escapePointerSegment } from "../common/json-pointer.js";
import { type ParsedTemplate, parseTemplate } from "./parse.js";
import type { Json } from "./positions.js";

type CfnDiffModule = typeof import("@aws-cdk/cloudformation-diff");
let library: Promise<CfnDiffModule> | undefined;

function loadLibrary(): Promise<CfnDiffModule> {
  library ??= import("@aws-cdk/cloudformation-diff").then((module) => {
    linearDifferences(module.DifferenceCollection);
    return module;
  });
  return library;
}

/** What the library's collections give a callback: one difference, by logical id. */
interface Change {
  isAddition?: boolean;
  isRemoval?: boolean;
  isUpdate?: boolean;
  isDifferent: boolean;
}

interface Collection {
  readonly changes: Record<string, Change>;
}

/**
 * The library's DifferenceCollection reads its `changes` (every difference, each asked whether it differs)
 * anew for every logical id in forEachDifference and filter, which fullDiff and this module call on the
 * resources: a template of n resources costs n² of those questions (2,000 instances: over 20 seconds). Both
 * methods are given the same loop over one reading of `changes`: the same differences in the same order (removed,
 * added, updated, others), the same callbacks, and nothing runs between the readings that could change them.
 */
export function linearDifferences(collection: CfnDiffModule["DifferenceCollection"]): void {
  const proto = collection.prototype as unknown as Record<string, unknown>;
  proto.forEachDifference = function forEachDifference(this: Collection, cb: (logicalId: string, change: Change) => unknown): void {
    const changes = this.changes;
    const removed: [string, Change][] = [];
    const added: [string, Change][] = [];
    const updated: [string, Change][] = [];
    const others: [string, Change][] = [];
    for (const logicalId of Object.keys(changes)) {
      const change = changes[logicalId]!;
      if (change.isAddition) added.push([logicalId, change]);
      else if (change.isRemoval) removed.push([logicalId, change]);
      else if (change.isUpdate) updated.push([logicalId, change]);
      else if (change.isDifferent) others.push([logicalId, change]);
    }
    for (const list of [removed, added, updated, others]) for (const [logicalId, change] of list) cb(logicalId, change);
  };
  proto.filter = function filter(this: Collection, predicate: (change: Change) => boolean) {
    const changes = this.changes;
    const kept: Record<string, Change> = {};
    for (const logicalId of Object.keys(changes)) {
      const change = changes[logicalId]!;
      if (predicate(change)) kept[logicalId] = change;
    }
    return new collection(kept as never);
  };
}

export interface TemplateVersion {
  file: string;
  text: string;
}

const SG = "AWS::EC2::SecurityGroup";
const STANDALONE_RULE: Record<string, "ingress" | "egress"> = {
  "AWS::EC2::SecurityGroupIngress": "ingress",
  "AWS::EC2::SecurityGroupEgress": "egress",
};
const INLINE_PROPERTY = { ingress: "SecurityGroupIngress", egress: "SecurityGroupEgress" } as const;
const IAM_POLICY_PROPERTIES = new Set(["Policies", "ManagedPolicyArns", "PolicyDocument", "AssumeRolePolicyDocument"]);

export function categoryOf(type: string): ChangeCategory | undefined {
  if (type.startsWith("AWS::EC2::SecurityGroup")) return "security-group";
  if (type.startsWith("AWS::IAM::") || type === "AWS::SSM::ServiceSetting") return "iam";
  if (type === "AWS::EC2::VPCEndpoint" || type === "AWS::Route53::HostedZone") return "endpoint";
  if (
    type === "AWS::EC2::Instance" ||
    type === "AWS::EC2::LaunchTemplate" ||
    type.startsWith("AWS::AutoScaling::") ||
    type === "AWS::SSM::Document"
  )
    return "compute";
  if (/^AWS::EC2::(VPC|Subnet|Route|NetworkAcl|NatGateway|InternetGateway|DHCPOptions|EIP|TransitGateway)/.test(type)) return "network";
  return undefined;
}

/** A value in a few words: JSON, cut short. */
export function shortValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** "${rGroup.GroupId}", "${rRole.Arn}", "${rRole}" → the logical id; anything else stays as it is. */
function logicalIdOf(rendered: string): string | undefined {
  const match = /^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}$/.exec(rendered.replace(/^AWS:/, ""));
  return match?.[1];
}

/** The group a standalone rule resource targets: { Ref: X } or { Fn::GetAtt: [X, GroupId] }. */
function groupOfRuleResource(properties: Record<string, Json> | undefined): string | undefined {
  const group = properties?.GroupId;
  if (group && typeof group === "object" && !Array.isArray(group)) {
    if (typeof group.Ref === "string") return group.Ref;
    const att = group["Fn::GetAtt"];
    if (Array.isArray(att) && typeof att[0] === "string") return att[0];
    if (typeof att === "string") return att.split(".")[0];
  }
  return undefined;
}

class Side {
  constructor(
    readonly file: string,
    readonly parsed: ParsedTemplate,
  ) {}

  resources(): Record<string, { Type?: string; Properties?: Record<string, Json>; Metadata?: Record<string, Json> }> {
    const resources = this.parsed.root.Resources;
    return resources && typeof resources === "object" && !Array.isArray(resources) ? (resources as never) : {};
  }

  typeOf(id: string): string | undefined {
    const type = this.resources()[id]?.Type;
    return typeof type === "string" ? type : undefined;
  }

  origin(id: string, property?: string): Origin {
    const base = `/Resources/${escapePointerSegment(id)}`;
    const withProperty = property ? `${base}/Properties/${escapePointerSegment(property)}` : base;
    const pointer = property && this.has(withProperty) ? withProperty : base;
    let region: Origin["region"];
    try {
      region = this.parsed.lines.region(this.parsed.spans.spanOf(this.parsed.root, pointer));
    } catch {
      region = undefined;
    }
    return { source: "cloudformation", file: this.file, pointer, id, ...(region ? { region } : {}) };
  }

  private has(pointer: string): boolean {
    let node: unknown = this.parsed.root;
    for (const raw of pointer.split("/").slice(1)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (!node || typeof node !== "object") return false;
      node = (node as Record<string, unknown>)[key];
    }
    return node !== undefined;
  }

  /** Construct path (CDK's aws:cdk:path metadata) → logical id. */
  constructPaths(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, resource] of Object.entries(this.resources())) {
      const path = resource.Metadata?.["aws:cdk:path"];
      if (typeof path === "string") out.set(path, id);
    }
    return out;
  }
}

function describeRule(rule: { describeProtocol(): string; describePeer(): string }, direction: "ingress" | "egress"): string {
  return `${rule.describeProtocol()} ${direction === "egress" ? "to" : "from"} ${rule.describePeer()}`;
}

type TemplateDiff = ReturnType<CfnDiffModule["fullDiff"]>;

/** The two sides of the comparison and what is found so far. */
interface Comparison {
  oldSide: Side;
  newSide: Side;
  changes: InputChange[];
  /** Old logical id → new logical id, for resources CDK renamed under the same construct path. */
  renamed: Map<Ref, Ref>;
}

/** Compare two templates (the old one first). Throws InputError when either is not a template. */
export async function compareCloudFormation(before: TemplateVersion, after: TemplateVersion): Promise<InputComparison> {
  const oldSide = new Side(before.file, parseTemplate(before.file, before.text));
  const newSide = new Side(after.file, parseTemplate(after.file, after.text));
  const { fullDiff } = await loadLibrary();
  const notes: string[] = [];
  const changes: InputChange[] = [];
  const renamed = renamedResources(oldSide, newSide);

  let diff: TemplateDiff;
  try {
    diff = fullDiff(oldSide.parsed.root, newSide.parsed.root);
  } catch (error) {
    notes.push(`the template change could not be read: ${(error as Error).message}`);
    return { changes, renamed, notes };
  }
  const comparison: Comparison = { oldSide, newSide, changes, renamed };
  securityGroupRuleChanges(comparison, diff);
  managedPolicyChanges(comparison, diff);
  policyStatementChanges(comparison, diff);
  resourceChanges(comparison, diff);
  return { changes, renamed, notes };
}

/** Logical ids CDK gave a new name under the same construct path. */
function renamedResources(oldSide: Side, newSide: Side): Map<Ref, Ref> {
  const renamed = new Map<Ref, Ref>();
  const newPaths = newSide.constructPaths();
  for (const [path, oldId] of oldSide.constructPaths()) {
    const newId = newPaths.get(path);
    if (newId && newId !== oldId) renamed.set(oldId, newId);
  }
  return renamed;
}

interface StandaloneRuleChange {
  key: string;
  type: string;
  action: ChangeAction;
}

/** Standalone rule resources that changed, by the group they target and their direction ("group|ingress"). */
function standaloneRuleChanges(diff: TemplateDiff): Map<string, StandaloneRuleChange[]> {
  const standalone = new Map<string, StandaloneRuleChange[]>();
  diff.resources.forEachDifference((id, difference) => {
    const type = difference.newResourceType ?? difference.oldResourceType ?? "";
    const direction = STANDALONE_RULE[type];
    if (!direction) return;
    const group = groupOfRuleResource((difference.newValue ?? difference.oldValue)?.Properties as Record<string, Json> | undefined);
    if (!group) return;
    const action: ChangeAction = difference.isAddition ? "added" : difference.isRemoval ? "removed" : "modified";
    const list = standalone.get(`${group}|${direction}`) ?? [];
    list.push({ key: id, type, action });
    standalone.set(`${group}|${direction}`, list);
  });
  return standalone;
}

/** Security group rules added and removed, inline or through a standalone rule resource. */
function securityGroupRuleChanges({ oldSide, newSide, changes }: Comparison, diff: TemplateDiff): void {
  const standalone = standaloneRuleChanges(diff);
  const groups = diff.securityGroupChanges;
  for (const direction of ["ingress", "egress"] as const) {
    for (const [action, rules] of [
      ["removed", groups[direction].removals],
      ["added", groups[direction].additions],
    ] as const) {
      for (const rule of rules) {
        const group = logicalIdOf(rule.groupId) ?? rule.groupId;
        const carrier = standalone.get(`${group}|${direction}`)?.find((change) => change.action === action || change.action === "modified");
        const side = action === "removed" ? oldSide : newSide;
        const text = describeRule(rule, direction);
        changes.push({
          resource: group,
          resourceType: side.typeOf(group) ?? SG,
          ...(carrier ? { via: { key: carrier.key, resourceType: carrier.type } } : { property: INLINE_PROPERTY[direction] }),
          action,
          category: "security-group",
          ...(action === "removed" ? { before: text } : { after: text }),
          origin: carrier ? side.origin(carrier.key) : side.origin(group, INLINE_PROPERTY[direction]),
        });
      }
    }
  }
}

/** Managed policies attached to or detached from a role of the template. */
function managedPolicyChanges({ oldSide, newSide, changes }: Comparison, diff: TemplateDiff): void {
  const iam = diff.iamChanges;
  for (const [action, attachments] of [
    ["removed", iam.managedPolicies.removals],
    ["added", iam.managedPolicies.additions],
  ] as const) {
    for (const attachment of attachments) {
      const identity = logicalIdOf(attachment.identityArn);
      if (!identity) continue;
      const side = action === "removed" ? oldSide : newSide;
      const arn = shortValue(attachment.managedPolicyArn);
      changes.push({
        resource: identity,
        resourceType: side.typeOf(identity) ?? "AWS::IAM::Role",
        property: "ManagedPolicyArns",
        action,
        category: "iam",
        ...(action === "removed" ? { before: arn } : { after: arn }),
        origin: side.origin(identity, "ManagedPolicyArns"),
      });
    }
  }
}

/** Policy statements added to or removed from an identity of the template. */
function policyStatementChanges({ oldSide, newSide, changes }: Comparison, diff: TemplateDiff): void {
  const iam = diff.iamChanges;
  for (const [action, statements] of [
    ["removed", iam.statements.removals],
    ["added", iam.statements.additions],
  ] as const) {
    for (const statement of statements) {
      const identity = statement.principals.values.map(logicalIdOf).find((id) => id !== undefined);
      if (!identity) continue; // a resource policy (bucket, key): not the agent's identity
      const side = action === "removed" ? oldSide : newSide;
      const type = side.typeOf(identity) ?? "AWS::IAM::Role";
      const rendered = statement.render();
      const text = `${rendered.effect} ${rendered.action.replace(/\s+/g, " ")} on ${rendered.resource.replace(/\s+/g, " ")}`;
      changes.push({
        resource: identity,
        resourceType: type,
        property: "Policies",
        action,
        category: "iam",
        ...(action === "removed" ? { before: shortValue(text) } : { after: shortValue(text) }),
        origin: side.origin(identity, "Policies"),
      });
    }
  }
}

/** Resources Session Manager depends on that were added, removed, or had a property changed. */
function resourceChanges({ oldSide, newSide, changes, renamed }: Comparison, diff: TemplateDiff): void {
  const renamedTo = new Set(renamed.values());
  const iam = diff.iamChanges;
  const iamChanged = iam.statements.hasChanges || iam.managedPolicies.hasChanges;
  diff.resources.forEachDifference((id, difference) => {
    const type = difference.newResourceType ?? difference.oldResourceType ?? "";
    const category = categoryOf(type);
    if (!category || STANDALONE_RULE[type]) return;
    if (difference.isAddition || difference.isRemoval) {
      // A logical id CDK renamed under the same construct path is the same resource, not a removal and an addition.
      if ((difference.isRemoval && renamed.has(id)) || (difference.isAddition && renamedTo.has(id))) return;
      const side = difference.isAddition ? newSide : oldSide;
      changes.push({
        resource: id,
        resourceType: type,
        action: difference.isAddition ? "added" : "removed",
        category,
        origin: side.origin(id),
      });
      return;
    }
    for (const [property, update] of Object.entries(difference.propertyUpdates)) {
      if (type === SG && (property === "SecurityGroupEgress" || property === "SecurityGroupIngress")) continue; // above, rule by rule
      if (category === "iam" && IAM_POLICY_PROPERTIES.has(property) && iamChanged) {
        if (property !== "AssumeRolePolicyDocument") continue;
      }
      if (property === "UserData") {
        changes.push({ resource: id, resourceType: type, property, action: "modified", category, origin: newSide.origin(id, property) });
        continue; // user data is never printed
      }
      const beforeText = shortValue(update.oldValue);
      const afterText = shortValue(update.newValue);
      changes.push({
        resource: id,
        resourceType: type,
        property,
        action: update.oldValue === undefined ? "added" : update.newValue === undefined ? "removed" : "modified",
        category,
        ...(beforeText !== undefined ? { before: beforeText } : {}),
        ...(afterText !== undefined ? { after: afterText } : {}),
        origin: update.newValue === undefined ? oldSide.origin(id, property) : newSide.origin(id, property),
      });
    }
  });
}
