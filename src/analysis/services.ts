/** The services the agent talks to, and how an endpoint's service name is read. */
import { DEPLOYMENT_REGION } from "../model/index.js";

export type ServiceId = "ssm" | "ssmmessages" | "ec2messages" | "s3" | "logs" | "kms";

export const SSM_FAMILY: readonly ServiceId[] = ["ssm", "ssmmessages", "ec2messages"];
export const ALL_SERVICES: readonly ServiceId[] = ["ssm", "ssmmessages", "ec2messages", "s3", "logs", "kms"];

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

export interface ParsedServiceName {
  /** The region in the name, or DEPLOYMENT_REGION when the template wrote ${AWS::Region}. */
  region: string;
  service: string;
}

/** "com.amazonaws.us-east-1.ssm" → { region: "us-east-1", service: "ssm" }; also "cn.com.amazonaws…" and FIPS-less variants. */
export function parseServiceName(name: string): ParsedServiceName | undefined {
  const m = /^(?:cn\.)?com\.amazonaws\.([^.]+|\$\{AWS::Region\})\.(.+)$/.exec(name.trim());
  if (!m) return undefined;
  return { region: m[1] === DEPLOYMENT_REGION ? DEPLOYMENT_REGION : m[1]!, service: m[2]! };
}

/** The public DNS name the agent resolves for a service. */
export function serviceHostname(service: ServiceId, region: string): string {
  return `${service}.${region}.amazonaws.com`;
}
