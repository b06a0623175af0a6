/**
 * Centralised endpoints: a private hosted zone <svc>.<region>.amazonaws.com associated with the VPC. A zone of
 * that name cannot coexist with an endpoint's private DNS, so a VPC whose ssm and ssmmessages endpoints both
 * serve private DNS needs no look-up.
 */
import type * as R53 from "@aws-sdk/client-route-53";
import type { Caller, Outcome } from "../caller.js";
import { sdk } from "../sdk.js";
import type { EndpointReads } from "./endpoint.js";
import { nextToken } from "./listing.js";

export interface HostedZoneReads {
  /** Only for VPCs where the ssm and ssmmessages names are not both served by private-DNS endpoints. */
  hostedZones: Map<string, Outcome<R53.HostedZoneSummary[]>>;
}

export async function listHostedZones(
  caller: Caller,
  region: string,
  vpcIds: string[],
  endpoints: EndpointReads["endpoints"],
): Promise<HostedZoneReads["hostedZones"]> {
  const zones = new Map<string, Outcome<R53.HostedZoneSummary[]>>();
  const served = (vpc: string, svc: string) =>
    endpoints.ok &&
    endpoints.value.some(
      (e) => e.VpcId === vpc && e.VpcEndpointType === "Interface" && e.PrivateDnsEnabled && e.ServiceName?.endsWith(`.${svc}`),
    );
  const need = vpcIds.filter((v) => !(served(v, "ssm") && served(v, "ssmmessages")));
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
