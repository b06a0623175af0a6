/**
 * IAM: instance profiles, roles (trust policy, managed policy ARNs, inline policies, boundary),
 * customer managed policies, and the policies attached to roles from separate resources
 * (AWS::IAM::Policy, AWS::IAM::ManagedPolicy Roles, AWS::IAM::RolePolicy).
 */
import {
  defaulted,
  type InlinePolicy,
  known,
  type PolicyRef,
  type Ref,
  type Role,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { mayNameTemplateResource, openReason, type Template } from "./template.js";
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

/** `arn:<partition>:iam::aws:policy/[path/]Name` → an AWS managed policy (ARN normalized to the aws partition). */
export function policyRefOf(template: Template, ev: Evaluated, label: string, pointer: string): Value<PolicyRef> {
  const origin = template.origin(ev.at ?? pointer);
  if (ev.kind === "ref" && ev.type === ResourceType.managedPolicy) return known({ kind: "element", ref: ev.id }, origin);
  if (ev.kind === "scalar" && typeof ev.value === "string") {
    const match = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(ev.value.trim());
    if (match) {
      const path = match[1]!;
      return known({ kind: "aws-managed", arn: `arn:aws:iam::aws:policy/${path}`, name: path.slice(path.lastIndexOf("/") + 1) }, origin);
    }
    return known({ kind: "external-arn", arn: ev.value.trim() }, origin);
  }
  return template.unknownFrom(ev, label, pointer);
}

/**
 * The template's roles a policy resource names. A role it may name without its being known which (a condition left
 * open: `Roles: [!If [c, !Ref A, !Ref B]]`) makes every other role of the template one it `maybe` names, with why.
 */
function roleKeys(template: Template, resource: ResourceInfo, property: string): { key: Ref; pointer: string; maybe?: UnknownReason }[] {
  const ev = template.prop(resource, property);
  const items = ev.kind === "list" ? ev.items : ev.kind === "none" ? [] : [ev];
  const out: { key: Ref; pointer: string; maybe?: UnknownReason }[] = [];
  let open: { maybe: UnknownReason; pointer: string } | undefined;
  items.forEach((item, i) => {
    const pointer = item.at ?? template.propertyPointer(resource, property, i);
    if (item.kind === "ref" && item.type === ResourceType.role) out.push({ key: item.id, pointer });
    // A role's name written out (Roles takes names): the template's role of that RoleName, when it has one.
    else if (item.kind === "scalar" && typeof item.value === "string")
      for (const key of rolesNamed(template, item.value)) out.push({ key, pointer });
    else if (!open && mayNameTemplateResource(item))
      open = { maybe: openReason(resource, item, "may attach its policy to this role"), pointer };
  });
  if (!open) return out;
  const named = new Set(out.map((o) => o.key));
  for (const role of template.ofType(ResourceType.role))
    if (!named.has(role.id)) out.push({ key: role.id, pointer: open.pointer, maybe: open.maybe });
  return out;
}

/** The template's roles whose RoleName is this literal name. */
function rolesNamed(template: Template, name: string): Ref[] {
  return template.ofType(ResourceType.role).flatMap((role) => {
    const roleName = template.prop(role, "RoleName");
    return roleName.kind === "scalar" && roleName.value === name ? [role.id] : [];
  });
}

/** A policy document that exists only under an undecided condition is itself undecided. */
function documentOf(template: Template, resource: ResourceInfo, ev: Evaluated, label: string, pointer: string): Value<unknown> {
  if (resource.conditional)
    return unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, template.origin(resource.pointer));
  return template.json(ev, label, pointer);
}

function nameOf(template: Template, resource: ResourceInfo, property: string): string {
  const ev = template.prop(resource, property);
  return ev.kind === "scalar" && ev.value !== null ? String(ev.value) : resource.id;
}

/** Policies that separate resources attach to the roles of the template, by role. */
interface AttachedPolicies {
  managed: Map<Ref, Value<PolicyRef>[]>;
  inline: Map<Ref, InlinePolicy[]>;
}

export function buildIam(template: Template, world: World): void {
  const attached: AttachedPolicies = { managed: new Map(), inline: new Map() };
  buildManagedPolicies(template, world, attached);
  attachPolicies(template, attached);
  for (const resource of template.ofType(ResourceType.role)) world.roles.set(resource.id, roleOf(template, resource, attached));
  for (const resource of template.ofType(ResourceType.instanceProfile)) {
    const roles = template.prop(resource, "Roles");
    const pointer = template.propertyPointer(resource, "Roles");
    world.instanceProfiles.set(resource.id, {
      ...template.base(resource),
      roles: roles.kind === "none" ? defaulted([]) : template.refList(roles, "Roles", pointer, [ResourceType.role], "an IAM role"),
    });
  }
}

