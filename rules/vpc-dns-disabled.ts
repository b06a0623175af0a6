import { defineRule, type MessageArgs } from "../src/engine/rule.js";
import { draftsFromHops, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD401",
    name: "vpc-dns-disabled",
    title: "The VPC's DNS support or DNS hostnames is off while instances rely on interface endpoints",
    description:
      "Private DNS for interface endpoints needs both VPC attributes enableDnsSupport and enableDnsHostnames. enableDnsHostnames defaults to false for new VPCs in CloudFormation and Terraform, so the endpoint's private DNS name is never served: ssm.<region>.amazonaws.com resolves to the public address, which a private subnet cannot reach. With enableDnsSupport false the VPC resolver does not answer at all: no name resolves, whichever way the traffic goes (NAT gateway, centralised endpoints in a hub), unless the DHCP options name DNS servers of their own.",
    prerequisite: "dns",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      disabled:
        "{{vpc}} has {{attributes}} false{{#defaulted}} (the default for a new VPC){{/defaulted}}, so the endpoints' private DNS names do not resolve and {{instances}} cannot reach the Systems Manager endpoints.",
      resolverOff:
        "{{vpc}} has {{attribute:enableDnsSupport}} false: the VPC resolver does not answer, so no name resolves and {{instances}} cannot reach {{services}}.",
      unknownDns: "Whether DNS in the VPC of {{instances}} resolves the endpoints is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `    EnableDnsSupport: true
    EnableDnsHostnames: true`,
      terraform: `  enable_dns_support   = true
  enable_dns_hostnames = true`,
      cli: "aws ec2 modify-vpc-attribute --vpc-id {{subject|vpc-…}} --enable-dns-hostnames '{\"Value\":true}'",
    },
    messageRemediation: {
      resolverOff: {
        cloudformation: "    EnableDnsSupport: true",
        terraform: "  enable_dns_support = true",
        cli: "aws ec2 modify-vpc-attribute --vpc-id {{subject|vpc-…}} --enable-dns-support '{\"Value\":true}'",
      },
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-support",
      "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    ],
  },
  examples: examplesOf("vpc-dns-disabled"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["vpc-dns-support", "vpc-dns-hostnames"],
      (group, instances): { messageId: "disabled" | "resolverOff"; args: MessageArgs } => {
        const ev = group.hits.flatMap((h) => h.evidence).filter((e) => e.code === "vpc-attribute-false");
        const attributes = [...new Set(ev.map((e) => e.args.attribute))];
        const defaulted = ev.some((e) => e.args.defaulted === true);
        // Without interface endpoints (NAT, centralised endpoints) the resolver itself is what is missing.
        if (attributes.length === 1 && attributes[0] === "enableDnsSupport" && group.hits.every((h) => h.path.route !== "endpoint"))
          return {
            messageId: "resolverOff",
            args: { vpc: group.subject.name, instances: namesOf(instances), services: servicesOf(group.hits) },
          };
        return { messageId: "disabled", args: { vpc: group.subject.name, attributes, defaulted, instances: namesOf(instances) } };
      },
      "unknownDns",
    );
  },
});
