import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import type { Role } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "notTrusted" | "unknownTrust";

export default defineRule<M>({
  meta: {
    id: "SD502",
    name: "role-not-trusting-ec2",
    title: "The instance profile's role does not trust ec2.amazonaws.com",
    description:
      "EC2 delivers an instance profile's credentials only if the role's trust policy lets the ec2.amazonaws.com service assume it (sts:AssumeRole). A role written for Lambda, ECS tasks or a person is attached without error, yet the instance gets no credentials and the agent cannot register.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      notTrusted: "The role {{role}} of {{instances}} does not trust ec2.amazonaws.com, so the instance gets no credentials.",
      unknownTrust: "Whether the role {{role}} of {{instances}} trusts ec2.amazonaws.com is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: { Service: ec2.amazonaws.com }
          Action: sts:AssumeRole`,
      terraform: `  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })`,
      cli: `aws iam update-assume-role-policy --role-name {{name|ROLE}} --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
    },
    references: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html"],
  },
  examples: examplesOf("role-not-trusting-ec2"),
  check(ctx) {
    const byRole = new Map<
      string,
      { role: Role; verdict: "fail" | "unknown"; instances: InstanceAnalysis[]; check: import("../src/analysis/verdict.js").Check }
    >();
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "profile") continue;
      for (const r of a.identity.roles) {
        if (r.trust.verdict === "pass") continue;
        const entry = byRole.get(r.role.key) ?? { role: r.role, verdict: r.trust.verdict, instances: [], check: r.trust };
        entry.instances.push(a);
        byRole.set(r.role.key, entry);
      }
    }
    const drafts: FindingDraft<M>[] = [];
    for (const { role, verdict, instances, check } of byRole.values()) {
      const location = role.trustPolicy.kind === "known" ? role.trustPolicy.origin : role.trustPolicy.origin;
      drafts.push({
        messageId: verdict === "fail" ? "notTrusted" : "unknownTrust",
        args: { role: role.name, instances: namesOf(instances), reason: (check.unknowns ?? []).map((u) => u.message).join("; ") },
        subject: { key: role.key, name: role.name, origin: role.origin },
        ...(location ? { location } : {}),
        verdict,
        instances: instances.map((i) => i.instance.key),
        evidence: check.evidence,
        ...(check.unknowns ? { unknowns: check.unknowns } : {}),
        related: instanceRelated(instances),
      });
    }
    return drafts;
  },
});
