import type { ActionResult } from "../src/analysis/iam.js";
import { logGroupEncryption } from "../src/analysis/logging.js";
import type { ServiceId } from "../src/analysis/services.js";
import { dedupeReasons } from "../src/analysis/verdict.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import {
  draftsFromHops,
  instanceReferences,
  instanceRelated,
  namesOf,
  pathProblemOf,
  servicesOf,
  subjectOf,
} from "../src/engine/rule-helpers.js";
import { isKnown, type Role, type UnknownReason } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "unreachable" | "notAllowed" | "unknownLogging" | "logGroupNotEncrypted" | "unknownLogGroupEncryption";

const LOGGING: ServiceId[] = ["s3", "logs", "kms"];
/** The Session document that holds the preferences. */
const SESSION_DOCUMENT = "SSM-SessionManagerRunShell";
const ALL_HOPS = [
  "subnet",
  "route",
  "endpoint-type",
  "endpoint-region",
  "endpoint-policy",
  "endpoint-state",
  "nat-gateway",
  "internet-gateway",
  "public-ip",
  "instance-sg-egress",
  "endpoint-sg-ingress",
  "vpc-dns-support",
  "vpc-dns-hostnames",
  "endpoint-private-dns",
  "nacl-instance-outbound",
  "nacl-instance-inbound",
  "nacl-endpoint-inbound",
  "nacl-endpoint-outbound",
  "nacl-nat-inbound",
  "nacl-nat-outbound",
] as const;

