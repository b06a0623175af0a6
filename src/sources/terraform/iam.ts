/**
 * IAM of a plan: instance profiles (their role by name, reference or ARN), roles (trust policy,
 * managed_policy_arns, inline_policy blocks, permissions boundary), the policies attached to roles by
 * separate resources (aws_iam_role_policy, aws_iam_role_policy_attachment, aws_iam_policy_attachment),
 * and customer managed policies (aws_iam_policy).
 */
import { defaulted, type InlinePolicy, known, type PolicyRef, type Ref, unknown, type Value, type World } from "../../model/index.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { policyDocument } from "./policy-documents.js";
import type { Path, Reader } from "./reader.js";

/** An ARN written as a value: AWS managed (normalized to the aws partition), a policy of the plan, or external. */
function policyRefOf(r: Reader, arn: string): PolicyRef {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn.trim());
  if (match) {
    const path = match[1]!;
    return { kind: "aws-managed", arn: `arn:aws:iam::aws:policy/${path}`, name: path.slice(path.lastIndexOf("/") + 1) };
  }
  const element = r.lookup(arn, ELEMENT.policy);
  return element ? { kind: "element", ref: element } : { kind: "external-arn", arn: arn.trim() };
}

/** A policy ARN argument (policy_arn, permissions_boundary): a reference to an aws_iam_policy of the plan, or the ARN. */
function policyArn(r: Reader, resource: TfResource, path: Path): Value<PolicyRef> | undefined {
  const raw = r.raw(resource, path);
  const origin = r.origin(resource, path);
  if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) return undefined;
  if (raw.kind === "value" && typeof raw.value === "string") return known(policyRefOf(r, raw.value), origin);
  const configured = r.configuredKeys(resource, path, ELEMENT.policy);
  if (configured?.keys.length === 1) return known({ kind: "element", ref: configured.keys[0]! }, origin);
  if (configured && configured.literals.length === 1 && configured.keys.length === 0)
    return known(policyRefOf(r, configured.literals[0]!), origin);
  if (raw.kind === "unknown" && r.configured(resource, path) === false) return undefined;
  const reason = configured?.reasons[0] ?? r.computedReason(resource, path);
  return unknown(reason.code, reason.message, reason.decide, origin);
}

/** The roles a resource names (role = name, roles = [names]). */
function rolesOf(r: Reader, resource: TfResource, single: Path, many?: Path): Value<Ref>[] {
  const out: Value<Ref>[] = [];
  const one = r.ref(resource, single, ELEMENT.role);
  if (one) out.push(one);
  if (many) {
    const list = r.refList(resource, many, ELEMENT.role);
    if (list?.kind === "known") out.push(...list.value);
    else if (list) out.push(list);
  }
  return out;
}

