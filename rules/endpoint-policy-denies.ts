import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD206",
    name: "endpoint-policy-denies",
    title: "A VPC endpoint policy does not allow the SSM Agent's actions",
    description:
      "An endpoint policy filters every request that passes through the endpoint. A policy that does not allow ssm:UpdateInstanceInformation and the ssmmessages channel actions (or denies them) stops the agent even when the instance role allows them. AWS's troubleshooting runbooks cannot see endpoint policies; this rule can.",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      denies:
        "The policy of {{endpoint}} does not allow {{#actions}}{{actions}}{{/actions}}{{^actions}}the agent's actions{{/actions}}, which the SSM Agent on {{instances}} calls through it.",
      unknownPolicy: "Whether the endpoint policy allows the agent's actions for {{instances}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `{{subject|SsmEndpoint}}:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    PolicyDocument: # or leave PolicyDocument out: the default policy allows full access
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: ["ssm:*", "ssmmessages:*", "ec2messages:*"]
          Resource: "*"`,
      terraform: `# in {{subject|aws_vpc_endpoint.ssm}} (or leave policy out: the default policy allows full access)
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = ["ssm:*", "ssmmessages:*", "ec2messages:*"], Resource = "*" }]
  })`,
      cli: "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {{subject|vpce-…}} --reset-policy   # back to the default full-access policy",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
    ],
  },
  examples: examplesOf("endpoint-policy-denies"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["endpoint-policy"],
      (group, instances) => {
        const ev = group.hits.flatMap((h) => h.evidence).find((e) => e.code === "endpoint-policy-denies");
        return {
          messageId: "denies",
          args: { endpoint: group.subject.name, actions: ev?.args.actions ?? [], instances: namesOf(instances) },
        };
      },
      "unknownPolicy",
    );
  },
});
