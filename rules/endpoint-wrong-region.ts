import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD203",
    name: "endpoint-wrong-region",
    title: "A Systems Manager VPC endpoint names a service in another region",
    description:
      "An interface endpoint serves com.amazonaws.<region>.<service> of its own region only. A service name with a hard-coded region that differs from the region the stack or plan deploys to either fails to create or serves a region the agent does not call. Use the deployment's region (${AWS::Region}, data.aws_region.current.name).",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      wrongRegion:
        "{{endpoint}} names region {{region}}, but this deploys to {{deployment}}, whose service the agent on {{instances}} calls.",
      unknownRegion: "Whether the endpoint's region matches the deployment of {{instances}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: "    ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm",
      terraform: '  service_name = "com.amazonaws.${data.aws_region.current.name}.ssm"',
      cli: `# an endpoint's service cannot change: create one for this region's service, then delete the wrong one
aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id vpc-… --service-name com.amazonaws.REGION.ssm --subnet-ids subnet-… --security-group-ids sg-… --private-dns-enabled
aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {{subject|vpce-…}}`,
    },
    references: ["https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html"],
  },
  examples: examplesOf("endpoint-wrong-region"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["endpoint-region"],
      (group, instances) => {
        const ev = group.hits[0]?.evidence.find((e) => e.code === "endpoint-region");
        return {
          messageId: "wrongRegion",
          args: {
            endpoint: group.subject.name,
            region: String(ev?.args.region ?? "?"),
            deployment: String(ev?.args.deployment ?? "?"),
            instances: namesOf(instances),
          },
        };
      },
      "unknownRegion",
    );
  },
});
