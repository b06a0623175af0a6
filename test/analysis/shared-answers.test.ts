/**
 * Answers the analysis shares between the instances of one world (an endpoint policy's answer per endpoint and
 * actions, an instance's egress hop per groups and peer) must never give an instance another's: over random
 * worlds of several instances, each instance's paths in the whole world are the paths it gets in a world of
 * its own; and an egress hop follows the instance's groups and the peer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instanceEgressHop } from "../../src/analysis/paths/security-group-hops.js";
import { HTTPS } from "../../src/analysis/ports.js";
import { evaluateSecurityGroups } from "../../src/analysis/security-groups.js";
import { analyzeWorld } from "../../src/analysis/world-analysis.js";
import { known, type World } from "../../src/model/index.js";
import { buildWorld, worldSpec } from "./path-oracle.js";

const seedSetting = process.env.PROPERTY_SEED;
if (seedSetting !== "random") fc.configureGlobal({ seed: seedSetting ? Number(seedSetting) : 20261205 });

const knownPolicy = (e: { policy: { kind: string; value?: unknown } }) => (e.policy.kind === "known" ? e.policy.value : undefined);

/** The world with only one of its instances. */
function alone(world: World, key: string): World {
  const instance = world.instances.get(key)!;
  return { ...world, instances: new Map([[key, instance]]) };
}

describe("answers shared between instances", () => {
  it("each instance's paths in the whole world are its paths in a world of its own", () => {
    fc.assert(
      fc.property(fc.oneof(worldSpec("open"), worldSpec("exact"), worldSpec("hub")), (spec) => {
        const world = buildWorld(spec);
        for (const a of analyzeWorld(world).instances) {
          const own = analyzeWorld(alone(world, a.instance.key)).instances[0]!;
          expect(a.placements).toEqual(own.placements);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("each endpoint's policy answers for that endpoint: endpoints of different policies in one world", () => {
    const policies = [
      null,
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] },
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:*", Principal: "*", Resource: "*" }] },
    ];
    let worlds = 0;
    fc.assert(
      fc.property(worldSpec("exact"), fc.nat(2), (spec, shift) => {
        const world = buildWorld(spec);
        let n = shift;
        for (const [key, e] of world.vpcEndpoints) world.vpcEndpoints.set(key, { ...e, policy: known(policies[n++ % policies.length]) });
        if (world.vpcEndpoints.size > 1) worlds++;
        for (const a of analyzeWorld(world).instances) {
          const own = analyzeWorld(alone(world, a.instance.key)).instances[0]!;
          expect(a.placements).toEqual(own.placements);
          for (const p of a.placements.flatMap((x) => x.paths))
            if (p.endpoint) {
              const endpoint = world.vpcEndpoints.get(p.endpoint)!;
              const policyHop = p.hops.find((h) => h.id === "endpoint-policy");
              // The default policy allows everything (no hop); the others are judged, each by its own words.
              if (knownPolicy(endpoint) === null) expect(policyHop).toBeUndefined();
              else if (policyHop) expect(policyHop.subject).toBe(p.endpoint);
            }
        }
      }),
      { numRuns: 60 },
    );
    expect(worlds).toBeGreaterThan(0);
  });

  it("an instance's egress hop follows its groups and the peer, and is shared only when both are the same", () => {
    const world = buildWorld(fc.sample(worldSpec("exact"), { numRuns: 1, seed: 7 })[0]!);
    const instance = [...world.instances.values()][0]!;
    const peer = { ranges: known(["10.0.0.0/16"]), groups: known([]), label: "the ssm endpoint's network interfaces" };
    const first = instanceEgressHop(world, instance, peer);
    expect(instanceEgressHop(world, { ...instance }, { ...peer })).toBe(first);
    const cases = [
      { instance: { ...instance, securityGroups: known([]) }, peer },
      { instance: { ...instance, securityGroups: known([known("sg-0other")]) }, peer },
      { instance, peer: { ...peer, label: "the internet" } },
      { instance, peer: { ...peer, ranges: known(["192.168.0.0/24"]) } },
      { instance, peer: { ...peer, internet: true } },
    ];
    for (const c of cases) {
      const hop = instanceEgressHop(world, c.instance, c.peer);
      expect(hop).not.toBe(first);
      const { id: _, subject: __, ...check } = hop;
      expect(check).toEqual(evaluateSecurityGroups(world, c.instance.securityGroups, "egress", c.peer, "tcp", HTTPS));
    }
  });
});
