/**
 * The region's managed nodes (ssm:DescribeInstanceProperties), page after page: the registrations of many
 * instances in a few calls. "MaxResults: Valid Range: Minimum value of 5. Maximum value of 1000" (Systems Manager
 * API Reference, DescribeInstanceProperties); its filters take at most 40 values (InstancePropertyFilter,
 * InstancePropertyStringFilter), fewer than DescribeInstanceInformation's 50 a call, so it is read unfiltered.
 */
import type * as SSM from "@aws-sdk/client-ssm";
import type { Caller } from "../caller.js";
import { sdk } from "../sdk.js";
import { nextToken } from "./listing.js";

export interface ListedNodes {
  /** Each node's registration as DescribeInstanceInformation names it, by instance id. */
  nodes: Map<string, SSM.InstanceInformation>;
  /** Read to its end: every managed node of the region is in it. */
  complete: boolean;
}

export interface ManagedNodeList {
  /** Undefined when the list could not be read (denied, unknown to the endpoint, failed): read by id instead. */
  nodes: Promise<ListedNodes | undefined>;
  /** Read no more than this many pages in all (a list already longer stops before its next page). */
  limit(pages: number): void;
}

/**
 * Starts the list, for at most `pages` pages. A `provisional` budget (the selection not yet counted) is only a
 * pause: the list waits there for limit() to say how far it may go. It never rejects: whatever stops it (a
 * credential error too) is met again, and reported, by the reads by id that take its place.
 */
export function listManagedNodes(caller: Caller, pages: number, provisional = false): ManagedNodeList {
  let allowed = pages;
  let settle: ((pages: number) => void) | undefined;
  const settled = provisional ? new Promise<number>((resolve) => (settle = resolve)) : Promise.resolve(pages);
  const read = async (): Promise<ListedNodes | undefined> => {
    const ssm = await caller.ssm();
    const { DescribeInstancePropertiesCommand } = sdk.ssm();
    const nodes = new Map<string, SSM.InstanceInformation>();
    let token: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= allowed) allowed = await settled;
      if (page >= allowed) return { nodes, complete: false };
      const answer = await caller.call("ssm:DescribeInstanceProperties", () =>
        ssm.send(new DescribeInstancePropertiesCommand({ MaxResults: 1000, ...nextToken(token) })),
      );
      for (const p of answer.InstanceProperties ?? []) if (p.InstanceId) nodes.set(p.InstanceId, registration(p));
      if (!answer.NextToken || answer.NextToken === token) return { nodes, complete: true };
      token = answer.NextToken;
    }
  };
  return {
    nodes: read().catch(() => undefined),
    limit: (n) => {
      allowed = n;
      settle?.(n);
    },
  };
}

/** A managed node's registration as DescribeInstanceInformation names it: the same fields under the same names. */
function registration(p: SSM.InstanceProperty): SSM.InstanceInformation {
  const { InstanceId, PingStatus, LastPingDateTime, AgentVersion, PlatformType, PlatformName, PlatformVersion, ResourceType } = p;
  const { ActivationId, IamRole, RegistrationDate, Name, IPAddress, ComputerName, AssociationStatus, SourceId, SourceType } = p;
  const fields = {
    InstanceId,
    PingStatus,
    LastPingDateTime,
    AgentVersion,
    PlatformType,
    PlatformName,
    PlatformVersion,
    ResourceType,
    ActivationId,
    IamRole,
    RegistrationDate,
    Name,
    IPAddress,
    ComputerName,
    AssociationStatus,
    SourceId,
    SourceType,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as SSM.InstanceInformation;
}
