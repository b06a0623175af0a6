/** The security group hops every way shares: the instance's groups letting TCP 443 out toward a peer. */
import { type Instance, unknown, type World } from "../../model/index.js";
import { HTTPS } from "../ports.js";
import { evaluateSecurityGroups, type TrafficPeer } from "../security-groups.js";
import { firstGroup, type Hop, hop } from "./hops.js";

/**
 * Hops already made per world: a fleet's instances mostly carry the same groups toward the same peers. The hop
 * depends on the instance only through its groups; the key holds them and the peer whole (JSON: values, reasons
 * and origins alike), so only instances whose groups and peer read the same share one (never mutated) hop.
 */
const egressHops = new WeakMap<World, Map<string, Hop>>();

/** The instance's security groups (their union) let TCP 443 out to the peer. */
export function instanceEgressHop(world: World, instance: Instance, peer: TrafficPeer): Hop {
  let made = egressHops.get(world);
  if (!made) {
    made = new Map();
    egressHops.set(world, made);
  }
  const key = JSON.stringify([instance.securityGroups, peer.ranges, peer.groups, peer.internet === true, peer.label]);
  let egress = made.get(key);
  if (!egress) {
    egress = hop(
      "instance-sg-egress",
      evaluateSecurityGroups(world, instance.securityGroups, "egress", peer, "tcp", HTTPS),
      firstGroup(instance.securityGroups),
    );
    made.set(key, egress);
  }
  return egress;
}

/**
 * When the destination is not known (subnet or route outside the input), the instance's egress can still
 * be judged: 443 to 0.0.0.0/0 reaches wherever the service is; no 443 rule at all reaches nowhere.
 */
export function egressToAnywhereHop(world: World, instance: Instance): Hop {
  return instanceEgressHop(world, instance, {
    ranges: unknown("outside", "where the Systems Manager endpoints are depends on the unknown path"),
    groups: unknown("outside", "which security groups the endpoints have depends on the unknown path"),
    label: "the Systems Manager endpoints or the internet",
  });
}
