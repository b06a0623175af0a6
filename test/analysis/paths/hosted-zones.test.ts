/**
 * Private hosted zones that take a service's name over for a VPC (src/analysis/paths/hosted-zones.ts), and
 * the zones that might, because their name or their VPCs are not known.
 */
import { describe, expect, it } from "vitest";
import { hostedZoneFor, undecidedHostedZones } from "../../../src/analysis/paths.js";
import { pass } from "../../../src/analysis/verdict.js";
import { type HostedZone, known, unknown, type World } from "../../../src/model/index.js";
import { list, origin } from "../helpers.js";
import { smallWorld } from "./small-world.js";

function withZone(changes: Partial<HostedZone> = {}, world: World = smallWorld()): World {
  world.hostedZones.set("phz", {
    key: "phz",
    name: "phz",
    origin: origin("phz"),
    zoneName: known("ssm.us-east-1.amazonaws.com"),
    vpcs: list(["vpc"]),
    ...changes,
  });
  return world;
}

describe("hostedZoneFor", () => {
  it("passes for a zone named after the service and region, associated with the VPC", () => {
    expect(hostedZoneFor(withZone(), "vpc", "ssm")).toEqual(
      pass([{ code: "hosted-zone", args: { zone: "phz", name: "ssm.us-east-1.amazonaws.com" }, origin: origin("phz") }]),
    );
  });

  it("has nothing for another service, another region, another VPC, or a zone whose name or VPCs are not known", () => {
    expect(hostedZoneFor(withZone(), "vpc", "ssmmessages")).toBeUndefined();
    expect(hostedZoneFor(withZone({ zoneName: known("ssm.eu-west-1.amazonaws.com") }), "vpc", "ssm")).toBeUndefined();
    expect(hostedZoneFor(withZone({ zoneName: known("internal.example.com") }), "vpc", "ssm")).toBeUndefined();
    expect(hostedZoneFor(withZone({ vpcs: list(["vpc-other"]) }), "vpc", "ssm")).toBeUndefined();
    expect(hostedZoneFor(withZone({ zoneName: unknown("computed", "name later") }), "vpc", "ssm")).toBeUndefined();
    expect(hostedZoneFor(withZone({ vpcs: unknown("computed", "vpcs later") }), "vpc", "ssm")).toBeUndefined();
  });

  it("matches any region's zone when the deployment region is not known", () => {
    const world = withZone({ zoneName: known("ssm.eu-west-1.amazonaws.com") }, smallWorld({ region: unknown("parameter", "no region") }));
    expect(hostedZoneFor(world, "vpc", "ssm")?.verdict).toBe("pass");
  });
});

describe("undecidedHostedZones", () => {
  it("names a zone associated with the VPC whose name is not known (live: the zones could not be listed)", () => {
    const name = unknown("access-denied", "route53:GetHostedZone was denied");
    expect(undecidedHostedZones(withZone({ zoneName: name }), "vpc", "ssm")).toEqual([name.reason]);
    expect(undecidedHostedZones(withZone({ zoneName: name, vpcs: list(["vpc-other"]) }), "vpc", "ssm")).toEqual([]);
  });

  it("names a zone of the service's name whose VPCs are not known", () => {
    const vpcs = unknown("computed", "vpcs later");
    expect(undecidedHostedZones(withZone({ vpcs }), "vpc", "ssm")).toEqual([vpcs.reason]);
    expect(undecidedHostedZones(withZone({ vpcs }), "vpc", "kms")).toEqual([]);
    expect(undecidedHostedZones(withZone({ vpcs, zoneName: known("ssm.eu-west-1.amazonaws.com") }), "vpc", "ssm")).toEqual([]);
  });

  it("has nothing to say about zones that are known", () => {
    expect(undecidedHostedZones(withZone(), "vpc", "ssm")).toEqual([]);
  });
});