export function buildIam(r: Reader, world: World): void {
  for (const resource of r.index.ofType("aws_iam_policy")) {
    world.managedPolicies.set(r.keyOf(resource), { ...r.base(resource), document: policyDocument(r, resource, ["policy"]) });
  }

  const extraManaged = new Map<Ref, Value<PolicyRef>[]>();
  const extraInline = new Map<Ref, InlinePolicy[]>();
  const addManaged = (role: Ref, ref: Value<PolicyRef>) => extraManaged.set(role, [...(extraManaged.get(role) ?? []), ref]);
  for (const resource of r.index.ofType("aws_iam_role_policy_attachment", "aws_iam_policy_attachment")) {
    const policy = policyArn(r, resource, ["policy_arn"]);
    if (!policy) continue;
    const roles =
      resource.type === "aws_iam_policy_attachment" ? rolesOf(r, resource, ["role"], ["roles"]) : rolesOf(r, resource, ["role"]);
    for (const role of roles) if (role.kind === "known") addManaged(role.value, policy);
  }
  for (const resource of r.index.ofType("aws_iam_role_policy")) {
    for (const role of rolesOf(r, resource, ["role"])) {
      if (role.kind !== "known") continue;
      const name = r.raw(resource, ["name"]);
      extraInline.set(role.value, [
        ...(extraInline.get(role.value) ?? []),
        {
          name: name.kind === "value" && typeof name.value === "string" ? name.value : resource.address,
          document: policyDocument(r, resource, ["policy"]),
          origin: r.origin(resource),
        },
      ]);
    }
  }

  for (const resource of r.index.ofType("aws_iam_role")) {
    const key = r.keyOf(resource);
    let managedPolicies: Value<Value<PolicyRef>[]>;
    const arns = r.raw(resource, ["managed_policy_arns"]);
    if (arns.kind === "value" && Array.isArray(arns.value)) {
      const origin = r.origin(resource, ["managed_policy_arns"]);
      managedPolicies = known(
        arns.value.filter((a): a is string => typeof a === "string").map((a) => known(policyRefOf(r, a), origin)),
        origin,
      );
    } else if (arns.kind === "unknown" && r.configured(resource, ["managed_policy_arns"]) === true) {
      // Computed ARNs: the configuration's references to aws_iam_policy resources, else unknown.
      const found = r.configuredKeys(resource, ["managed_policy_arns"], ELEMENT.policy);
      const origin = r.origin(resource, ["managed_policy_arns"]);
      managedPolicies =
        found && found.reasons.length === 0
          ? known(
              [
                ...found.keys.map((k) => known<PolicyRef>({ kind: "element", ref: k }, origin)),
                ...found.literals.map((l) => known(policyRefOf(r, l), origin)),
              ],
              origin,
            )
          : unknown("computed", r.computedReason(resource, ["managed_policy_arns"]).message, undefined, origin);
    } else managedPolicies = defaulted([]);
    const extra = extraManaged.get(key);
    if (extra && managedPolicies.kind === "known") managedPolicies = { ...managedPolicies, value: [...managedPolicies.value, ...extra] };

    const inlinePolicies: InlinePolicy[] = [];
    const inline = r.raw(resource, ["inline_policy"]);
    if (inline.kind === "value" && Array.isArray(inline.value)) {
      inline.value.forEach((_, i) => {
        const name = r.raw(resource, ["inline_policy", i, "name"]);
        const document = policyDocument(r, resource, ["inline_policy", i, "policy"]);
        if (document.kind === "known" && document.value === null) return; // an empty inline_policy {} block
        inlinePolicies.push({
          name: name.kind === "value" && typeof name.value === "string" ? name.value : `inline_policy[${i}]`,
          document,
          origin: r.origin(resource, ["inline_policy", i]),
        });
      });
    } else if (inline.kind === "unknown" && r.configured(resource, ["inline_policy"]) === true) {
      inlinePolicies.push({
        name: "inline_policy",
        document: unknown(
          "computed",
          r.computedReason(resource, ["inline_policy"]).message,
          undefined,
          r.origin(resource, ["inline_policy"]),
        ),
        origin: r.origin(resource, ["inline_policy"]),
      });
    }
    inlinePolicies.push(...(extraInline.get(key) ?? []));

    const trust = policyDocument(r, resource, ["assume_role_policy"]);
    world.roles.set(key, {
      ...r.base(resource),
      trustPolicy:
        trust.kind === "known" && trust.value === null
          ? unknown("unresolved", `${resource.address} has no assume_role_policy`, undefined, r.origin(resource))
          : trust,
      managedPolicies,
      inlinePolicies,
      permissionsBoundary: policyArn(r, resource, ["permissions_boundary"]) ?? defaulted(null),
      policiesComplete: true,
    });
  }

  for (const resource of r.index.ofType("aws_iam_instance_profile")) {
    const roles = rolesOf(r, resource, ["role"], ["roles"]);
    world.instanceProfiles.set(r.keyOf(resource), {
      ...r.base(resource),
      roles: roles.length > 0 ? known(roles, r.origin(resource, ["role"])) : defaulted([]),
    });
  }
}
