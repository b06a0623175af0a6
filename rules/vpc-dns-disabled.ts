import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf } from "../src/engine/rule-helpers.js";

export default defineRule({
  meta: {
    id: "SD401",
    name: "vpc-dns-disabled",
    title: "The VPC's DNS support or DNS hostnames is off while instances rely on interface endpoints",
    description:
      "Private DNS for interface endpoints needs both VPC attributes enableDnsSupport and enableDnsHostnames. enableDnsHostnames defaults to false for new VPCs in CloudFormation and Terraform, so the endpoint's private DNS name is never served: ssm.<region>.amazonaws.com resolves to the public address, which a private subnet cannot reach.",
    prerequisite: "dns",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      disabled:
        "{{vpc}} has {{attributes}} false{{defaulted}}, so the endpoints' private DNS names do not resolve and {{instances}} cannot reach the Systems Manager endpoints.",
      unknownDns: "Whether DNS in the VPC of {{instances}} resolves the endpoints is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `    EnableDnsSupport: true
    EnableDnsHostnames: true`,
      terraform: `  enable_dns_support   = true
  enable_dns_hostnames = true`,
      cli: "aws ec2 modify-vpc-attribute --vpc-id vpc-… --enable-dns-hostnames '{\"Value\":true}'",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-support",
      "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    ],
  },
  examples: {
    cloudformation: {
      bad: `Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16   # EnableDnsHostnames defaults to false`,
      good: `Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
    EnableDnsSupport: true
    EnableDnsHostnames: true`,
    },
    terraform: {
      bad: `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16" # enable_dns_hostnames defaults to false
}`,
      good: `resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}`,
    },
  },
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["vpc-dns-support", "vpc-dns-hostnames"],
      (group, instances) => {
        const ev = group.hits.flatMap((h) => h.evidence).filter((e) => e.code === "vpc-attribute-false");
        const attributes = [...new Set(ev.map((e) => String(e.args.attribute)))].join(" and ");
        const defaulted = ev.some((e) => e.args.defaulted) ? " (the default for a new VPC)" : "";
        return { messageId: "disabled", args: { vpc: group.subject.name, attributes, defaulted, instances: namesOf(instances) } };
      },
      "unknownDns",
    );
  },
});
