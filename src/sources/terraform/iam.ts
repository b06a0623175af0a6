/**
 * IAM of a plan: instance profiles (their role by name, reference or ARN), roles (trust policy,
 * managed_policy_arns, inline_policy blocks, permissions boundary), the policies attached to roles by
 * separate resources (aws_iam_role_policy, aws_iam_role_policy_attachment, aws_iam_policy_attachment),
 * and customer managed policies (aws_iam_policy).
 */
import {
  defaulted,
  type InlinePolicy,
  isKnown,
  known,
  type PolicyRef,
  type Ref,
  type Role,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { type Candidacy, Candidates, candidacyText } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { policyDocument } from "./policy-documents.js";
import { AFTER_APPLY, type Path, type Reader } from "./reader.js";

/** An ARN written as a value: AWS managed (normalized to the aws partition), a policy of the plan, or external. */
function policyRefOf(reader: Reader, arn: string): PolicyRef {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn.trim());
  if (match) {
    const path = match[1]!;
    return { kind: "aws-managed", arn: `arn:aws:iam::aws:policy/${path}`, name: path.slice(path.lastIndexOf("/") + 1) };
  }
  const element = reader.lookup(arn, ELEMENT.policy);
  return element ? { kind: "element", ref: element } : { kind: "external-arn", arn: arn.trim() };
}

/** A policy ARN argument (policy_arn, permissions_boundary): a reference to an aws_iam_policy of the plan, or the ARN. */
function policyArn(reader: Reader, resource: TfResource, path: Path): Value<PolicyRef> | undefined {
  const raw = reader.raw(resource, path);
  const origin = reader.origin(resource, path);
  if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) return undefined;
  if (raw.kind === "value" && typeof raw.value === "string") return known(policyRefOf(reader, raw.value), origin);
  const configured = reader.configuredKeys(resource, path, ELEMENT.policy);
  if (configured?.keys.length === 1) return known({ kind: "element", ref: configured.keys[0]! }, origin);
  if (configured && configured.literals.length === 1 && configured.keys.length === 0)
    return known(policyRefOf(reader, configured.literals[0]!), origin);
  if (raw.kind === "unknown" && reader.configured(resource, path) === false) return undefined;
  const reason = configured?.reasons[0] ?? reader.computedReason(resource, path);
  return unknown(reason.code, reason.message, reason.decide, origin);
}

/** The roles a resource names (role = name, roles = [names]). */
function rolesOf(reader: Reader, resource: TfResource, single: Path, many?: Path): Value<Ref>[] {
  const out: Value<Ref>[] = [];
  const one = reader.ref(resource, single, ELEMENT.role);
  if (one) out.push(one);
  if (many) {
    const list = reader.refList(resource, many, ELEMENT.role);
    if (list?.kind === "known") out.push(...list.value);
    else if (list) out.push(list);
  }
  return out;
}

/** The policies of a role that an attachment to one of several roles may add: not known, and never "none". */
function uncertainPolicy(u: Candidacy): InlinePolicy {
  return {
    name: `attached by ${u.first}`,
    document: unknown("unresolved", candidacyText(u, "attach policies to", "role"), AFTER_APPLY, u.origin),
    origin: u.origin,
  };
}

/** Policies attached to roles by separate resources: managed ARNs and inline policies, by role. */
function attachedPolicies(reader: Reader): {
  managed: Map<Ref, Value<PolicyRef>[]>;
  inline: Map<Ref, InlinePolicy[]>;
  uncertain: Candidates;
} {
  const managed = new Map<Ref, Value<PolicyRef>[]>();
  const inline = new Map<Ref, InlinePolicy[]>();
  const uncertain = new Candidates(reader, "roles");
  const addManaged = (role: Ref, ref: Value<PolicyRef>) => managed.set(role, [...(managed.get(role) ?? []), ref]);
  for (const resource of reader.index.ofType("aws_iam_role_policy_attachment", "aws_iam_policy_attachment")) {
    const policy = policyArn(reader, resource, ["policy_arn"]);
    if (!policy) continue;
    const several = resource.type === "aws_iam_policy_attachment";
    const roles = several ? rolesOf(reader, resource, ["role"], ["roles"]) : rolesOf(reader, resource, ["role"]);
    // Read without a plan, with its count or for_each not known, the attachment may not be created.
    const attached = reader.ifCreated(resource, policy, ["policy_arn"]);
    for (const role of roles) if (role.kind === "known") addManaged(role.value, attached);
    if (roles.some((role) => role.kind === "unknown")) uncertain.add(resource, several ? ["roles"] : ["role"], ELEMENT.role, several);
  }
  for (const resource of reader.index.ofType("aws_iam_role_policy")) {
    for (const role of rolesOf(reader, resource, ["role"])) {
      if (role.kind !== "known") {
        uncertain.add(resource, ["role"], ELEMENT.role);
        continue;
      }
      const name = reader.raw(resource, ["name"]);
      inline.set(role.value, [
        ...(inline.get(role.value) ?? []),
        {
          name: name.kind === "value" && typeof name.value === "string" ? name.value : resource.address,
          document: reader.ifCreated(resource, policyDocument(reader, resource, ["policy"])),
          origin: reader.origin(resource),
        },
      ]);
    }
  }
  return { managed, inline, uncertain };
}