/** Customer managed policies, and the roles they name (Roles) as attachments. */
function buildManagedPolicies(template: Template, world: World, attached: AttachedPolicies): void {
  for (const resource of template.ofType(ResourceType.managedPolicy)) {
    const pointer = template.propertyPointer(resource, "PolicyDocument");
    world.managedPolicies.set(resource.id, {
      ...template.base(resource),
      document: documentOf(template, resource, template.prop(resource, "PolicyDocument"), "PolicyDocument", pointer),
    });
    for (const { key, pointer: at, maybe } of roleKeys(template, resource, "Roles")) {
      const open = maybe ?? resource.conditional;
      const ref: Value<PolicyRef> = open
        ? unknown(open.code, open.message, open.decide, template.origin(at))
        : known({ kind: "element", ref: resource.id }, template.origin(at));
      attached.managed.set(key, [...(attached.managed.get(key) ?? []), ref]);
    }
  }
}

/** AWS::IAM::Policy (Roles) and AWS::IAM::RolePolicy (RoleName): inline policies of the roles they name. */
function attachPolicies(template: Template, attached: AttachedPolicies): void {
  const addInline = (role: Ref, policy: InlinePolicy) => attached.inline.set(role, [...(attached.inline.get(role) ?? []), policy]);
  for (const resource of template.ofType(ResourceType.policy)) {
    const pointer = template.propertyPointer(resource, "PolicyDocument");
    const document = documentOf(template, resource, template.prop(resource, "PolicyDocument"), "PolicyDocument", pointer);
    const name = nameOf(template, resource, "PolicyName");
    for (const { key, maybe } of roleKeys(template, resource, "Roles"))
      addInline(key, { name, document: maybeDocument(template, resource, document, maybe), origin: template.origin(resource.pointer) });
  }
  for (const resource of template.ofType(ResourceType.rolePolicy)) {
    const pointer = template.propertyPointer(resource, "PolicyDocument");
    const document = documentOf(template, resource, template.prop(resource, "PolicyDocument"), "PolicyDocument", pointer);
    for (const { key, maybe } of roleKeys(template, resource, "RoleName"))
      addInline(key, {
        name: nameOf(template, resource, "PolicyName"),
        document: maybeDocument(template, resource, document, maybe),
        origin: template.origin(resource.pointer),
      });
  }
}

/** A policy's document for a role it may or may not be attached to: not known, and why. */
function maybeDocument(
  template: Template,
  resource: ResourceInfo,
  document: Value<unknown>,
  maybe: UnknownReason | undefined,
): Value<unknown> {
  return maybe ? unknown(maybe.code, maybe.message, maybe.decide, template.origin(resource.pointer)) : document;
}

function roleOf(template: Template, resource: ResourceInfo, attached: AttachedPolicies): Role {
  const pointer = (name: string) => template.propertyPointer(resource, name);
  const arns = template.prop(resource, "ManagedPolicyArns");
  let managedPolicies =
    arns.kind === "none"
      ? defaulted<Value<PolicyRef>[]>([])
      : template.list(arns, "ManagedPolicyArns", pointer("ManagedPolicyArns"), (item, i) =>
          policyRefOf(template, item, `ManagedPolicyArns[${i}]`, pointer("ManagedPolicyArns")),
        );
  const extra = attached.managed.get(resource.id);
  if (extra && managedPolicies.kind === "known") managedPolicies = known([...managedPolicies.value, ...extra], managedPolicies.origin);
  const inlinePolicies = [...inlinePoliciesOf(template, resource), ...(attached.inline.get(resource.id) ?? [])];
  const boundary = template.prop(resource, "PermissionsBoundary");
  const trust = template.prop(resource, "AssumeRolePolicyDocument");
  return {
    ...template.base(resource),
    trustPolicy:
      trust.kind === "none"
        ? unknown("unresolved", "the role has no AssumeRolePolicyDocument", undefined, template.origin(resource.pointer))
        : template.json(trust, "AssumeRolePolicyDocument", pointer("AssumeRolePolicyDocument")),
    managedPolicies,
    inlinePolicies,
    permissionsBoundary:
      boundary.kind === "none" ? defaulted(null) : policyRefOf(template, boundary, "PermissionsBoundary", pointer("PermissionsBoundary")),
    policiesComplete: true,
  };
}

/** The role's own Policies. */
function inlinePoliciesOf(template: Template, resource: ResourceInfo): InlinePolicy[] {
  const policies = template.prop(resource, "Policies");
  if (policies.kind === "none") return [];
  if (policies.kind !== "list") {
    const pointer = template.propertyPointer(resource, "Policies");
    return [{ name: "Policies", document: template.unknownFrom(policies, "Policies", pointer), origin: template.origin(pointer) }];
  }
  return policies.items.map((item, i) => {
    const at = item.at ?? template.propertyPointer(resource, "Policies", i);
    const name = template.member(item, "PolicyName");
    return {
      name: name.kind === "scalar" && name.value !== null ? String(name.value) : `Policies[${i}]`,
      document:
        item.kind === "unknown"
          ? template.unknownFrom(item, `Policies[${i}]`, at)
          : template.json(template.member(item, "PolicyDocument"), "PolicyDocument", `${at}/PolicyDocument`),
      origin: template.origin(at),
    };
  });
}
