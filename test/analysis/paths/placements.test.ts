/**
 * An instance's placements (src/analysis/paths/placements.ts): one per subnet it may run in, each with a
 * path per service; a subnet or VPC that cannot be found still judges the instance's own egress. Also the
 * lookup every piece uses.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { lookup, placementsOf } from "../../../src/analysis/paths.js";
import type { ServiceId } from "../../../src/analysis/services.js";
import { undecided } from "../../../src/analysis/verdict.js";
import { known, unknown, type World } from "../../../src/model/index.js";
import { egress, list } from "../helpers.js";
import { hopOf, hopsOf, INSTANCE, pathOf, smallWorld, update } from "./small-world.js";

let world: World;
beforeEach(() => {
  world = smallWorld();
});

const placementsFor = (w: World, services: ServiceId[]) =>
  placementsOf(
    { ...w },
    w.instances.get(INSTANCE)!,
    services,
    () => [],
    () => undefined,
  );

describe("placements", () => {
  it("are one per subnet of an Auto Scaling group, each with a path per service", () => {
    update(world.instances, INSTANCE, { subnets: list(["private", "public"]) });
    update(world.subnets, "public", { mapPublicIpOnLaunch: known(false) });
    const placements = placementsFor(world, ["ssm", "ssmmessages"]);
    expect(placements.map((p) => [p.subnet, p.paths.map((path) => `${path.service} ${path.verdict}`)])).toEqual([
      [known("private"), ["ssm pass", "ssmmessages pass"]],
      [known("public"), ["ssm fail", "ssmmessages fail"]],
    ]);
  });

  it("of an instance whose subnets are not known is one unknown placement, still judging its egress", () => {
    const reason = { code: "computed" as const, message: "subnet_id known after apply" };
    update(world.instances, INSTANCE, { subnets: { kind: "unknown", reason } });
    const [placement, ...more] = placementsFor(world, ["ssm"]);
    expect(more).toEqual([]);
    expect(placement!.subnet).toEqual({ kind: "unknown", reason });
    const [path] = placement!.paths;
    expect(path).toMatchObject({ service: "ssm", route: "unknown", verdict: "unknown" });
    expect(hopsOf(path!)).toEqual(["subnet unknown", "instance-sg-egress pass"]);
    expect(hopOf(path!, "subnet")).toEqual({ id: "subnet", subject: INSTANCE, ...undecided([reason]) });
  });

  it("of an instance that names no subnet says so", () => {
    update(world.instances, INSTANCE, { subnets: known([]) });
    const [placement] = placementsFor(world, ["ssm"]);
    expect(placement!.subnet).toEqual(unknown("outside", "i-app names no subnet"));
    expect(hopOf(placement!.paths[0]!, "subnet").unknowns).toEqual([{ code: "outside", message: "i-app names no subnet" }]);
  });

  it("in a subnet not in the input, or whose VPC is not, are unknown on the instance or the subnet", () => {
    update(world.instances, INSTANCE, { subnets: list(["subnet-elsewhere"]) });
    let path = pathOf(world, "ssm");
    expect(hopOf(path, "subnet")).toEqual({
      id: "subnet",
      subject: INSTANCE,
      ...undecided([{ code: "outside", message: "subnet subnet-elsewhere is not defined in this input" }]),
    });
    world = smallWorld();
    update(world.subnets, "private", { vpc: known("vpc-elsewhere") });
    path = pathOf(world, "ssm");
    expect(hopOf(path, "subnet")).toMatchObject({
      subject: "private",
      unknowns: [{ code: "outside", message: "VPC vpc-elsewhere is not defined in this input" }],
    });
  });

  it("judge egress to an unknown destination: no 443 rule at all reaches nowhere", () => {
    update(world.instances, INSTANCE, { subnets: list(["subnet-elsewhere"]) });
    update(world.securityGroups, "sg-app", { egress: [egress("tcp", 22, 22, "0.0.0.0/0")] });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["subnet unknown", "instance-sg-egress fail"]);
    expect(path.verdict).toBe("fail");
  });

  it("place an instance without a known private IP anywhere in its subnet", () => {
    // The endpoint's group admits only the instance's own address: without it, part of the subnet is not admitted.
    update(world.routeTables, "rt-private", { routes: [] });
    world.vpcEndpoints.set("vpce-ssm", {
      key: "vpce-ssm",
      name: "vpce-ssm",
      origin: world.vpcs.get("vpc")!.origin,
      vpc: known("vpc"),
      serviceName: known("com.amazonaws.us-east-1.ssm"),
      endpointType: known("Interface"),
      privateDnsEnabled: known(true),
      subnets: list(["endpoints"]),
      securityGroups: list(["sg-narrow"]),
      routeTables: known([]),
      policy: known(null),
    });
    const narrow = world.securityGroups.get("sg-endpoint")!;
    world.securityGroups.set("sg-narrow", {
      ...narrow,
      key: "sg-narrow",
      name: "sg-narrow",
      ingress: [{ ...narrow.ingress[0]!, peer: known({ kind: "cidr", cidr: "10.0.1.10/32" }) }],
    });
    expect(hopOf(pathOf(world, "ssm"), "endpoint-sg-ingress").verdict).toBe("pass");
    update(world.instances, INSTANCE, { privateIp: undefined });
    expect(hopOf(pathOf(world, "ssm"), "endpoint-sg-ingress").verdict).not.toBe("pass");
  });
});

describe("the instance-sg-egress hop", () => {
  it("names no group when none of the instance's groups is known", () => {
    update(world.instances, INSTANCE, { securityGroups: known([unknown("parameter", "SecurityGroupId")]) });
    const egressHop = hopOf(pathOf(world, "ssm"), "instance-sg-egress");
    expect(egressHop.verdict).toBe("unknown");
    expect(egressHop).not.toHaveProperty("subject");
  });
});

describe("lookup", () => {
  const subnets = () => smallWorld().subnets;

  it("finds an element by a known reference", () => {
    expect(lookup(subnets(), known("private"), "subnet")).toEqual(known(subnets().get("private")));
  });

  it("passes an unknown reference on as it is", () => {
    const ref = unknown("parameter", "SubnetId is a parameter");
    expect(lookup(subnets(), ref, "subnet")).toBe(ref);
  });

  it("says a reference outside the input is not defined in it", () => {
    expect(lookup(subnets(), known("subnet-9"), "subnet")).toEqual(unknown("outside", "subnet subnet-9 is not defined in this input"));
  });
});
