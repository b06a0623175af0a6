import { lookup } from "../src/analysis/paths.js";
import { SSM_FAMILY } from "../src/analysis/services.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import { isKnown, type VpcEndpoint } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "otherAz";

export default defineRule<M>({
  meta: {
    id: "SD204",
    name: "endpoint-not-in-instance-az",
    title: "A Systems Manager endpoint has no subnet in the instance's Availability Zone",
    description:
      "An interface endpoint places a network interface in each subnet it names. Traffic from an instance in another Availability Zone still works, but crosses zones (cost, latency) and fails when the endpoint's only zone is impaired. Add a subnet in each zone that runs instances.",
    prerequisite: "endpoints",
    severity: "warning",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      otherAz:
        "{{endpoint}} has no subnet in {{az}}, where {{instances}} run; their traffic crosses Availability Zones and fails if {{#endpointAzs}}{{endpointAzs}}{{/endpointAzs}}{{^endpointAzs}}its zone{{/endpointAzs}} is impaired.",
    },
    remediation: {
      cloudformation: "    SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]   # one per Availability Zone with instances",
      terraform: "  subnet_ids = aws_subnet.private[*].id # one per Availability Zone with instances",
    },
    references: ["https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"],
  },
  examples: examplesOf("endpoint-not-in-instance-az"),
  check(ctx) {
    const byKey = new Map<string, { endpoint: VpcEndpoint; az: string; endpointAzs: string; instances: InstanceAnalysis[] }>();
    for (const analysis of ctx.analysis.instances) {
      for (const placement of analysis.placements) {
        const subnet = isKnown(placement.subnet) ? ctx.world.subnets.get(placement.subnet.value) : undefined;
        if (!subnet || !isKnown(subnet.availabilityZone)) continue;
        const az = subnet.availabilityZone.value;
        for (const path of placement.paths) {
          if (path.route !== "endpoint" || path.verdict !== "pass" || !path.endpoint || !SSM_FAMILY.includes(path.service)) continue;
          const endpoint = ctx.world.vpcEndpoints.get(path.endpoint);
          if (!endpoint || !isKnown(endpoint.subnets)) continue;
          const zones: string[] = [];
          let allKnown = true;
          for (const s of endpoint.subnets.value) {
            const es = lookup(ctx.world.subnets, s, "subnet");
            if (!isKnown(es) || !isKnown(es.value.availabilityZone)) {
              allKnown = false;
              break;
            }
            zones.push(es.value.availabilityZone.value);
          }
          if (!allKnown || zones.includes(az)) continue;
          const key = `${endpoint.key}|${az}`;
          const entry = byKey.get(key) ?? { endpoint, az, endpointAzs: [...new Set(zones)].join(", "), instances: [] };
          if (!entry.instances.includes(analysis)) entry.instances.push(analysis);
          byKey.set(key, entry);
        }
      }
    }
    const drafts: FindingDraft<M>[] = [];
    for (const { endpoint, az, endpointAzs, instances } of byKey.values()) {
      drafts.push({
        messageId: "otherAz",
        args: { endpoint: endpoint.name, az, endpointAzs, instances: namesOf(instances) },
        subject: { key: endpoint.key, name: endpoint.name, origin: endpoint.origin },
        location: endpoint.subnets.kind === "known" ? (endpoint.subnets.origin ?? endpoint.origin) : endpoint.origin,
        attribute: az,
        verdict: "fail",
        instances: instances.map((i) => i.instance.key),
        evidence: [{ code: "endpoint-azs", args: { endpoint: endpoint.name, zones: endpointAzs, az } }],
        related: instanceRelated(instances),
      });
    }
    return drafts;
  },
});
