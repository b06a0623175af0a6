/**
 * What was read from an account → the World every rule reads (source "live"), element by element in the files of
 * their names. Keys are AWS ids (ARNs for IAM); origins carry the id and, where there is one, the ARN. A failed
 * call makes exactly the values it would have filled unknown, naming the permission that would decide them.
 */
import {
  assumedAgentVersion,
  DHMC_SETTING_ID,
  type DhmcSetting,
  dhmcOfSettingValue,
  emptyWorld,
  known,
  type StatedAssumptions,
  type Value,
  type World,
} from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { buildEndpoints } from "./endpoint.js";
import { buildHostedZones } from "./hosted-zone.js";
import { buildIam, operatorOf } from "./iam.js";
import { buildInstances } from "./instance.js";
import { buildNetworkAcls } from "./network-acl.js";
import { buildRouteTables } from "./route-table.js";
import { buildSecurityGroups } from "./security-group.js";
import { buildLogGroups, sessionPreferencesOf } from "./session-preferences.js";
import { buildSubnets } from "./subnet.js";
import { failed, type LiveScope, liveScope } from "./values.js";
import { buildBlockPublicAccess, buildVpcs } from "./vpc.js";

/** `stated`: what the caller states for the run; the account itself tells the region and DHMC. */
export function buildWorld(reads: AccountReads, stated: Pick<StatedAssumptions, "agentVersion"> = {}): World {
  const scope = liveScope(reads);
  const world = emptyWorld("live", [`account ${reads.identity.account}, ${reads.region}`], {
    region: known(reads.region),
    dhmc: dhmcOf(reads, scope),
    agentVersion: assumedAgentVersion(stated.agentVersion),
  });
  // VPCs first: subnets, default security groups and endpoint stand-ins hang off them. The rest keep the order
  // of the notes they add.
  buildVpcs(world, reads, scope);
  buildBlockPublicAccess(world, reads, scope);
  buildSubnets(world, reads, scope);
  buildRouteTables(world, reads, scope);
  buildSecurityGroups(world, reads, scope);
  buildNetworkAcls(world, reads, scope);
  buildEndpoints(world, reads, scope);
  buildHostedZones(world, reads, scope);
  buildIam(world, reads, scope);
  const sessionPreferences = sessionPreferencesOf(reads, scope);
  buildLogGroups(world, reads, scope);
  buildInstances(world, reads, scope);
  const operator = operatorOf(reads, scope);
  return { ...world, sessionPreferences, ...(operator ? { operator } : {}) };
}

/** The Default Host Management Configuration: enabled when the setting names a role. */
function dhmcOf(reads: AccountReads, { origin }: LiveScope): Value<DhmcSetting> {
  if (!reads.dhmc.ok) return failed(reads.dhmc.failure);
  return known(dhmcOfSettingValue(reads.dhmc.value?.SettingValue, origin(DHMC_SETTING_ID, reads.dhmc.value?.ARN)));
}
