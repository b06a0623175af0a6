import { compareVersions } from "../src/analysis/agent-versions.js";
import { imdsV1Allowed } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { examplesOf } from "./examples/index.js";

type M = "imdsv1" | "oldAgent";

const DHMC_MINIMUM_AGENT = "3.2.582.0";

export default defineRule<M>({
  meta: {
    id: "SD505",
    name: "dhmc-requirements",
    title: "An instance relies on Default Host Management Configuration but does not meet its requirements",
    description:
      "Default Host Management Configuration (DHMC) gives instances without an instance profile their Systems Manager credentials. It supports only IMDSv2 (set HttpTokens required) and SSM Agent 3.2.582.0 or later. When DHMC is known to be on (dhmc: enabled in .ssm-doctor.yaml, --dhmc enabled, a Terraform aws_ssm_service_setting, or the live account) and an instance depends on it without meeting these, it never registers. While DHMC is unknown, SD501 gives the same advice.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      imdsv1:
        "{{instance}} has no instance profile and so depends on Default Host Management Configuration, which supports only IMDSv2; its {{attribute:httpTokens}} is {{tokens}}{{#defaulted}} (the default){{/defaulted}}, which leaves IMDSv1 on. Set {{attribute:httpTokens}} to required.",
      oldAgent:
        "{{instance}} depends on Default Host Management Configuration, which needs SSM Agent {{minimum}} or later; its agent is {{version}}.",
    },
    remediation: {
      cloudformation: `      MetadataOptions:
        HttpTokens: required`,
      terraform: `  metadata_options {
    http_tokens = "required"
  }`,
      cli: "aws ec2 modify-instance-metadata-options --instance-id {{subject|i-…}} --http-tokens required --http-endpoint enabled",
    },
    references: ["https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html"],
  },
  examples: examplesOf("dhmc-requirements", {
    // Under DHMC with IMDSv1 on, the agent gets no identity and never registers, which the live account shows as SD101.
    live: ["SD101"],
  }),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "none") continue;
      // Relied on only when the setting is known to be on; while it is unknown, SD501's warning carries
      // the same advice, so one cause gives one finding.
      const dhmc = a.dhmc;
      if (dhmc.kind !== "known" || !dhmc.value.enabled) continue;
      const severity = "error";
      const subject = { key: a.instance.key, name: a.instance.name, origin: a.instance.origin };
      const imds = imdsV1Allowed(a);
      const tokens = a.instance.metadata.httpTokens;
      if (imds.allowed && tokens.kind === "known") {
        const location = tokens.origin ?? a.instance.metadata.origin;
        drafts.push({
          messageId: "imdsv1",
          args: { instance: a.instance.name, tokens: tokens.value, defaulted: tokens.provenance === "default" },
          subject,
          ...(location ? { location } : {}),
          attribute: "metadata.httpTokens",
          verdict: "fail",
          severity,
          instances: [a.instance.key],
          evidence: [{ code: "imds-tokens", args: { instance: a.instance.name, tokens: tokens.value } }],
        });
      }
      if (!a.agentVersion.assumed && compareVersions(a.agentVersion.version, DHMC_MINIMUM_AGENT) < 0) {
        drafts.push({
          messageId: "oldAgent",
          args: { instance: a.instance.name, minimum: DHMC_MINIMUM_AGENT, version: a.agentVersion.version },
          subject,
          attribute: "agentVersion",
          verdict: "fail",
          severity,
          instances: [a.instance.key],
          evidence: [],
        });
      }
    }
    return drafts;
  },
});
