import { imdsV1Allowed } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

type M = "noProfileDhmcOff" | "noProfileDhmcUnknown" | "profileWithoutRole" | "unknownProfile";

export default defineRule<M>({
  meta: {
    id: "SD501",
    name: "no-instance-identity",
    title: "The instance has no instance profile, and Default Host Management is not known to cover it",
    description:
      "The agent needs AWS credentials to register. They come from the instance profile's role or, without one, from Default Host Management Configuration (DHMC), an account- and region-wide Systems Manager setting. A static template cannot see whether DHMC is on, so an instance without a profile is a warning that says Session Manager depends on it; it is an error when the configuration says DHMC is off.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      noProfileDhmcOff:
        "{{instance}} has no instance profile and Default Host Management Configuration is off, so the SSM Agent has no credentials and never registers.",
      noProfileDhmcUnknown:
        "{{instance}} has no instance profile, so Session Manager depends on Default Host Management Configuration being enabled in the account and region (not visible here){{#imdsV1}}, which also needs IMDSv2: {{attribute:httpTokens}} is {{tokens}}{{#tokensDefaulted}} (the default){{/tokensDefaulted}}, so set it to required{{/imdsV1}}. Attach an instance profile with AmazonSSMManagedInstanceCore, or set dhmc: enabled in .ssm-doctor.yaml if it is on.",
      profileWithoutRole: "The instance profile {{profile}} of {{instances}} has no role, so the SSM Agent gets no credentials.",
      unknownProfile: "Which instance profile {{instance}} uses is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `InstanceProfile:
  Type: AWS::IAM::InstanceProfile
  Properties:
    Roles: [!Ref InstanceRole]
# … on the instance:  IamInstanceProfile: !Ref InstanceProfile`,
      terraform: `resource "aws_iam_instance_profile" "ssm" {
  role = aws_iam_role.ssm.name
}
# … on the instance:  iam_instance_profile = aws_iam_instance_profile.ssm.name`,
      cli: "aws ec2 associate-iam-instance-profile --instance-id {{subject|i-…}} --iam-instance-profile Name=…",
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html",
    ],
  },
  examples: examplesOf("no-instance-identity", {
    // Without credentials the agent never registers, which the live account shows as SD101.
    live: ["SD101"],
  }),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      const subject = { key: a.instance.key, name: a.instance.name, origin: a.instance.origin };
      const id = a.identity;
      const location = a.instance.instanceProfile.kind === "known" ? a.instance.instanceProfile.origin : a.instance.instanceProfile.origin;
      if (id.kind === "none") {
        const dhmc = a.dhmc;
        if (dhmc.kind === "known" && dhmc.value.enabled) continue;
        const off = dhmc.kind === "known";
        // DHMC supports only IMDSv2: when it may be relied on, say so where HttpTokens leaves IMDSv1 on.
        const imds = imdsV1Allowed(a);
        drafts.push({
          messageId: off ? "noProfileDhmcOff" : "noProfileDhmcUnknown",
          args:
            !off && imds.allowed
              ? { instance: a.instance.name, imdsV1: true, tokens: imds.tokens ?? "", tokensDefaulted: imds.defaulted === true }
              : { instance: a.instance.name, imdsV1: false },
          subject,
          ...(location ? { location } : {}),
          verdict: "fail",
          severity: off ? "error" : "warning",
          instances: [a.instance.key],
          evidence: [{ code: "no-instance-profile", args: { instance: a.instance.name } }],
        });
      } else if (id.kind === "profile-without-role") {
        drafts.push({
          messageId: "profileWithoutRole",
          args: { profile: id.profile.name, instances: a.instance.name },
          subject: { key: id.profile.key, name: id.profile.name, origin: id.profile.origin },
          ...(id.profile.roles.kind === "known" && id.profile.roles.origin ? { location: id.profile.roles.origin } : {}),
          verdict: "fail",
          instances: [a.instance.key],
          evidence: [],
          related: instanceRelated([a]),
        });
      } else if (id.kind === "unknown") {
        drafts.push({
          messageId: "unknownProfile",
          args: { instance: a.instance.name, reason: id.reason.message },
          subject,
          ...(location ? { location } : {}),
          verdict: "unknown",
          instances: [a.instance.key],
          evidence: [],
          unknowns: [id.reason],
        });
      }
    }
    return drafts;
  },
});
