import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import { knownValue, type Role } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "deprecated";

export default defineRule<M>({
  meta: {
    id: "SD504",
    name: "deprecated-ssm-policy",
    title: "The instance role uses the deprecated AmazonEC2RoleforSSM policy",
    description:
      "AmazonEC2RoleforSSM is deprecated. It still lets the agent work, but grants far more than Session Manager needs (for example s3:GetObject and s3:PutObject on every bucket). AWS recommends AmazonSSMManagedInstanceCore plus narrowly scoped policies for logging buckets.",
    prerequisite: "iam",
    severity: "warning",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      deprecated:
        "The role {{role}} of {{instances}} attaches the deprecated, over-broad AmazonEC2RoleforSSM; use AmazonSSMManagedInstanceCore instead.",
    },
    remediation: {
      cloudformation: `    ManagedPolicyArns:
      - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      terraform: '  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"',
      cli: "aws iam detach-role-policy --role-name {{name|ROLE}} --policy-arn arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM",
    },
    references: [
      "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2RoleforSSM.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html",
    ],
  },
  examples: examplesOf("deprecated-ssm-policy"),
  check(ctx) {
    const byRole = new Map<string, { role: Role; instances: InstanceAnalysis[] }>();
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "profile") continue;
      for (const r of a.identity.roles) {
        const entry = byRole.get(r.role.key) ?? { role: r.role, instances: [] };
        entry.instances.push(a);
        byRole.set(r.role.key, entry);
      }
    }
    // Roles no instance in the input uses are checked too: the policy is still over-broad.
    for (const role of ctx.world.roles.values()) if (!byRole.has(role.key)) byRole.set(role.key, { role, instances: [] });
    const drafts: FindingDraft<M>[] = [];
    for (const { role, instances } of byRole.values()) {
      const list = knownValue(role.managedPolicies) ?? [];
      const hit = list.find((p) => p.kind === "known" && p.value.kind !== "element" && /AmazonEC2RoleforSSM$/.test(p.value.arn));
      if (hit?.kind !== "known") continue;
      const location = hit.origin ?? role.origin;
      drafts.push({
        messageId: "deprecated",
        args: { role: role.name, instances: namesOf(instances) },
        subject: { key: role.key, name: role.name, origin: role.origin },
        location,
        verdict: "fail",
        instances: instances.map((i) => i.instance.key),
        evidence: [],
        related: instanceRelated(instances),
      });
    }
    return drafts;
  },
});
