import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { examplesOf } from "./examples/index.js";

/** In a plan only notRunning can fail: the state aws_ec2_instance_state sets. */
const START_INSTANCE = `resource "aws_ec2_instance_state" "app" {
  instance_id = {{subject|aws_instance.app}}.id
  state       = "running"
}`;

type M = "notRunning" | "notRegistered" | "notOnline" | "unknownAgent" | "unknownState";

export default defineRule<M>({
  meta: {
    id: "SD101",
    name: "agent-not-online",
    title: "The SSM Agent of the instance is not registered or not online",
    description:
      "Session Manager reaches an instance only through its SSM Agent, which registers with Systems Manager and keeps pinging it. ssm:DescribeInstanceInformation shows the agent's PingStatus: Online is needed. ConnectionLost means the agent stopped reaching the ssm endpoint (network, DNS, IAM, or the agent stopped); an instance absent from the list never registered (no agent, no credentials, or no path). A stopped instance cannot be reached at all, whether EC2 reports it stopped or a Terraform aws_ec2_instance_state puts it there.",
    prerequisite: "agent",
    severity: "error",
    appliesTo: ["live", "terraform"],
    onUnknown: "note",
    messages: {
      notRunning: "{{instance}} is {{state}}, so there is nothing for Session Manager to connect to. Start it.",
      notRegistered:
        "The SSM Agent of {{instance}} has never registered with Systems Manager: it is not installed or not running, or it has no credentials or no path to the ssm endpoint (see the other findings for this instance).",
      notOnline:
        "The SSM Agent of {{instance}} is {{ping}} (last ping {{lastPing}}): it no longer reaches Systems Manager. Check the agent (systemctl status amazon-ssm-agent) and the path and permissions below.",
      unknownAgent: "Whether the SSM Agent of {{instance}} is online is not known: {{reason}}.",
      unknownState: "Whether {{instance}} runs is not known: {{reason}}.",
    },
    messageRemediation: {
      notRunning: {
        terraform: START_INSTANCE,
        cli: "aws ec2 start-instances --instance-ids {{subject|i-…}}",
      },
    },
    remediation: {
      terraform: START_INSTANCE,
      cli: "aws ssm describe-instance-information --filters Key=InstanceIds,Values={{subject|i-…}}   # then, on the instance: sudo systemctl restart amazon-ssm-agent",
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html",
      "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformation.html",
    ],
  },
  examples: examplesOf("agent-not-online"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    for (const a of ctx.analysis.instances) {
      const agent = a.instance.agent;
      const subject = { key: a.instance.key, name: a.instance.name, origin: a.instance.origin };
      const base = { subject, instances: [a.instance.key] };
      // Live: the state EC2 reports; a plan: the state aws_ec2_instance_state puts the instance in.
      const state = a.instance.state;
      if (state?.kind === "known" && state.value !== "running") {
        drafts.push({
          ...base,
          ...(state.origin ? { location: state.origin } : {}),
          messageId: "notRunning",
          args: { instance: a.instance.name, state: state.value },
          verdict: "fail",
          evidence: [{ code: "instance-state", args: { instance: a.instance.name, state: state.value } }],
        });
        continue;
      }
      if (state?.kind === "unknown" && !agent) {
        drafts.push({
          ...base,
          messageId: "unknownState",
          args: { instance: a.instance.name, reason: state.reason.message },
          verdict: "unknown",
          evidence: [],
          unknowns: [state.reason],
        });
        continue;
      }
      if (!agent) continue;
      if (agent.registered.kind === "unknown") {
        drafts.push({
          ...base,
          messageId: "unknownAgent",
          args: { instance: a.instance.name, reason: agent.registered.reason.message },
          verdict: "unknown",
          evidence: [],
          unknowns: [agent.registered.reason],
        });
        continue;
      }
      if (!agent.registered.value) {
        drafts.push({
          ...base,
          messageId: "notRegistered",
          args: { instance: a.instance.name },
          verdict: "fail",
          evidence: [{ code: "agent-not-registered", args: { instance: a.instance.name } }],
        });
        continue;
      }
      const ping = agent.pingStatus;
      if (ping.kind === "known" && ping.value !== "Online") {
        const lastPing = agent.lastPing?.kind === "known" ? agent.lastPing.value : "unknown";
        drafts.push({
          ...base,
          messageId: "notOnline",
          args: { instance: a.instance.name, ping: ping.value, lastPing },
          verdict: "fail",
          evidence: [{ code: "agent-ping", args: { instance: a.instance.name, ping: ping.value, lastPing } }],
        });
      }
    }
    return drafts;
  },
});
