import { hostedZoneFor } from "../src/analysis/paths.js";
import { parseServiceName, type ServiceId, SSM_FAMILY } from "../src/analysis/services.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { draftsFromHops, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { knownValue } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

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
      off: "{{endpoint}} has private DNS off{{#defaulted}} (the default when {{attribute:privateDnsEnabled}} is not set){{/defaulted}}, so {{services}} resolves to its public address, which the subnet of {{instances}} cannot reach.",
      unknownPrivateDns: "Whether {{services}} resolves to its endpoint for {{instances}} is not known: {{reason}}.",
      offUnused:
        "{{endpoint}} for {{service}} has private DNS off{{#defaulted}} (the default when {{attribute:privateDnsEnabled}} is not set){{/defaulted}}, so the endpoint is never used. SSM Agent {{minimum}} and later do not need {{service}}; older agents do and would fail.",
    },
    remediation: {
      cloudformation: "    PrivateDnsEnabled: true",
      terraform: "  private_dns_enabled = true",
      cli: "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {{subject|vpce-…}} --private-dns-enabled",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns",
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html",
    ],
  },
  examples: examplesOf("endpoint-private-dns-off"),
  check(ctx) {
    const drafts: FindingDraft<"off" | "unknownPrivateDns" | "offUnused">[] = draftsFromHops(
      ctx,
      ["endpoint-private-dns"],
      (group, instances) => {
        const defaulted = group.hits.flatMap((h) => h.evidence).some((e) => e.code === "endpoint-private-dns-off" && e.args.defaulted);
        return {
          messageId: "off",
          args: {
            endpoint: group.subject.name,
            defaulted,
            services: servicesOf(group.hits),
            instances: namesOf(instances),
          },
        };
      },
      "unknownPrivateDns",
    );
    // A Systems Manager endpoint no required path uses (ec2messages with a current agent) is still
    // misconfigured: a warning, since an older agent would need it.
    const reported = new Set(drafts.map((d) => d.subject.key));
    const required = new Set(ctx.analysis.instances.flatMap((a) => a.requirements.map((r) => r.service)));
    for (const endpoint of ctx.world.vpcEndpoints.values()) {
      if (reported.has(endpoint.key) || endpoint.conditional) continue;
      const name = knownValue(endpoint.serviceName);
      const service = name ? parseServiceName(name)?.service : undefined;
      const dns = endpoint.privateDnsEnabled;
      if (!service || !SSM_FAMILY.includes(service as ServiceId) || dns.kind !== "known" || dns.value) continue;
      if (knownValue(endpoint.endpointType) !== "Interface" || required.has(service as ServiceId)) continue;
      const vpc = knownValue(endpoint.vpc);
      if (vpc && hostedZoneFor(ctx.world, vpc, service as ServiceId)) continue; // a private hosted zone answers instead
      drafts.push({
        messageId: "offUnused",
        args: {
          endpoint: endpoint.name,
          service,
          minimum: "3.3.40.0",
          defaulted: dns.provenance === "default",
        },
        subject: { key: endpoint.key, name: endpoint.name, origin: endpoint.origin },
        location: dns.origin ?? endpoint.origin,
        verdict: "fail",
        severity: "warning",
        instances: [],
        evidence: [{ code: "endpoint-private-dns-off", args: { endpoint: endpoint.name }, origin: dns.origin ?? endpoint.origin }],
      });
    }
    return drafts;
  },
});
