/**
 * The selected instances (required: nothing can be checked without them), the profile associations that explain
 * a missing instance profile, and each instance's registration with Systems Manager.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as SSM from "@aws-sdk/client-ssm";
import { InputError } from "../../../model/index.js";
import { type Caller, CREDENTIAL_ERRORS, chunks, errorCode, type Outcome } from "../caller.js";
import { type Sdk, sdk } from "../sdk.js";
import { allOutcomes, type Ec2Reader, FILTER_VALUES, idFilters, listEc2, nextToken, succeeded } from "./listing.js";
import { listManagedNodes, type ManagedNodeList } from "./managed-nodes.js";

/** Ids per SSM InstanceIds filter. */
export const SSM_IDS = 50;
/** Instance listings in flight at once for a fleet larger than one page (the default --concurrency). */
const INSTANCE_LISTINGS = 16;

export interface Selection {
  instanceIds: string[];
  all: boolean;
  tags: { key: string; value: string }[];
  principal?: string;
}

export interface InstanceReads {
  instances: EC2.Instance[];
  /** --instance ids that DescribeInstances did not return. */
  missing: string[];
  agents: Outcome<Map<string, SSM.InstanceInformation>>;
  associations?: Outcome<EC2.IamInstanceProfileAssociation[]>;
}

/** Every page of DescribeInstances with these filters, from the page `from` on. */
async function describeInstances(caller: Caller, ec2: EC2.EC2Client, filters: EC2.Filter[], from?: string): Promise<EC2.Instance[]> {
  const { DescribeInstancesCommand } = sdk.ec2();
  const pages = await caller.pages(
    "ec2:DescribeInstances",
    (t) => {
      const NextToken = t ?? from;
      return ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }));
    },
    (p) => p.NextToken,
  );
  return pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
}

/**
 * A region's fleet (--all, --tag) larger than one page is listed by groups of VPCs, all groups at once, rather
 * than one page after another: the first page tells whether there is more. A small fleet costs one call, as
 * before; a large one about one call per group and page.
 */
