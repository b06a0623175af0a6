import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

type M = "noAgent" | "unknownImage" | "agentStopped";

export default defineRule<M>({
  meta: {
    id: "SD103",
    name: "image-without-agent",
    title: "The instance's image does not ship the SSM Agent and user data does not install it",
    description:
      "Session Manager needs the SSM Agent running on the instance. It is preinstalled on Amazon Linux 2 and 2023, the ECS- and EKS-optimized Amazon Linux AMIs, Windows Server, Ubuntu 16.04 and later, SLES and macOS AMIs, but not on RHEL, CentOS, Debian or Ubuntu 14.04. For those, user data must install amazon-ssm-agent. A literal AMI id does not say which image it is: the verdict is then unknown.",
    prerequisite: "agent",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      noAgent: "{{instance}} runs {{family}} ({{basis}}), which does not ship the SSM Agent, and its user data does not install it.",
      agentStopped:
        "The user data of {{instance}} leaves the SSM Agent removed or stopped ({{command}}), and no later command installs or starts it again.",
      unknownImage:
        "Whether the image of {{instance}} ships the SSM Agent is not known: {{basis}}. Use an SSM public parameter such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, or install the agent in user data.",
    },
    remediation: {
      cloudformation: `Parameters:
  LatestAmiId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
# … ImageId: !Ref LatestAmiId   (or install amazon-ssm-agent in UserData)`,
      terraform: `data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}
# … ami = data.aws_ssm_parameter.al2023.value`,
      cli: "sudo dnf install -y https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/linux_amd64/amazon-ssm-agent.rpm && sudo systemctl enable --now amazon-ssm-agent",
    },
    messageRemediation: {
      agentStopped: {
        cloudformation: `# UserData: drop the command that removes or stops amazon-ssm-agent, or end the script with
systemctl enable --now amazon-ssm-agent`,
        terraform: `# user_data: drop the command that removes or stops amazon-ssm-agent, or end the script with
systemctl enable --now amazon-ssm-agent`,
        cli: "sudo systemctl enable --now amazon-ssm-agent   # on the instance, if it still has the agent",
      },
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/ami-preinstalled-agent.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/manually-install-ssm-agent-linux.html",
    ],
  },
  examples: examplesOf("image-without-agent"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      const image = a.instance.image;
      const location = image.kind === "known" ? image.origin : image.origin;
      const base = {
        subject: { key: a.instance.key, name: a.instance.name, origin: a.instance.origin },
        ...(location ? { location } : {}),
        instances: [a.instance.key],
        related: a.instance.launchSettingsOrigin ? instanceRelated([]) : [],
      };
      if (a.userDataStopsAgent !== undefined && a.instance.agent === undefined) {
        const userData = a.instance.userData;
        drafts.push({
          ...base,
          ...(userData.origin ? { location: userData.origin } : {}),
          messageId: "agentStopped",
          args: { instance: a.instance.name, command: a.userDataStopsAgent },
          verdict: "fail",
          evidence: [],
        });
        continue;
      }
      if (a.userDataInstallsAgent) continue;
      if (a.image.agent === "not-preinstalled") {
        drafts.push({
          ...base,
          messageId: "noAgent",
          args: { instance: a.instance.name, family: a.image.family, basis: a.image.basis },
          verdict: "fail",
          evidence: [{ code: "image-family", args: { family: a.image.family, basis: a.image.basis } }],
        });
      } else if (a.image.agent === "unknown" && !a.instance.agent) {
        drafts.push({
          ...base,
          messageId: "unknownImage",
          args: { instance: a.instance.name, basis: a.image.basis },
          verdict: "unknown",
          evidence: [],
          unknowns: [
            { code: "outside", message: a.image.basis, decide: "use an SSM public parameter for the AMI, or pass --agent-version" },
          ],
        });
      }
    }
    return drafts;
  },
});
