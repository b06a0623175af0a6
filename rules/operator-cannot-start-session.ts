import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { namesOf } from "../src/engine/rule-helpers.js";
import type { SimulatedDecision, Value } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "instances" | "document" | "unknownOperator";

const allowed = (v: Value<SimulatedDecision>) => v.kind === "known" && v.value.decision === "allowed";
const refused = (v: Value<SimulatedDecision>) => v.kind === "known" && v.value.decision !== "allowed";

export default defineRule<M>({
  meta: {
    id: "SD506",
    name: "operator-cannot-start-session",
    title: "The operator (--principal) may not start a session on the instance",
    description:
      "Starting a session calls ssm:StartSession, which IAM authorizes on two resources: the instance (arn:aws:ec2:<region>:<account>:instance/<id>) and the session document (arn:aws:ssm:<region>:<account>:document/SSM-SessionManagerRunShell). Both must be allowed. `check --principal ARN` asks iam:SimulatePrincipalPolicy, so identity policies, boundaries and explicit denies all count.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["live"],
    onUnknown: "note",
    messages: {
      instances: "{{principal}} may not call ssm:StartSession on {{instances}} ({{decision}}), so it cannot open a session there.",
      document:
        "{{principal}} may not call ssm:StartSession on the session document {{document}} ({{decision}}), so it cannot start a session on any instance.",
      unknownOperator: "Whether {{principal}} may start a session on {{instances}} is not known: {{reason}}.",
    },
    remediation: {
      cli: `aws iam put-role-policy --role-name OPERATOR --policy-name start-session --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:StartSession","Resource":["arn:aws:ec2:REGION:ACCOUNT:instance/*","arn:aws:ssm:REGION:ACCOUNT:document/SSM-SessionManagerRunShell"]},{"Effect":"Allow","Action":["ssm:TerminateSession","ssm:ResumeSession"],"Resource":"arn:aws:ssm:*:*:session/\${aws:userid}-*"}]}'`,
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html",
      "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
    ],
  },
  examples: examplesOf("operator-cannot-start-session"),
  check(ctx) {
    const op = ctx.world.operator;
    if (!op) return [];
    const drafts: FindingDraft<M>[] = [];
    const subject = { key: op.principal, name: op.principal, origin: op.origin };
    const evidence = (resource: string, v: Value<SimulatedDecision>) =>
      v.kind === "known"
        ? [
            {
              code: "iam-simulated" as const,
              args: {
                action: "ssm:StartSession",
                decision: v.value.decision,
                principal: resource,
                policies: v.value.matchedPolicies ?? [],
              },
            },
          ]
        : [];
    const all = ctx.analysis.instances;
    if (refused(op.document)) {
      drafts.push({
        messageId: "document",
        args: {
          principal: op.principal,
          document: op.documentArn,
          decision: op.document.kind === "known" ? op.document.value.decision : "",
        },
        subject,
        attribute: "document",
        verdict: "fail",
        instances: all.map((a) => a.instance.key),
        evidence: evidence(op.documentArn, op.document),
      });
    }
    const denied = all.filter((a) => {
      const v = op.instances.get(a.instance.key);
      return v !== undefined && refused(v);
    });
    if (denied.length > 0) {
      const first = op.instances.get(denied[0]!.instance.key)!;
      drafts.push({
        messageId: "instances",
        args: { principal: op.principal, instances: namesOf(denied), decision: first.kind === "known" ? first.value.decision : "" },
        subject,
        attribute: "instances",
        verdict: "fail",
        instances: denied.map((a) => a.instance.key),
        evidence: denied.flatMap((a) => evidence(a.instance.origin.arn ?? a.instance.key, op.instances.get(a.instance.key)!)).slice(0, 6),
      });
    }
    const undecided = all.filter((a) => {
      const v = op.instances.get(a.instance.key);
      return !v || (!allowed(v) && !refused(v));
    });
    const docUnknown = op.document.kind === "unknown";
    if (undecided.length > 0 || docUnknown) {
      const reasons = [
        ...(op.document.kind === "unknown" ? [op.document.reason] : []),
        ...undecided.flatMap((a) => {
          const v = op.instances.get(a.instance.key);
          return v?.kind === "unknown" ? [v.reason] : [];
        }),
      ];
      const affected = docUnknown ? all : undecided;
      drafts.push({
        messageId: "unknownOperator",
        args: {
          principal: op.principal,
          instances: namesOf(affected),
          reason: [...new Set(reasons.map((r) => r.message))],
        },
        subject,
        verdict: "unknown",
        instances: affected.map((a) => a.instance.key),
        evidence: [],
        unknowns: reasons,
      });
    }
    return drafts;
  },
});
