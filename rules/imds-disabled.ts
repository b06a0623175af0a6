import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { examplesOf } from "./examples/index.js";

type M = "disabled" | "unknownEndpoint";

export default defineRule<M>({
  meta: {
    id: "SD104",
    name: "imds-disabled",
    title: "The instance metadata service is disabled, so the agent has no identity or credentials",
    description:
      'The SSM Agent reads the instance\'s identity, region and role credentials from the instance metadata service (IMDS). With the metadata endpoint disabled (MetadataOptions HttpEndpoint: disabled, metadata_options http_endpoint = "disabled") the agent cannot register and the instance never becomes a managed node.',
    prerequisite: "agent",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      disabled:
        "{{instance}} disables the instance metadata endpoint, so the SSM Agent cannot get its identity or credentials and never registers.",
      unknownEndpoint: "Whether {{instance}} keeps the instance metadata endpoint enabled is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `      MetadataOptions:
        HttpEndpoint: enabled
        HttpTokens: required`,
      terraform: `  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }`,
      cli: "aws ec2 modify-instance-metadata-options --instance-id {{subject|i-…}} --http-endpoint enabled --http-tokens required",
    },
    references: [
      "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent.html",
    ],
  },
  examples: examplesOf("imds-disabled"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      const endpoint = a.instance.metadata.httpEndpoint;
      // A registered agent (live) has had its metadata; only what it depends on is unknown.
      if (endpoint.kind === "unknown" ? Boolean(a.instance.agent) : endpoint.value !== "disabled") continue;
      const location = endpoint.origin ?? a.instance.metadata.origin;
      const base = {
        subject: { key: a.instance.key, name: a.instance.name, origin: a.instance.origin },
        ...(location ? { location } : {}),
        instances: [a.instance.key],
      };
      if (endpoint.kind === "unknown") {
        drafts.push({
          ...base,
          messageId: "unknownEndpoint",
          args: { instance: a.instance.name, reason: endpoint.reason.message },
          verdict: "unknown",
          evidence: [],
          unknowns: [endpoint.reason],
        });
      } else {
        drafts.push({
          ...base,
          messageId: "disabled",
          args: { instance: a.instance.name },
          verdict: "fail",
          evidence: [{ code: "imds-disabled", args: { instance: a.instance.name }, ...(location ? { origin: location } : {}) }],
        });
      }
    }
    return drafts;
  },
});
