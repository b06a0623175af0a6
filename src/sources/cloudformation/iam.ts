/**
 * IAM: instance profiles, roles (trust policy, managed policy ARNs, inline policies, boundary),
 * customer managed policies, and the policies attached to roles from separate resources
 * (AWS::IAM::Policy, AWS::IAM::ManagedPolicy Roles, AWS::IAM::RolePolicy).
 */
import { defaulted, type InlinePolicy, known, type PolicyRef, type Ref, unknown, type Value, type World } from "../../model/index.js";
import type { Template } from "./template.js";
import { type Ev, type ResourceInfo, T } from "./types.js";

/** `arn:<partition>:iam::aws:policy/[path/]Name` → an AWS managed policy (ARN normalized to the aws partition). */
export function policyRefOf(t: Template, ev: Ev, label: string, pointer: string): Value<PolicyRef> {
  const origin = t.origin(ev.at ?? pointer);
  if (ev.k === "ref" && ev.type === T.managedPolicy) return known({ kind: "element", ref: ev.id }, origin);
  if (ev.k === "s" && typeof ev.v === "string") {
    const match = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(ev.v.trim());
    if (match) {
      const path = match[1]!;
      return known({ kind: "aws-managed", arn: `arn:aws:iam::aws:policy/${path}`, name: path.slice(path.lastIndexOf("/") + 1) }, origin);
    }
    return known({ kind: "external-arn", arn: ev.v.trim() }, origin);
  }
  return t.unknownFrom(ev, label, pointer);
}

function roleKeys(t: Template, resource: ResourceInfo, property: string): { key: Ref; pointer: string }[] {
  const ev = t.prop(resource, property);
  const items = ev.k === "list" ? ev.items : ev.k === "none" ? [] : [ev];
  const out: { key: Ref; pointer: string }[] = [];
  items.forEach((item, i) => {
    if (item.k === "ref" && item.type === T.role) out.push({ key: item.id, pointer: item.at ?? t.propertyPointer(resource, property, i) });
  });
  return out;
}

/** A policy document that exists only under an undecided condition is itself undecided. */
function documentOf(t: Template, resource: ResourceInfo, ev: Ev, label: string, pointer: string): Value<unknown> {
  if (resource.conditional)
    return unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, t.origin(resource.pointer));
  return t.json(ev, label, pointer);
}

function nameOf(t: Template, resource: ResourceInfo, property: string): string {
  const ev = t.prop(resource, property);
  return ev.k === "s" && ev.v !== null ? String(ev.v) : resource.id;
}

export function buildIam(t: Template, world: World): void {
  const extraManaged = new Map<Ref, Value<PolicyRef>[]>();
  const extraInline = new Map<Ref, InlinePolicy[]>();
  const addInline = (role: Ref, policy: InlinePolicy) => extraInline.set(role, [...(extraInline.get(role) ?? []), policy]);

  for (const resource of t.ofType(T.managedPolicy)) {
    const pointer = t.propertyPointer(resource, "PolicyDocument");
    world.managedPolicies.set(resource.id, {
      ...t.base(resource),
      document: documentOf(t, resource, t.prop(resource, "PolicyDocument"), "PolicyDocument", pointer),
    });
    for (const { key, pointer: at } of roleKeys(t, resource, "Roles")) {
      const ref: Value<PolicyRef> = resource.conditional
        ? unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, t.origin(at))
        : known({ kind: "element", ref: resource.id }, t.origin(at));
      extraManaged.set(key, [...(extraManaged.get(key) ?? []), ref]);
    }
  }

  for (const resource of t.ofType(T.policy)) {
    const pointer = t.propertyPointer(resource, "PolicyDocument");
    const document = documentOf(t, resource, t.prop(resource, "PolicyDocument"), "PolicyDocument", pointer);
    const name = nameOf(t, resource, "PolicyName");
    for (const { key } of roleKeys(t, resource, "Roles")) addInline(key, { name, document, origin: t.origin(resource.pointer) });
  }

  for (const resource of t.ofType(T.rolePolicy)) {
    const pointer = t.propertyPointer(resource, "PolicyDocument");
    const document = documentOf(t, resource, t.prop(resource, "PolicyDocument"), "PolicyDocument", pointer);
    for (const { key } of roleKeys(t, resource, "RoleName"))
      addInline(key, { name: nameOf(t, resource, "PolicyName"), document, origin: t.origin(resource.pointer) });
  }

  for (const resource of t.ofType(T.role)) {
    const pointer = (name: string) => t.propertyPointer(resource, name);
    const arns = t.prop(resource, "ManagedPolicyArns");
    let managedPolicies =
      arns.k === "none"
        ? defaulted<Value<PolicyRef>[]>([])
        : t.list(arns, "ManagedPolicyArns", pointer("ManagedPolicyArns"), (item, i) =>
            policyRefOf(t, item, `ManagedPolicyArns[${i}]`, pointer("ManagedPolicyArns")),
          );
    const extra = extraManaged.get(resource.id);
    if (extra && managedPolicies.kind === "known") managedPolicies = known([...managedPolicies.value, ...extra], managedPolicies.origin);

    const inlinePolicies: InlinePolicy[] = [];
    const policies = t.prop(resource, "Policies");
    if (policies.k === "list") {
      policies.items.forEach((item, i) => {
        const at = item.at ?? t.propertyPointer(resource, "Policies", i);
        const name = t.member(item, "PolicyName");
        inlinePolicies.push({
          name: name.k === "s" && name.v !== null ? String(name.v) : `Policies[${i}]`,
          document:
            item.k === "unk"
              ? t.unknownFrom(item, `Policies[${i}]`, at)
              : t.json(t.member(item, "PolicyDocument"), "PolicyDocument", `${at}/PolicyDocument`),
          origin: t.origin(at),
        });
      });
    } else if (policies.k !== "none") {
      inlinePolicies.push({
        name: "Policies",
        document: t.unknownFrom(policies, "Policies", pointer("Policies")),
        origin: t.origin(pointer("Policies")),
      });
    }
    inlinePolicies.push(...(extraInline.get(resource.id) ?? []));

    const boundary = t.prop(resource, "PermissionsBoundary");
    const trust = t.prop(resource, "AssumeRolePolicyDocument");
    world.roles.set(resource.id, {
      ...t.base(resource),
      trustPolicy:
        trust.k === "none"
          ? unknown("unresolved", "the role has no AssumeRolePolicyDocument", undefined, t.origin(resource.pointer))
          : t.json(trust, "AssumeRolePolicyDocument", pointer("AssumeRolePolicyDocument")),
      managedPolicies,
      inlinePolicies,
      permissionsBoundary:
        boundary.k === "none" ? defaulted(null) : policyRefOf(t, boundary, "PermissionsBoundary", pointer("PermissionsBoundary")),
      policiesComplete: true,
    });
  }

  for (const resource of t.ofType(T.instanceProfile)) {
    const roles = t.prop(resource, "Roles");
    const pointer = t.propertyPointer(resource, "Roles");
    world.instanceProfiles.set(resource.id, {
      ...t.base(resource),
      roles: roles.k === "none" ? defaulted([]) : t.refList(roles, "Roles", pointer, [T.role], "an IAM role"),
    });
  }
}
