/**
 * Gathers what `check` needs from an account, batched by kind across all selected instances: one call
 * family per resource kind with id filters (never one per instance), every page, each result cached for the
 * run. Calls that depend on others start as soon as their inputs are known; all share one concurrency bound.
 * Each element's reads are in the file of its name; this module only starts them, in order, and gathers them.
 *
 * One failing call (AccessDenied, UnauthorizedOperation, timeout) is kept as a failed Outcome: the values it
 * would have filled become unknown when the model is built, and the run goes on.
 */
import type { Caller } from "../caller.js";
import { sdk } from "../sdk.js";
import { type DhmcReads, readDhmcSetting } from "./dhmc.js";
import { type EndpointReads, listEndpointInterfaces, listEndpoints } from "./endpoint.js";
import { type HostedZoneReads, listHostedZones } from "./hosted-zone.js";
import { type IamReads, readIam, scopedSimulations } from "./iam.js";
import { describeAgents, type InstanceReads, listInstances, listProfileAssociations, type Selection, SSM_IDS } from "./instance.js";
import type { Ec2Reader } from "./listing.js";
import { listManagedNodes, type ManagedNodeList } from "./managed-nodes.js";
import { listNetworkAcls, type NetworkAclReads } from "./network-acl.js";
import { listInternetGateways, listNatGateways, listRouteTables, type RouteTableReads } from "./route-table.js";
import { listSecurityGroups, readPrefixLists, type SecurityGroupReads } from "./security-group.js";
import {
  readLogGroup,
  readSessionDocument,
  type SessionPreferencesReads,
  sessionDocumentInputs,
  sessionInput,
} from "./session-preferences.js";
import { listSubnets, type SubnetReads } from "./subnet.js";
import { listDhcpOptions, listVpcs, readBlockPublicAccess, readVpcDnsAttributes, type VpcReads } from "./vpc.js";

export { type OperatorReads, principalArn } from "./iam.js";
export type { Selection } from "./instance.js";

export interface Identity {
  account: string;
  arn: string;
}

/** Everything read from one account and region, element by element (a sweep's --resume file keeps it). */
export type AccountReads = { identity: Identity; region: string; partition: string } & InstanceReads &
  VpcReads &
  SubnetReads &
  RouteTableReads &
  SecurityGroupReads &
  NetworkAclReads &
  EndpointReads &
  HostedZoneReads &
  IamReads &
  DhmcReads &
  SessionPreferencesReads;

export async function collect(caller: Caller, selection: Selection, identity: Identity, region: string): Promise<AccountReads> {
  const partition = /^arn:([^:]+):/.exec(identity.arn)?.[1] ?? "aws";
  const ec2 = await caller.ec2();
  // A region's fleet of more than one page starts the list of its managed nodes at once, beside the rest of the
  // instance listing; past the page budget of the instances the first page holds, it waits for the count.
  let managedNodes: ManagedNodeList | undefined;
  const { instances, missing } = await listInstances(caller, ec2, selection, (atLeast) => {
    managedNodes = listManagedNodes(caller, Math.ceil(atLeast / SSM_IDS) - 1, true);
  });
  const instanceIds = [...new Set(instances.map((i) => i.InstanceId))].filter((x): x is string => Boolean(x));
  const vpcIds = [...new Set(instances.map((i) => i.VpcId).filter((x): x is string => Boolean(x)))];
  const reader: Ec2Reader = { caller, ec2, sdk: sdk.ec2(), vpcIds };

  const systemsManagerRead = readSystemsManager(caller, instanceIds, managedNodes);
  const preferences = systemsManagerRead.then(({ sessionDocument }) =>
    sessionDocument.ok && sessionDocument.value !== null ? sessionDocumentInputs(sessionDocument.value) : undefined,
  );
  const network = startNetworkReads(reader, region, preferences.then(preferenceServices));
  const associationsRead = listProfileAssociations(reader, instances);
  const logGroupRead = preferences.then((inputs) => (inputs ? readLogGroup(caller, inputs) : undefined));
  const scoped = preferences.then((inputs) => (inputs ? scopedSimulations(inputs, { partition, region, account: identity.account }) : []));
  const iamRead = readIam(caller, {
    scoped,
    instances,
    ...(selection.principal ? { principal: selection.principal } : {}),
    account: identity.account,
    region,
    partition,
  });
  const [
    vpcs,
    vpcAttributes,
    dhcpOptions,
    subnets,
    routeTables,
    natGateways,
    internetGateways,
    securityGroups,
    prefixLists,
    networkAcls,
    blockPublicAccess,
  ] = await Promise.all([
    network.vpcs,
    network.vpcAttributes,
    network.dhcpOptions,
    network.subnets,
    network.routeTables,
    network.natGateways,
    network.internetGateways,
    network.securityGroups,
    network.prefixLists,
    network.networkAcls,
    network.blockPublicAccess,
  ]);
  const [endpoints, endpointInterfaces, hostedZones, associations, systemsManager, iam, logGroup] = await Promise.all([
    network.endpoints,
    network.endpointInterfaces,
    network.hostedZones,
    associationsRead,
    systemsManagerRead,
    iamRead,
    logGroupRead,
  ]);
  return {
    identity,
    region,
    partition,
    instances,
    missing,
    agents: systemsManager.agents,
    ...(associations ? { associations } : {}),
    vpcs,
    vpcAttributes: new Map(vpcAttributes),
    ...(dhcpOptions ? { dhcpOptions } : {}),
    ...(blockPublicAccess ? { blockPublicAccess } : {}),
    subnets,
    routeTables,
    ...(natGateways ? { natGateways } : {}),
    ...(internetGateways ? { internetGateways } : {}),
    securityGroups,
    ...(prefixLists.lists ? { prefixLists: prefixLists.lists } : {}),
    prefixListEntries: prefixLists.entries,
    networkAcls,
    endpoints,
    ...(endpointInterfaces ? { endpointInterfaces } : {}),
    hostedZones,
    profiles: iam.profiles,
    attachedPolicies: iam.attachedPolicies,
    simulations: iam.simulations,
    dhmc: systemsManager.dhmc,
    sessionDocument: systemsManager.sessionDocument,
    ...(logGroup ? { logGroup } : {}),
    ...(iam.operator ? { operator: iam.operator } : {}),
  };
}

