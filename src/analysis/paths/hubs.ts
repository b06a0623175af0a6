/** Hubs the team declared (.ssm-doctor.yaml) and the hub's own side of a path, which the input does not show. */
import { type HubDeclaration, knownValue, type Ref, type RouteTarget, type World } from "../../model/index.js";
import type { HubClaim } from "../evidence.js";
import { routeTargetText } from "../reason-text.js";
import type { ServiceId } from "../services.js";
import { type Evidence, pass, undecided } from "../verdict.js";
import { type Hop, hop, type InstanceSide } from "./hops.js";
import { targetFacts } from "./routes.js";

/** Where hub declarations live, for messages. */
export const HUB_SETTING = "hubs in .ssm-doctor.yaml";

/** Transit gateways and peering connections are how a spoke reaches a hub. */
export function isHubTarget(t: RouteTarget): t is Extract<RouteTarget, { kind: "transit-gateway" | "peering" }> {
  return t.kind === "transit-gateway" || t.kind === "peering";
}

/** The declared hub a transit gateway or peering route leads to, among those `wanted` accepts. */
export function declaredHub(
  hubs: readonly HubDeclaration[],
  target: RouteTarget,
  wanted: (h: HubDeclaration) => boolean,
): HubDeclaration | undefined {
  if (!isHubTarget(target)) return undefined;
  return hubs.find((h) => wanted(h) && h.attachments.includes(target.id));
}

export function declaredEvidence(hub: HubDeclaration, claim: HubClaim): Evidence {
  return { code: "hub-declared", args: { hub: hub.name, file: hub.file, claim } };
}

const hubAttachmentsByVpc = new WeakMap<World, Map<Ref, Set<string>>>();

/** Per VPC, the transit gateway and peering ids some route table of it routes to (indexed once per world). */
export function hubAttachmentsOf(world: World, vpc: Ref): Set<string> {
  let index = hubAttachmentsByVpc.get(world);
  if (!index) {
    index = new Map();
    for (const table of world.routeTables.values()) {
      const owner = knownValue(table.vpc);
      if (!owner) continue;
      for (const route of table.routes) {
        const target = knownValue(route.target);
        if (!target || !isHubTarget(target)) continue;
        const set = index.get(owner) ?? new Set<string>();
        set.add(target.id);
        index.set(owner, set);
      }
    }
    hubAttachmentsByVpc.set(world, index);
  }
  return index.get(vpc) ?? new Set();
}

/** The spoke's address range, as the hub's endpoint security group must admit it. */
function spokeRange(side: InstanceSide): string {
  const vpc = knownValue(side.vpc.cidrBlocks);
  if (vpc && vpc.length > 0) return vpc.join(", ");
  return knownValue(side.subnet.cidrBlock) ?? `the range of ${side.vpc.name}`;
}

/**
 * The hub's side of a centralised endpoint (its endpoint security group, policy, ACLs) is in another account
 * or outside the input. A template or plan takes a declared hub at its word; a live check never does.
 */
export function hubEndpointHop(world: World, side: InstanceSide, service: ServiceId, hub: HubDeclaration | undefined, owner?: string): Hop {
  if (hub && world.source !== "live") {
    return hop("hub-endpoint", pass([declaredEvidence(hub, { kind: "endpoint", service })]));
  }
  const account = hub?.account ?? owner;
  const where = account ? `in account ${account}` : "in the hub's account";
  return hop(
    "hub-endpoint",
    undecided([
      {
        code: "outside",
        message: `the ${service} endpoint is in the hub${hub ? ` ${hub.name}` : ""}${account ? ` (account ${account})` : ""}, outside this ${world.source === "live" ? "account" : "input"}`,
        decide: `${where}: check its endpoint security group admits ${spokeRange(side)} on 443, its endpoint policy allows the agent's actions, and its network ACLs pass 443 and the replies`,
      },
    ]),
    // One note per spoke VPC, however many instances it holds.
    side.vpc.key,
  );
}

/** Centralised egress: a declared hub takes the traffic on to the internet; live, that is outside the account. */
export function hubEgressHop(world: World, side: InstanceSide, hub: HubDeclaration, target: RouteTarget): Hop {
  const via = targetFacts(target);
  if (world.source !== "live") return hop("hub-egress", pass([declaredEvidence(hub, { kind: "egress", via, fromSpokes: true })]));
  const account = hub.account ? ` (account ${hub.account})` : "";
  return hop(
    "hub-egress",
    undecided(
      [
        {
          code: "outside",
          message: `the way on from ${routeTargetText(via)} to the internet is in the hub ${hub.name}${account}, outside this account`,
          decide: `${hub.account ? `in account ${hub.account}` : "in the hub's account"}: check that the hub sends ${spokeRange(side)} on to the internet (NAT gateway, firewall) for TCP 443`,
        },
      ],
      [declaredEvidence(hub, { kind: "egress", via, fromSpokes: false })],
    ),
    side.vpc.key,
  );
}