async function describeRegion(
  caller: Caller,
  ec2: EC2.EC2Client,
  filters: EC2.Filter[],
  onLarge?: (atLeast: number) => void,
): Promise<EC2.Instance[]> {
  const ec2Sdk = sdk.ec2();
  const first = await caller.call("ec2:DescribeInstances", () =>
    ec2.send(new ec2Sdk.DescribeInstancesCommand({ Filters: filters, MaxResults: 1000 })),
  );
  const firstItems = (first.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  if (!first.NextToken) return firstItems;
  onLarge?.(firstItems.length);
  let vpcs: string[] = [];
  try {
    const pages = await caller.pages(
      "ec2:DescribeVpcs",
      (t) => ec2.send(new ec2Sdk.DescribeVpcsCommand({ MaxResults: 1000, ...nextToken(t) })),
      (p) => p.NextToken,
    );
    vpcs = pages.flatMap((p) => (p.Vpcs ?? []).map((v) => v.VpcId ?? "")).filter(Boolean);
  } catch (e) {
    if (CREDENTIAL_ERRORS.has(errorCode(e))) throw e;
    // Not allowed to list VPCs: the pages one after another (the VPC read reports the denial later).
  }
  const listed = new Set(vpcs);
  if (vpcs.length < 2 || firstItems.some((i) => !i.VpcId || !listed.has(i.VpcId)))
    return [...firstItems, ...(await describeInstances(caller, ec2, filters, first.NextToken))];
  const groupCount = Math.min(vpcs.length, INSTANCE_LISTINGS);
  const groups = chunks(vpcs, Math.min(FILTER_VALUES, Math.ceil(vpcs.length / groupCount)));
  const perGroup = await Promise.all(groups.map((ids) => describeInstances(caller, ec2, [...filters, { Name: "vpc-id", Values: ids }])));
  return perGroup.flat();
}

/** The instances of the selection: the --instance ids by id filters, else the running ones of the region. */
export async function listInstances(
  caller: Caller,
  ec2: EC2.EC2Client,
  selection: Selection,
  /** Called as soon as the region's selection is known to take more than one page, with the instances it has at least. */
  onLarge?: (atLeast: number) => void,
): Promise<Pick<InstanceReads, "instances" | "missing">> {
  const tagFilters: EC2.Filter[] = selection.tags.map((t) => ({ Name: `tag:${t.key}`, Values: [t.value] }));
  const stateFilter: EC2.Filter[] = selection.instanceIds.length > 0 ? [] : [{ Name: "instance-state-name", Values: ["running"] }];
  let instances: EC2.Instance[];
  try {
    instances =
      selection.instanceIds.length > 0
        ? (
            await Promise.all(
              chunks(selection.instanceIds, FILTER_VALUES).map((ids) =>
                describeInstances(caller, ec2, [...tagFilters, { Name: "instance-id", Values: ids }]),
              ),
            )
          ).flat()
        : await describeRegion(caller, ec2, [...tagFilters, ...stateFilter], onLarge);
  } catch (e) {
    const code = (e as Error).name;
    if (code === "UnauthorizedOperation" || code === "AccessDenied")
      throw new InputError(
        "the caller may not call ec2:DescribeInstances, so no instance can be checked",
        undefined,
        undefined,
        undefined,
        "grant ec2:DescribeInstances (docs/iam-policy.json is the minimal policy)",
      );
    throw e;
  }
  const found = new Set(instances.map((i) => i.InstanceId));
  return { instances, missing: selection.instanceIds.filter((id) => !found.has(id)) };
}

/** Read only to explain an instance without a profile (an association still being made or removed). */
export function listProfileAssociations(
  reader: Ec2Reader,
  instances: EC2.Instance[],
): Promise<Outcome<EC2.IamInstanceProfileAssociation[]> | undefined> {
  const withoutProfile = instances.filter((i) => !i.IamInstanceProfile?.Arn).map((i) => i.InstanceId!);
  if (withoutProfile.length === 0) return Promise.resolve(undefined);
  const { caller, ec2, sdk } = reader;
  return listEc2(
    caller,
    "ec2:DescribeIamInstanceProfileAssociations",
    idFilters("instance-id", withoutProfile),
    (request) => ec2.send(new sdk.DescribeIamInstanceProfileAssociationsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.IamInstanceProfileAssociations,
  );
}

/**
 * Each instance's registration with Systems Manager (its agent), by instance id. Up to SSM_IDS instances take one
 * DescribeInstanceInformation call. More are first looked up in the region's list of managed nodes
 * (managed-nodes.ts), for at most one page fewer than the filtered reads would cost: a list read to its end
 * holds every managed node, so an instance absent from it is not registered; the instances a list cut short did
 * not reach are read by id as before. The list is an economy, never a verdict: when it cannot be read (denied,
 * unknown to the endpoint, failed) everything is read by id, and only a failure of those reads leaves the agents
 * unknown, naming ssm:DescribeInstanceInformation. `early` is a list started before the instances were all known.
 */
export async function describeAgents(
  caller: Caller,
  ssm: SSM.SSMClient,
  sdk: Sdk["ssm"],
  instanceIds: string[],
  early?: ManagedNodeList,
): Promise<InstanceReads["agents"]> {
  const pages = Math.ceil(instanceIds.length / SSM_IDS) - 1;
  early?.limit(pages);
  const list = early ?? (pages > 0 ? listManagedNodes(caller, pages) : undefined);
  const listed = await list?.nodes;
  const found = new Map(instanceIds.flatMap((id) => (listed?.nodes.has(id) ? [[id, listed.nodes.get(id)!] as const] : [])));
  const byId = listed?.complete ? [] : instanceIds.filter((id) => !found.has(id));
  const read = await describeInstanceInformation(caller, ssm, sdk, byId);
  if (!read.ok) return read;
  for (const a of read.value) if (a.InstanceId) found.set(a.InstanceId, a);
  return succeeded(found);
}

/** DescribeInstanceInformation filtered by SSM_IDS instance ids a call, all batches at once. */
async function describeInstanceInformation(
  caller: Caller,
  ssm: SSM.SSMClient,
  sdk: Sdk["ssm"],
  instanceIds: string[],
): Promise<Outcome<SSM.InstanceInformation[]>> {
  return allOutcomes(
    await Promise.all(
      chunks(instanceIds, SSM_IDS).map((chunk) =>
        caller.attempt("ssm:DescribeInstanceInformation", async () =>
          (
            await caller.pages(
              "ssm:DescribeInstanceInformation",
              (t) =>
                ssm.send(
                  new sdk.DescribeInstanceInformationCommand({
                    Filters: [{ Key: "InstanceIds", Values: chunk }],
                    MaxResults: 50,
                    ...nextToken(t),
                  }),
                ),
              (p) => p.NextToken,
            )
          ).flatMap((p) => p.InstanceInformationList ?? []),
        ),
      ),
    ),
  );
}