/** A role's managed_policy_arns: the ARNs, the aws_iam_policy resources a computed list refers to, or unknown. */
function managedPolicyArns(reader: Reader, resource: TfResource): Value<Value<PolicyRef>[]> {
  const arns = reader.raw(resource, ["managed_policy_arns"]);
  if (arns.kind === "value" && Array.isArray(arns.value)) {
    const origin = reader.origin(resource, ["managed_policy_arns"]);
    return known(
      arns.value.filter((a): a is string => typeof a === "string").map((a) => known(policyRefOf(reader, a), origin)),
      origin,
    );
  }
  if (arns.kind === "unknown" && reader.configured(resource, ["managed_policy_arns"]) === true) {
    // Computed ARNs: the configuration's references to aws_iam_policy resources, else unknown.
    const found = reader.configuredKeys(resource, ["managed_policy_arns"], ELEMENT.policy);
    const origin = reader.origin(resource, ["managed_policy_arns"]);
    return found && found.reasons.length === 0
      ? known(
          [
            ...found.keys.map((key) => known<PolicyRef>({ kind: "element", ref: key }, origin)),
            ...found.literals.map((literal) => known(policyRefOf(reader, literal), origin)),
          ],
          origin,
        )
      : unknown("computed", reader.computedReason(resource, ["managed_policy_arns"]).message, undefined, origin);
  }
  return defaulted([]);
}

/** A role's inline_policy blocks (an empty block is no policy). */
function inlinePolicyBlocks(reader: Reader, resource: TfResource): InlinePolicy[] {
  const inlinePolicies: InlinePolicy[] = [];
  const inline = reader.raw(resource, ["inline_policy"]);
  if (inline.kind === "value" && Array.isArray(inline.value)) {
    inline.value.forEach((_, i) => {
      const name = reader.raw(resource, ["inline_policy", i, "name"]);
      const document = policyDocument(reader, resource, ["inline_policy", i, "policy"]);
      if (document.kind === "known" && document.value === null) return; // an empty inline_policy {} block
      inlinePolicies.push({
        name: name.kind === "value" && typeof name.value === "string" ? name.value : `inline_policy[${i}]`,
        document,
        origin: reader.origin(resource, ["inline_policy", i]),
      });
    });
  } else if (inline.kind === "unknown" && reader.configured(resource, ["inline_policy"]) === true) {
    inlinePolicies.push({
      name: "inline_policy",
      document: unknown(
        "computed",
        reader.computedReason(resource, ["inline_policy"]).message,
        undefined,
        reader.origin(resource, ["inline_policy"]),
      ),
      origin: reader.origin(resource, ["inline_policy"]),
    });
  }
  return inlinePolicies;
}

export function buildIam(reader: Reader, world: World): void {
  for (const resource of reader.index.ofType("aws_iam_policy")) {
    world.managedPolicies.set(reader.keyOf(resource), { ...reader.base(resource), document: policyDocument(reader, resource, ["policy"]) });
  }

  const attached = attachedPolicies(reader);
  for (const resource of reader.index.ofType("aws_iam_role")) {
    const key = reader.keyOf(resource);
    let managedPolicies = managedPolicyArns(reader, resource);
    // A configured managed_policy_arns (even []) is exclusive: each apply detaches what other resources attach.
    const extra = reader.configured(resource, ["managed_policy_arns"]) === true ? undefined : attached.managed.get(key);
    if (extra && managedPolicies.kind === "known") managedPolicies = { ...managedPolicies, value: [...managedPolicies.value, ...extra] };
    const inlinePolicies = [...inlinePolicyBlocks(reader, resource), ...(attached.inline.get(key) ?? [])];
    const maybe = attached.uncertain.of(key);
    if (maybe) inlinePolicies.push(uncertainPolicy(maybe));

    const trust = policyDocument(reader, resource, ["assume_role_policy"]);
    world.roles.set(key, {
      ...reader.base(resource),
      trustPolicy:
        trust.kind === "known" && trust.value === null
          ? unknown("unresolved", `${resource.address} has no assume_role_policy`, undefined, reader.origin(resource))
          : trust,
      managedPolicies,
      inlinePolicies,
      permissionsBoundary: policyArn(reader, resource, ["permissions_boundary"]) ?? defaulted(null),
      policiesComplete: true,
    });
  }

  exclusivePolicies(reader, world);

  for (const resource of reader.index.ofType("aws_iam_instance_profile")) {
    const roles = rolesOf(reader, resource, ["role"], ["roles"]);
    world.instanceProfiles.set(reader.keyOf(resource), {
      ...reader.base(resource),
      roles: roles.length > 0 ? known(roles, reader.origin(resource, ["role"])) : defaulted([]),
    });
  }
}

