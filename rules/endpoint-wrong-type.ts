import { parseServiceName, type ServiceId, SSM_FAMILY } from "../src/analysis/services.js";
import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD202",
    name: "endpoint-wrong-type",
    title: "A Systems Manager VPC endpoint is not of type Interface",
    description:
      "ssm, ssmmessages and ec2messages are reachable only through interface endpoints (AWS PrivateLink). Both AWS::EC2::VPCEndpoint VpcEndpointType and Terraform's aws_vpc_endpoint vpc_endpoint_type default to Gateway, so an endpoint that does not set the type is a gateway endpoint, which these services do not offer: the deployment fails or the agent's traffic never reaches the service.",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      wrongType:
        "{{endpoint}} for {{service}} is a {{type}} endpoint{{#defaulted}} (the default when {{attribute:vpcEndpointType}} is not set){{/defaulted}}; {{service}} needs {{attribute:vpcEndpointType}} Interface.",
    },
    remediation: {
      cloudformation: "    VpcEndpointType: Interface",
      terraform: '  vpc_endpoint_type = "Interface"',
      cli: "Gateway endpoints cannot be changed to Interface: delete it and run aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface …",
    },
    references: [
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
    ],
  },
  examples: examplesOf("endpoint-wrong-type"),
  check(ctx) {
    const drafts = draftsFromHops(ctx, ["endpoint-type"], (group) => {
      const ev = group.hits[0]?.evidence.find((e) => e.code === "endpoint-type");
      return {
        messageId: "wrongType",
        args: {
          endpoint: group.subject.name,
          service: String(ev?.args.service ?? group.hits[0]?.path.service ?? ""),
          type: String(ev?.args.type ?? "Gateway"),
          defaulted: ev?.args.defaulted === true,
        },
      };
    });
    // Endpoints no instance in the input uses are still wrong.
    const seen = new Set(drafts.map((d) => d.subject.key));
    for (const endpoint of ctx.world.vpcEndpoints.values()) {
      if (seen.has(endpoint.key) || endpoint.serviceName.kind !== "known" || endpoint.endpointType.kind !== "known") continue;
      const service = parseServiceName(endpoint.serviceName.value)?.service;
      if (!service || !SSM_FAMILY.includes(service as ServiceId) || endpoint.endpointType.value === "Interface") continue;
      drafts.push({
        messageId: "wrongType",
        args: {
          endpoint: endpoint.name,
          service,
          type: endpoint.endpointType.value,
          defaulted: endpoint.endpointType.provenance === "default",
        },
        subject: { key: endpoint.key, name: endpoint.name, origin: endpoint.origin },
        location: endpoint.endpointType.origin ?? endpoint.origin,
        verdict: "fail",
        instances: [],
        evidence: [],
      });
    }
    return drafts;
  },
});
