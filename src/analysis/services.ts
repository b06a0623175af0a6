/** The services the agent talks to, and how an endpoint's service name is read. */
import { DEPLOYMENT_REGION, type ServiceId } from "../model/index.js";

export type { ServiceId } from "../model/index.js";

export const SSM_FAMILY: readonly ServiceId[] = ["ssm", "ssmmessages", "ec2messages"];
export const ALL_SERVICES: readonly ServiceId[] = ["ssm", "ssmmessages", "ec2messages", "s3", "logs", "kms"];

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
