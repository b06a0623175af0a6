import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf, servicesOf } from "../src/engine/rule-helpers.js";

export default defineRule({
  meta: {
    id: "SD402",
    name: "endpoint-private-dns-off",
    title: "An interface endpoint for Systems Manager has private DNS turned off",
    description:
      "The agent calls the service's public name, <service>.<region>.amazonaws.com. Only with private DNS enabled on the interface endpoint does that name resolve to the endpoint inside the VPC. PrivateDnsEnabled (CloudFormation) and private_dns_enabled (Terraform) default to false, so without it the name resolves to a public address a private subnet cannot reach (unless a private hosted zone or NAT covers it).",
    prerequisite: "dns",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      off: "{{endpoint}} has private DNS off{{defaulted}}, so {{services}} resolves to its public address, which the subnet of {{instances}} cannot reach.",
      unknownPrivateDns: "Whether {{services}} resolves to its endpoint for {{instances}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: "    PrivateDnsEnabled: true",
      terraform: "  private_dns_enabled = true",
      cli: "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-… --private-dns-enabled",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns",
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html",
    ],
  },
  examples: {
    cloudformation: {
      bad: `    VpcEndpointType: Interface   # PrivateDnsEnabled defaults to false`,
      good: `    VpcEndpointType: Interface
    PrivateDnsEnabled: true`,
    },
  },
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["endpoint-private-dns"],
      (group, instances) => {
        const defaulted = group.hits.flatMap((h) => h.evidence).some((e) => e.code === "endpoint-private-dns-off" && e.args.defaulted);
        return {
          messageId: "off",
          args: {
            endpoint: group.subject.name,
            defaulted: defaulted ? " (the default when PrivateDnsEnabled is not set)" : "",
            services: servicesOf(group.hits),
            instances: namesOf(instances),
          },
        };
      },
      "unknownPrivateDns",
    );
  },
});