export default defineRule<M>({
  meta: {
    id: "SD601",
    name: "session-logging-unreachable",
    title: "Session preferences log to S3 / CloudWatch Logs or encrypt with KMS, but the instance cannot reach or use that service",
    description:
      "When the Session Manager preferences (the SSM-SessionManagerRunShell document) send session logs to S3 or CloudWatch Logs or encrypt sessions with KMS, the agent on the instance itself writes the logs and calls KMS. It then also needs a path to s3 (a gateway endpoint or NAT), logs and kms (interface endpoints or NAT), and the instance role must allow s3:PutObject, logs:PutLogEvents and kms:Decrypt / kms:GenerateDataKey. Otherwise sessions fail to start.",
    prerequisite: "logging",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      unreachable: "Session preferences log or encrypt through {{services}}, which {{instances}} cannot reach: {{problem}} ({{subject}}).",
      notAllowed: "Session preferences need {{actions}}, which the role {{role}} of {{instances}} does not allow.",
      unknownLogging: "Whether {{instances}} can reach {{services}} for session logging is not known: {{reason}}.",
      logGroupNotEncrypted:
        "Session preferences allow only encrypted CloudWatch log groups (cloudWatchEncryptionEnabled), but no KMS key encrypts the log group {{group}}, so the agent refuses every session on {{instances}}.",
      unknownLogGroupEncryption:
        "Session preferences allow only encrypted CloudWatch log groups (cloudWatchEncryptionEnabled), and whether the log group they name is encrypted is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
    VpcEndpointType: Gateway
    VpcId: !Ref {{vpc|Vpc}}
    RouteTableIds: [!Ref {{routeTable|PrivateRouteTable}}]`,
      terraform: `resource "aws_vpc_endpoint" "s3" {
  vpc_id            = {{vpc|aws_vpc.main}}.id
  service_name      = "com.amazonaws.\${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [{{routeTable|aws_route_table.private}}.id]
}`,
      cli: "aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway --vpc-id {{vpc|vpc-…}} --service-name com.amazonaws.REGION.s3 --route-table-ids {{routeTable|rtb-…}}",
    },
    messageRemediation: {
      logGroupNotEncrypted: {
        cloudformation: `    KmsKeyId: !GetAtt SessionLogsKey.Arn   # on {{subject|the log group}}; the key policy must let logs.REGION.amazonaws.com use it`,
        terraform: `  kms_key_id = aws_kms_key.session_logs.arn # on {{subject|the log group}}; the key policy must let logs.REGION.amazonaws.com use it`,
        cli: "aws logs associate-kms-key --log-group-name {{subject|LOG_GROUP}} --kms-key-id KEY_ARN   # or turn cloudWatchEncryptionEnabled off",
      },
      notAllowed: {
        cloudformation: `    Policies:
      - PolicyName: session-logging
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: [s3:PutObject, s3:GetEncryptionConfiguration, logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups, logs:DescribeLogStreams, kms:Decrypt, kms:GenerateDataKey]
              Resource: "*" # narrow to the bucket, log group and key`,
        terraform: `resource "aws_iam_role_policy" "session_logging" {
  role = {{subject|aws_iam_role.instance}}.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "s3:GetEncryptionConfiguration", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" }]
  })
}`,
        cli: `aws iam put-role-policy --role-name {{name|ROLE}} --policy-name session-logging --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetEncryptionConfiguration","logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams","kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}'`,
      },
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html",
    ],
  },
  examples: examplesOf("session-logging-unreachable"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = draftsFromHops(
      ctx,
      [...ALL_HOPS],
      (group, instances) => ({
        messageId: "unreachable",
        args: {
          services: servicesOf(group.hits),
          instances: namesOf(instances),
          problem: pathProblemOf(group.hits),
          subject: group.subject.name,
        },
        references: instanceReferences(ctx.world, instances, group.hits),
      }),
      "unknownLogging",
      LOGGING,
    );
    // Preferences that could not be known (a denied ssm:GetDocument, an unresolved setting): whether logging
    // needs a path and permissions is itself unknown, never assumed away.
    const undecided = new Map<string, { instances: InstanceAnalysis[]; services: Set<string>; reasons: UnknownReason[] }>();
    for (const a of ctx.analysis.instances) {
      if (a.undecidedRequirements.length === 0) continue;
      const key = a.undecidedRequirements.map((u) => `${u.service}:${u.unknown.message}`).join("|");
      const entry = undecided.get(key) ?? { instances: [], services: new Set(), reasons: [] };
      if (entry.instances.length === 0)
        for (const u of a.undecidedRequirements) {
          entry.services.add(u.service);
          entry.reasons.push(u.unknown);
        }
      entry.instances.push(a);
      undecided.set(key, entry);
    }
    const prefs = ctx.world.sessionPreferences;
    for (const { instances, services, reasons } of undecided.values()) {
      const unknowns = dedupeReasons(reasons);
      const subject =
        isKnown(prefs) && prefs.value
          ? subjectOf(prefs.value)
          : { key: SESSION_DOCUMENT, name: SESSION_DOCUMENT, origin: (!isKnown(prefs) && prefs.origin) || instances[0]!.instance.origin };
      drafts.push({
        messageId: "unknownLogging",
        args: { instances: namesOf(instances), services: [...services].join(", "), reason: unknowns.map((u) => u.message).join("; ") },
        subject,
        attribute: "preferences",
        verdict: "unknown",
        instances: instances.map((i) => i.instance.key),
        evidence: [],
        unknowns,
        related: instanceRelated(instances),
      });
    }
    const logGroup = logGroupEncryption(ctx.world);
    if (logGroup && logGroup.check.verdict !== "pass" && ctx.analysis.instances.length > 0) {
      const encryption = logGroup.check;
      const instances = ctx.analysis.instances;
      const evidence = encryption.evidence.find((e) => e.code === "log-group-encryption");
      const base = {
        subject: subjectOf(logGroup.subject),
        attribute: "log-group-encryption",
        instances: instances.map((i) => i.instance.key),
        evidence: encryption.evidence,
        related: instanceRelated(instances),
      };
      if (encryption.verdict === "fail")
        drafts.push({
          ...base,
          messageId: "logGroupNotEncrypted",
          args: { group: evidence?.args.group ?? "", instances: namesOf(instances) },
          verdict: "fail",
        });
      else
        drafts.push({
          ...base,
          messageId: "unknownLogGroupEncryption",
          args: { reason: (encryption.unknowns ?? []).map((u) => u.message).join("; ") },
          verdict: "unknown",
          unknowns: encryption.unknowns ?? [],
        });
    }
    const byRole = new Map<string, { role: Role; missing: ActionResult[]; instances: InstanceAnalysis[] }>();
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "profile") continue;
      for (const r of a.identity.roles) {
        const missing = r.actions.filter(
          (x) => LOGGING.some((s) => x.action.startsWith(`${s}:`)) && (x.decision === "implicit-deny" || x.decision === "explicit-deny"),
        );
        if (missing.length === 0) continue;
        const entry = byRole.get(r.role.key) ?? { role: r.role, missing, instances: [] };
        entry.instances.push(a);
        byRole.set(r.role.key, entry);
      }
    }
    for (const { role, missing, instances } of byRole.values()) {
      drafts.push({
        messageId: "notAllowed",
        args: { actions: missing.map((m) => m.action).join(", "), role: role.name, instances: namesOf(instances) },
        subject: { key: role.key, name: role.name, origin: role.origin },
        attribute: "logging-permissions",
        verdict: "fail",
        instances: instances.map((i) => i.instance.key),
        evidence: missing.flatMap((m) => m.evidence),
        related: instanceRelated(instances),
      });
    }
    return drafts;
  },
});