/**
 * aws_iam_role_policy_attachments_exclusive and aws_iam_role_policies_exclusive own a role's managed or inline
 * policies: each apply removes those they do not list (Terraform AWS provider), so the role ends with exactly their
 * list, whatever other resources attach. A list the plan leaves open leaves the role's policies open.
 */
function exclusivePolicies(reader: Reader, world: World): void {
  const targets = (resource: TfResource) =>
    rolesOf(reader, resource, ["role_name"]).flatMap((r) => (isKnown(r) && world.roles.has(r.value) ? [r.value] : []));
  for (const resource of reader.index.ofType("aws_iam_role_policy_attachments_exclusive")) {
    const raw = reader.raw(resource, ["policy_arns"]);
    const origin = reader.origin(resource, ["policy_arns"]);
    const arns: Value<PolicyRef>[] = [];
    if (raw.kind === "value" && Array.isArray(raw.value))
      raw.value.forEach((_, i) => {
        const arn = policyArn(reader, resource, ["policy_arns", i]);
        if (arn) arns.push(arn);
      });
    const reason = reader.computedReason(resource, ["policy_arns"]);
    const managedPolicies: Role["managedPolicies"] =
      raw.kind === "value"
        ? known(arns, origin)
        : unknown(reason.code, `${resource.address} sets the role's managed policies: ${reason.message}`, reason.decide, origin);
    for (const key of targets(resource)) world.roles.set(key, { ...world.roles.get(key)!, managedPolicies });
  }
  // aws_iam_policy_attachment owns every attachment of its policy in the account: the provider revokes the policy from
  // any role it does not list, however else attached.
  for (const resource of reader.index.ofType("aws_iam_policy_attachment")) {
    const policy = policyArn(reader, resource, ["policy_arn"]);
    // No roles argument: the policy is attached to none (users or groups only), and revoked from every role.
    const roles = reader.refList(resource, ["roles"], ELEMENT.role) ?? known([]);
    if (!policy || !isKnown(policy) || !isKnown(roles) || roles.value.some((r) => !isKnown(r))) continue;
    const keep = new Set(roles.value.flatMap((r) => (isKnown(r) ? [r.value] : [])));
    const same = samePolicy(policy.value);
    for (const [key, role] of world.roles) {
      if (keep.has(key) || !isKnown(role.managedPolicies)) continue;
      const kept = role.managedPolicies.value.filter((p) => !(isKnown(p) && same(p.value)));
      if (kept.length !== role.managedPolicies.value.length)
        world.roles.set(key, { ...role, managedPolicies: known(kept, role.managedPolicies.origin) });
    }
  }
  for (const resource of reader.index.ofType("aws_iam_role_policies_exclusive")) {
    const raw = reader.raw(resource, ["policy_names"]);
    const names =
      raw.kind === "value" && Array.isArray(raw.value) ? raw.value.filter((n): n is string => typeof n === "string") : undefined;
    for (const key of targets(resource)) {
      const role = world.roles.get(key)!;
      const inlinePolicies: InlinePolicy[] = names
        ? role.inlinePolicies.filter((p) => names.includes(p.name))
        : [
            {
              name: `kept by ${resource.address}`,
              document: unknown(
                "computed",
                `${resource.address} removes the inline policies it does not list, and the list is known only after apply`,
              ),
              origin: reader.origin(resource, ["policy_names"]),
            },
          ];
      world.roles.set(key, { ...role, inlinePolicies });
    }
  }
}

/** Whether a policy reference names the same policy as `a`. */
function samePolicy(a: PolicyRef): (b: PolicyRef) => boolean {
  return (b) => (a.kind === "element" ? b.kind === "element" && b.ref === a.ref : b.kind !== "element" && b.arn === a.arn);
}
