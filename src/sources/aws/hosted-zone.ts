/**
 * The private hosted zones associated with the instances' VPCs (centralised endpoints). Unread, a stand-in zone
 * of unknown name on the VPC may answer for ssm or ssmmessages, so no path through it is certain.
 */
import { type HostedZone, known, type World } from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope } from "./values.js";

export function buildHostedZones(world: World, reads: AccountReads, { origin, partition }: LiveScope): void {
  for (const [vpcId, outcome] of reads.hostedZones) {
    if (!outcome.ok) {
      world.notes.push({
        level: "warning",
        code: "hosted-zones-unknown",
        message: `private hosted zones of ${vpcId} are not known (${failed(outcome.failure).reason.message}); centralised endpoints are not seen`,
      });
      const key = `${vpcId}#hosted-zones`;
      world.hostedZones.set(key, {
        key,
        name: `the private hosted zones of ${vpcId}`,
        origin: origin(key),
        zoneName: failed(outcome.failure),
        vpcs: known([known(vpcId)]),
      });
      continue;
    }
    for (const z of outcome.value) {
      const id = z.HostedZoneId!;
      const existing = world.hostedZones.get(id);
      const vpcs = [...(existing ? (existing.vpcs.kind === "known" ? existing.vpcs.value : []) : []), known(vpcId)];
      const zone: HostedZone = {
        key: id,
        name: `${id} (${z.Name})`,
        origin: origin(id, `arn:${partition}:route53:::hostedzone/${id}`),
        zoneName: known((z.Name ?? "").replace(/\.$/, "").toLowerCase()),
        vpcs: known(vpcs),
        // A zone shared from a hub account names that account: where the endpoints behind it are.
        ...(z.Owner?.OwningAccount ? { ownerAccount: z.Owner.OwningAccount } : {}),
      };
      world.hostedZones.set(id, zone);
    }
  }
}
