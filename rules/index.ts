/** The explicit, sorted registry of rules. Ids are stable forever; add rules, never renumber. */
import type { Rule } from "../src/engine/rule.js";
import agentNotOnline from "./agent-not-online.js";
import agentVersionTooOld from "./agent-version-too-old.js";
import customDnsServers from "./custom-dns-servers.js";
import deprecatedSsmPolicy from "./deprecated-ssm-policy.js";
import dhmcRequirements from "./dhmc-requirements.js";
import endpointIngressBlocked from "./endpoint-ingress-blocked.js";
import endpointNotAvailable from "./endpoint-not-available.js";
import endpointNotInInstanceAz from "./endpoint-not-in-instance-az.js";
import endpointPolicyDenies from "./endpoint-policy-denies.js";
import endpointPrivateDnsOff from "./endpoint-private-dns-off.js";
import endpointWrongRegion from "./endpoint-wrong-region.js";
import endpointWrongType from "./endpoint-wrong-type.js";
import imageWithoutAgent from "./image-without-agent.js";
import imdsDisabled from "./imds-disabled.js";
import instanceEgressBlocked from "./instance-egress-blocked.js";
import naclBlocksHttps from "./nacl-blocks-https.js";
import noInstanceIdentity from "./no-instance-identity.js";
import noPathToService from "./no-path-to-service.js";
import noRouteToInternet from "./no-route-to-internet.js";
import operatorCannotStartSession from "./operator-cannot-start-session.js";
import roleLacksPermissions from "./role-lacks-permissions.js";
import roleNotTrustingEc2 from "./role-not-trusting-ec2.js";
import sessionLoggingUnreachable from "./session-logging-unreachable.js";
import terraformSgWithoutEgress from "./terraform-sg-without-egress.js";
import vpcDnsDisabled from "./vpc-dns-disabled.js";

export const RULES: readonly Rule[] = [
  agentNotOnline,
  agentVersionTooOld,
  imageWithoutAgent,
  imdsDisabled,
  noPathToService,
  endpointWrongType,
  endpointWrongRegion,
  endpointNotInInstanceAz,
  endpointNotAvailable,
  endpointPolicyDenies,
  noRouteToInternet,
  instanceEgressBlocked,
  terraformSgWithoutEgress,
  endpointIngressBlocked,
  naclBlocksHttps,
  vpcDnsDisabled,
  endpointPrivateDnsOff,
  customDnsServers,
  noInstanceIdentity,
  roleNotTrustingEc2,
  roleLacksPermissions,
  deprecatedSsmPolicy,
  dhmcRequirements,
  operatorCannotStartSession,
  sessionLoggingUnreachable,
] as Rule[];

export function findRule(idOrName: string): Rule | undefined {
  const q = idOrName.trim().toLowerCase();
  return RULES.find((r) => r.meta.id.toLowerCase() === q || r.meta.name === q);
}
