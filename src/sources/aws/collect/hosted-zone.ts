/**
 * Centralised endpoints: a private hosted zone <svc>.<region>.amazonaws.com associated with the VPC. A zone of
 * that name cannot coexist with an endpoint's private DNS, so a VPC whose endpoints serve private DNS for ssm,
 * ssmmessages and every service the session preferences add (kms, s3, logs) needs no look-up.
 */
import type * as R53 from "@aws-sdk/client-route-53";
import type { Caller, Outcome } from "../caller.js";
import { sdk } from "../sdk.js";
import type { EndpointReads } from "./endpoint.js";
import { nextToken } from "./listing.js";

export interface HostedZoneReads {
  /** Only for VPCs where some service the agent calls is not served by a private-DNS endpoint. */
  hostedZones: Map<string, Outcome<R53.HostedZoneSummary[]>>;
}

export async function listHostedZones(
  caller: Caller,
  region: string,
  vpcIds: string[],
  endpoints: EndpointReads["endpoints"],
  /** Services the agent also calls (from the session preferences): kms, s3, logs. */
  extra: readonly string[] = [],
): Promise<HostedZoneReads["hostedZones"]> {
  const zones = new Map<string, Outcome<R53.HostedZoneSummary[]>>();
  const served = (vpc: string, svc: string) =>
    endpoints.ok &&
    endpoints.value.some(
      (e) =>
        e.VpcId === vpc &&
        e.ServiceName?.endsWith(`.${svc}`) &&
        // S3 through a gateway endpoint is routed by prefix list, whatever the name resolves to.
        ((e.VpcEndpointType === "Interface" && e.PrivateDnsEnabled) || (svc === "s3" && e.VpcEndpointType === "Gateway")),
    );
  // A VPC whose every service's name a private-DNS endpoint serves has no zone of those names to find.
  const need = vpcIds.filter((v) => !["ssm", "ssmmessages", ...extra].every((svc) => served(v, svc)));
  if (need.length === 0) return zones;
  const r53 = await caller.route53();
  const { ListHostedZonesByVPCCommand } = sdk.route53();
  await Promise.all(
    need.map(async (VPCId) => {
      zones.set(
        VPCId,
        await caller.attempt("route53:ListHostedZonesByVPC", async () =>
          (
            await caller.pages(
              "route53:ListHostedZonesByVPC",
              (t) =>
                r53.send(new ListHostedZonesByVPCCommand({ VPCId, VPCRegion: region as R53.VPCRegion, MaxItems: 100, ...nextToken(t) })),
              (p) => p.NextToken,
            )
          ).flatMap((p) => p.HostedZoneSummaries ?? []),
        ),
      );
    }),
  );
  return zones;
}