/**
 * The services the session preferences have the agent call beside ssm and ssmmessages: kms for a key, s3 and logs for
 * the destinations. A private hosted zone may answer for any of them (centralised endpoints).
 */
function preferenceServices(inputs: Record<string, unknown> | undefined): string[] {
  if (!inputs) return [];
  const set = (name: string) => sessionInput(inputs, name) !== undefined;
  return [...(set("kmsKeyId") ? ["kms"] : []), ...(set("s3BucketName") ? ["s3"] : []), ...(set("cloudWatchLogGroupName") ? ["logs"] : [])];
}

/** Starts every network read in the order they queue; a read that needs another's ids starts when it has them. */
function startNetworkReads(reader: Ec2Reader, region: string, services: Promise<string[]>) {
  const vpcs = listVpcs(reader);
  const vpcAttributes = readVpcDnsAttributes(reader);
  const dhcpOptions = vpcs.then((read) => listDhcpOptions(reader, read));
  const blockPublicAccess = vpcs.then((read) => readBlockPublicAccess(reader, read));
  const subnets = listSubnets(reader);
  const routeTables = listRouteTables(reader);
  const natGateways = routeTables.then((read) => listNatGateways(reader, read));
  const internetGateways = routeTables.then((read) => listInternetGateways(reader, read));
  const securityGroups = listSecurityGroups(reader);
  const prefixLists = securityGroups.then((read) => readPrefixLists(reader, read));
  const networkAcls = listNetworkAcls(reader);
  const endpoints = listEndpoints(reader);
  const endpointInterfaces = endpoints.then((read) => listEndpointInterfaces(reader, read));
  const hostedZones = Promise.all([endpoints, services]).then(([read, extra]) =>
    listHostedZones(reader.caller, region, reader.vpcIds, read, extra),
  );
  return {
    vpcs,
    vpcAttributes,
    dhcpOptions,
    blockPublicAccess,
    subnets,
    routeTables,
    natGateways,
    internetGateways,
    securityGroups,
    prefixLists,
    networkAcls,
    endpoints,
    endpointInterfaces,
    hostedZones,
  };
}

/** The agents first, then the DHMC setting and the session document together, on one SSM client. */
async function readSystemsManager(
  caller: Caller,
  instanceIds: string[],
  managedNodes: ManagedNodeList | undefined,
): Promise<Pick<InstanceReads, "agents"> & DhmcReads & SessionPreferencesReads> {
  const ssm = await caller.ssm();
  const ssmSdk = sdk.ssm();
  const agents = await describeAgents(caller, ssm, ssmSdk, instanceIds, managedNodes);
  const dhmc = readDhmcSetting(caller, ssm, ssmSdk);
  const sessionDocument = readSessionDocument(caller, ssm, ssmSdk);
  return { agents, dhmc: await dhmc, sessionDocument: await sessionDocument };
}
