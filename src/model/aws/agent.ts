/** The SSM Agent: the services it calls, the actions it needs on each, and the newest release this build knows. */
import { defaulted, known, type Value } from "../value.js";

export type ServiceId = "ssm" | "ssmmessages" | "ec2messages" | "s3" | "logs" | "kms";

/** Actions the agent calls on each service (DESIGN section 2, prerequisite 5). */
export const REQUIRED_ACTIONS: Record<ServiceId, readonly string[]> = {
  ssm: ["ssm:UpdateInstanceInformation"],
  ssmmessages: [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ],
  ec2messages: [
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
  ],
  s3: ["s3:PutObject", "s3:GetEncryptionConfiguration"],
  logs: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
  // The instance decrypts session data; kms:GenerateDataKey is the operator's permission.
  kms: ["kms:Decrypt"],
};

/** Every action the agent may call, over all its services (what a live run asks IAM to simulate). */
export const AGENT_ACTIONS: readonly string[] = Object.values(REQUIRED_ACTIONS).flat();

/**
 * The newest agent release this build knows of: 3.3.4624.0, released 2026-06-02
 * (https://github.com/aws/amazon-ssm-agent/releases/tag/3.3.4624.0). The default for --agent-version.
 */
export const LATEST_KNOWN_AGENT_VERSION = "3.3.4624.0";

/** The agent version a run assumes where an instance reports none: the stated one, else the latest known (a default). */
export function assumedAgentVersion(stated: string | undefined): Value<string> {
  return stated ? known(stated) : defaulted(LATEST_KNOWN_AGENT_VERSION);
}
