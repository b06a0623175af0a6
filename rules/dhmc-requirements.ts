import { compareVersions } from "../src/analysis/agent-versions.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";

type M = "imdsv1" | "oldAgent";

const DHMC_MINIMUM_AGENT = "3.2.582.0";

export default defineRule<M>({
  meta: {
    id: "SD505",
    name: "dhmc-requirements",
    title: "An instance relies on Default Host Management Configuration but does not meet its requirements",
    description:
      "Default Host Management Configuration (DHMC) gives instances without an instance profile their Systems Manager credentials. It works only with IMDSv2 (the agent obtains the DHMC identity with a session token; set HttpTokens required) and SSM Agent 3.2.582.0 or later. When an instance depends on DHMC and does not meet these, it never registers.",
    prerequisite: "iam",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      imdsv1:
        "{{instance}} has no instance profile and so depends on Default Host Management Configuration, which supports only IMDSv2; its HttpTokens is {{tokens}}{{defaulted}}, which leaves IMDSv1 on. Set HttpTokens to required.",
      oldAgent:
        "{{instance}} depends on Default Host Management Configuration, which needs SSM Agent {{minimum}} or later; its agent is {{version}}.",
    },
    remediation: {
      cloudformation: `      MetadataOptions:
        HttpTokens: required`,
      terraform: `  metadata_options {
    http_tokens = "required"
  }`,
      cli: "aws ec2 modify-instance-metadata-options --instance-id i-… --http-tokens required --http-endpoint enabled",
    },
    references: ["https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html"],
  },
  examples: {
    cloudformation: {
      bad: `      # no IamInstanceProfile, and:
      MetadataOptions:
        HttpTokens: optional`,
      good: `      MetadataOptions:
        HttpTokens: required`,
    },
  },
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      if (a.identity.kind !== "none") continue;
      const dhmc = a.dhmc;
      if (dhmc.kind === "known" && !dhmc.value.enabled) continue; // SD501 says it: no identity at all
      const severity = dhmc.kind === "known" ? "error" : "warning";
      const subject = { key: a.instance.key, name: a.instance.name, origin: a.instance.origin };
      const tokens = a.instance.metadata.httpTokens;
      // Without an explicit HttpTokens the default follows the AMI: images marked ImdsSupport v2.0
      // (Amazon Linux 2023) launch with "required"; for an image we cannot name, the default is unknown.
      const defaultedByImage =
        tokens.kind === "known" &&
        tokens.provenance === "default" &&
        (a.image.agent === "unknown" || /Amazon Linux 2023/i.test(a.image.family));
      if (tokens.kind === "known" && tokens.value !== "required" && !defaultedByImage) {
        const location = tokens.origin ?? a.instance.metadata.origin;
        drafts.push({
          messageId: "imdsv1",
          args: { instance: a.instance.name, tokens: tokens.value, defaulted: tokens.provenance === "default" ? " (the default)" : "" },
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
