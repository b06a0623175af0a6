/**
 * SSM Agent version facts (DESIGN section 2, prerequisites 1 and 2). Pure data and comparisons.
 */
import { DEPLOYMENT_REGION, known, LATEST_KNOWN_AGENT_VERSION, type Value } from "../model/index.js";

/**
 * Numeric dotted comparison: "3.3.40.0" vs "3.3.1142.0". Missing parts count as 0 ("3.3.40" = "3.3.40.0");
 * a leading "v" and anything after the first non-numeric character of a part ("3.2.1705.0-1.amzn2023") are ignored.
 * Returns a negative number when a < b, 0 when equal, positive when a > b.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  const n = Math.max(pa.length, pb.length, 4);
  for (let i = 0; i < n; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function parts(v: string): number[] {
  const s = v.trim().replace(/^v/i, "");
  const out: number[] = [];
  for (const p of s.split(".")) {
    const m = /^\d+/.exec(p);
    if (!m) break;
    out.push(Number(m[0]));
    if (m[0].length !== p.length) break; // "0-1" -> 0, then stop
  }
  return out;
}

/** True when the string looks like an agent version ("3.3.40.0", "2.3.68"). */
export function isVersion(v: string): boolean {
  return /^v?\d+(\.\d+){1,3}$/i.test(v.trim());
}

export type AgentFeature =
  | "session-manager"
  | "kms-encryption"
  | "port-forwarding"
  | "cloudwatch-streaming"
  | "dhmc"
  | "remote-port-forwarding"
  | "ssmmessages-only";

export interface AgentThreshold {
  feature: AgentFeature;
  minimum: string;
  description: string;
  source: string;
}

const PREREQS = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html";

export const AGENT_THRESHOLDS: readonly AgentThreshold[] = [
  {
    feature: "session-manager",
    minimum: "2.3.68.0",
    description: "Session Manager sessions",
    source: PREREQS,
  },
  {
    feature: "kms-encryption",
    minimum: "2.3.539.0",
    description: "sessions encrypted with an AWS KMS key",
    source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html",
  },
  {
    feature: "port-forwarding",
    minimum: "2.3.672.0",
    description: "port forwarding sessions (the prerequisites page asks for 3.0.222.0 for port forwarding and SSH sessions)",
    source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html",
  },
  {
    feature: "cloudwatch-streaming",
    minimum: "3.0.284.0",
    description: "streaming session data to CloudWatch Logs",
    source: PREREQS,
  },
  {
    feature: "dhmc",
    minimum: "3.2.582.0",
    description: "Default Host Management Configuration",
    source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html",
  },
  {
    feature: "remote-port-forwarding",
    minimum: "3.1.1374.0",
    description: "port forwarding to a remote host",
    source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html",
  },
  {
    feature: "ssmmessages-only",
    minimum: "3.3.40.0",
    description: "uses ssmmessages instead of ec2messages (no ec2messages endpoint needed)",
    source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
  },
];

/** Port forwarding and SSH sessions: the prerequisites page's (higher) minimum; below it, warn. */
export const PORT_FORWARDING_RECOMMENDED_VERSION = "3.0.222.0";

export function thresholdFor(feature: AgentFeature): AgentThreshold {
  const t = AGENT_THRESHOLDS.find((x) => x.feature === feature);
  if (!t) throw new Error(`no agent threshold for ${feature}`);
  return t;
}

/** True when `version` meets the minimum for `feature`. */
export function supports(version: string, feature: AgentFeature): boolean {
  return compareVersions(version, thresholdFor(feature).minimum) >= 0;
}

/**
 * Whether the agent needs the ec2messages service. The caller passes the version it assumes
 * (the live version, --agent-version, or LATEST_KNOWN_AGENT_VERSION); undefined means "assume the latest".
 */
export function needsEc2Messages(agentVersion: string | undefined): Value<boolean> {
  const v = agentVersion ?? LATEST_KNOWN_AGENT_VERSION;
  return known(compareVersions(v, thresholdFor("ssmmessages-only").minimum) < 0);
}

/**
 * Regions launched in 2024 or later: Systems Manager offers no ec2messages endpoint there
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).
 * Launch dates: ap-southeast-5 Malaysia 2024-08, ap-southeast-7 Thailand 2025-01, mx-central-1 Mexico 2025-01,
 * ap-east-2 Taipei 2025-06, ap-southeast-6 New Zealand 2025-09. ca-west-1 Calgary opened 2023-12-20, so it has one.
 */
const REGIONS_WITHOUT_EC2MESSAGES: ReadonlySet<string> = new Set([
  "ap-southeast-5",
  "ap-southeast-7",
  "mx-central-1",
  "ap-east-2",
  "ap-southeast-6",
]);

/** Regions launched before 2024 (commercial, China, GovCloud). */
const REGIONS_WITH_EC2MESSAGES: ReadonlySet<string> = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "sa-east-1",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-west-1",
  "us-gov-east-1",
]);

/**
 * Whether the region offers the ec2messages endpoint. false for regions launched in 2024 or later,
 * true for older ones, undefined for a region this build does not know (or the unresolved deployment region).
 */
export function regionHasEc2Messages(region: string): boolean | undefined {
  const r = region.trim().toLowerCase();
  if (r === "" || region === DEPLOYMENT_REGION) return undefined;
  if (REGIONS_WITHOUT_EC2MESSAGES.has(r)) return false;
  if (REGIONS_WITH_EC2MESSAGES.has(r)) return true;
  return undefined;
}
