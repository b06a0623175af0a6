import type { ActionResult } from "../src/analysis/iam.js";
import { dedupeReasons } from "../src/analysis/verdict.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import type { Role } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "missing" | "denied" | "boundary" | "unknownPermissions";

/** Session Manager's own actions; logging and encryption actions belong to SD601. */
export const SESSION_ACTION_PREFIXES = ["ssm:", "ssmmessages:", "ec2messages:"];

export function sessionActions(results: ActionResult[]): ActionResult[] {
  return results.filter((r) => SESSION_ACTION_PREFIXES.some((p) => r.action.toLowerCase().startsWith(p)));
}

export default defineRule<M>({
  meta: {
    id: "SD503",
    name: "role-lacks-permissions",
    title: "The instance role's effective permissions miss an action the SSM Agent needs",
    description:
      "The agent calls ssm:UpdateInstanceInformation to register and the ssmmessages channel actions (CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel) to carry sessions, plus ec2messages for agents older than 3.3.40.0. The role's identity policies must allow them, no explicit deny may match, and a permissions boundary must allow them too. AmazonSSMManagedInstanceCore grants exactly these.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      missing: "The role {{role}} of {{instances}} does not allow {{actions}}. Attach AmazonSSMManagedInstanceCore.",
      denied:
        "The role {{role}} of {{instances}} denies {{actions}} with an explicit Deny, which no Allow overrides. Narrow or remove that Deny statement.",
      boundary:
        "The permissions boundary of the role {{role}} of {{instances}} does not allow {{actions}}, so the role's own Allow has no effect. Add them to the boundary policy.",
      unknownPermissions: "Whether the role {{role}} of {{instances}} allows {{actions}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `    ManagedPolicyArns:
      - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
      terraform: `resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = {{subject|aws_iam_role.instance}}.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}`,
      cli: "aws iam attach-role-policy --role-name {{name|ROLE}} --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    },
    messageRemediation: {
      // The role already allows the actions; its boundary cuts them: the boundary is what must change.
      boundary: {
        cloudformation: `# in the policy the role's PermissionsBoundary names, add:
        - Effect: Allow
          Action:
            - ssm:UpdateInstanceInformation
            - ssmmessages:CreateControlChannel
            - ssmmessages:CreateDataChannel
            - ssmmessages:OpenControlChannel
            - ssmmessages:OpenDataChannel
          Resource: "*"`,
        terraform: `# in the policy the role's permissions_boundary names, add the statement:
    {
      Effect   = "Allow"
      Action   = ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
      Resource = "*"
    }`,
        cli: `aws iam get-role --role-name {{name|ROLE}} --query Role.PermissionsBoundary.PermissionsBoundaryArn   # the boundary policy
# add an Allow of ssm:UpdateInstanceInformation and ssmmessages:CreateControlChannel, CreateDataChannel,
# OpenControlChannel, OpenDataChannel to its document (boundary.json), then make that the default version:
aws iam create-policy-version --policy-arn BOUNDARY_POLICY_ARN --policy-document file://boundary.json --set-as-default`,
      },
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html",
      "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html",
    ],
  },
  examples: examplesOf("role-lacks-permissions"),
  check(ctx) {
    const byRole = new Map<string, { role: Role; results: ActionResult[]; instances: InstanceAnalysis[] }>();
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "profile") continue;
      for (const r of a.identity.roles) {
        const entry = byRole.get(r.role.key) ?? { role: r.role, results: sessionActions(r.actions), instances: [] };
        entry.instances.push(a);
        byRole.set(r.role.key, entry);
      }
    }
    const drafts: FindingDraft<M>[] = [];
    for (const { role, results, instances } of byRole.values()) {
      const denied = results.filter((r) => r.decision === "implicit-deny" || r.decision === "explicit-deny");
      const undecided = results.filter((r) => r.decision === "unknown");
      const subject = { key: role.key, name: role.name, origin: role.origin };
      const related = instanceRelated(instances);
      // With DHMC on, the agent falls back to its credentials only when the profile cannot register it: a profile
      // that allows ssm:UpdateInstanceInformation wins (DESIGN section 2.5), and what it lacks then stays an error.
      const registers = results.some((r) => r.action.toLowerCase() === "ssm:updateinstanceinformation" && r.decision === "allowed");
      const dhmcOn = !registers && instances.every((i) => i.dhmc.kind === "known" && i.dhmc.value.enabled);
      if (denied.length > 0) {
        const explicit = denied.some((d) => d.decision === "explicit-deny");
        const boundary = denied.some((d) => d.evidence.some((e) => e.code === "iam-boundary-blocks"));
        drafts.push({
          messageId: explicit ? "denied" : boundary ? "boundary" : "missing",
          args: { role: role.name, instances: namesOf(instances), actions: denied.map((d) => d.action).join(", ") },
          subject,
          verdict: "fail",
          ...(dhmcOn ? { severity: "warning" as const } : {}),
          instances: instances.map((i) => i.instance.key),
          evidence: denied.flatMap((d) => d.evidence),
          related,
        });
      } else if (undecided.length > 0) {
        // The actions of one role share their policies: one policy outside the input leaves each open for the same reason.
        const reasons = dedupeReasons(undecided.flatMap((u) => u.unknowns));
        drafts.push({
          messageId: "unknownPermissions",
          args: {
            role: role.name,
            instances: namesOf(instances),
            actions: undecided.map((u) => u.action).join(", "),
            reason: [...new Set(reasons.map((r) => r.message))].join("; "),
          },
          subject,
          verdict: "unknown",
          instances: instances.map((i) => i.instance.key),
          evidence: undecided.flatMap((u) => u.evidence),
          unknowns: reasons,
          related,
        });
      }
    }
    return drafts;
  },
});
