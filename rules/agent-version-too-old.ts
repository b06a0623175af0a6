import { compareVersions, PORT_FORWARDING_RECOMMENDED_VERSION, thresholdFor } from "../src/analysis/agent-versions.js";
import type { Evidence } from "../src/analysis/evidence.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { knownValue } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "tooOld" | "kmsTooOld" | "portForwarding";

export default defineRule<M>({
  meta: {
    id: "SD102",
    name: "agent-version-too-old",
    title: "The SSM Agent is older than the version the session setup needs",
    description:
      "Session Manager needs SSM Agent 2.3.68.0 or later; sessions encrypted with a KMS key need 2.3.539.0; port forwarding and SSH sessions need 2.3.672.0 (the prerequisites page asks for 3.0.222.0). An older agent registers and shows Online, yet sessions fail to start. Agents older than 3.3.40.0 also still need the ec2messages endpoint. Update the agent with the AWS-UpdateSSMAgent document.",
    prerequisite: "agent",
    severity: "error",
    appliesTo: ["live"],
    onUnknown: "skip",
    messages: {
      tooOld: "The SSM Agent of {{instance}} is {{version}}; Session Manager needs {{minimum}} or later. Update the agent.",
      kmsTooOld:
        "Session preferences encrypt sessions with KMS, which needs SSM Agent {{minimum}} or later; {{instance}} runs {{version}}. Update the agent.",
      portForwarding:
        "The SSM Agent of {{instance}} is {{version}}: shell sessions work, but port forwarding and SSH sessions need {{minimum}} or later. Update the agent.",
    },
    remediation: {
      cli: "aws ssm send-command --document-name AWS-UpdateSSMAgent --targets Key=InstanceIds,Values={{subject|i-…}}",
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-automatic-updates.html",
    ],
  },
  examples: examplesOf("agent-version-too-old"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    const prefs = knownValue(ctx.world.sessionPreferences);
    const kms = prefs ? Boolean(knownValue(prefs.kmsKeyId)) : false;
    for (const a of ctx.analysis.instances) {
      const version = a.instance.agent ? knownValue(a.instance.agent.agentVersion) : undefined;
      if (!version) continue;
      const subject = { key: a.instance.key, name: a.instance.name, origin: a.instance.origin };
      const base = { subject, instances: [a.instance.key], attribute: "agentVersion", verdict: "fail" as const };
      const evidence: Evidence[] = [{ code: "agent-version", args: { instance: a.instance.name, version } }];
      const session = thresholdFor("session-manager").minimum;
      const encryption = thresholdFor("kms-encryption").minimum;
      if (compareVersions(version, session) < 0)
        drafts.push({ ...base, messageId: "tooOld", args: { instance: a.instance.name, version, minimum: session }, evidence });
      else if (kms && compareVersions(version, encryption) < 0)
        drafts.push({ ...base, messageId: "kmsTooOld", args: { instance: a.instance.name, version, minimum: encryption }, evidence });
      else if (compareVersions(version, PORT_FORWARDING_RECOMMENDED_VERSION) < 0)
        drafts.push({
          ...base,
          messageId: "portForwarding",
          args: { instance: a.instance.name, version, minimum: PORT_FORWARDING_RECOMMENDED_VERSION },
          severity: "warning",
          evidence,
        });
    }
    return drafts;
  },
});
