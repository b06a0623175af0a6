/**
 * Which way the agent takes for one service (src/analysis/paths/service-path.ts): an endpoint whose private
 * DNS name is served takes the service's name over, so its failure is final; otherwise the public name leads
 * to the internet path; and an endpoint or hosted zone that cannot be seen leaves the way unknown.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { known, unknown, type World } from "../../../src/model/index.js";
import { origin } from "../helpers.js";
import { addEndpoint, hopOf, hopsOf, pathOf, smallWorld, update } from "./small-world.js";

const ENDPOINT_DNS = ["endpoint-type pass", "vpc-dns-support pass", "vpc-dns-hostnames pass"];
const INTERNET = [
  "route pass",
  "nat-gateway pass",
  "instance-sg-egress pass",
  "nacl-instance-outbound pass",
  "nacl-instance-inbound pass",
  "nacl-nat-inbound pass",
  "nacl-nat-outbound pass",
  "nacl-nat-outbound pass",
  "nacl-nat-inbound pass",
];
const TAKEOVER_MESSAGE = "an interface endpoint or private hosted zone may take the service name over, and it is not known: ";

let world: World;
beforeEach(() => {
  world = smallWorld();
});

describe("an endpoint beside a working internet path", () => {
  it("that passes is the way", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    expect(pathOf(world, "ssm")).toMatchObject({ route: "endpoint", endpoint: "vpce-ssm", verdict: "pass" });
  });

  it("that takes the name over and fails is final: the agent never goes to the internet", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.securityGroups, "sg-endpoint", { ingress: [] });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "endpoint", verdict: "fail" });
    expect(hopOf(path, "endpoint-sg-ingress").verdict).toBe("fail");
  });

  it("without private DNS does not take the name: the internet path is the way", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: known(false) });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(INTERNET);
  });

  it("whose private DNS is not known, and fails, leaves the path unknown with its failures turned unknown", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: unknown("computed", "known after apply") });
    update(world.securityGroups, "sg-endpoint", { ingress: [] });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "endpoint", verdict: "unknown" });
    expect(hopsOf(path).slice(0, 6)).toEqual([
      ...ENDPOINT_DNS,
      "endpoint-private-dns unknown",
      "instance-sg-egress pass",
      "endpoint-sg-ingress unknown",
    ]);
    expect(hopOf(path, "endpoint-sg-ingress").unknowns).toEqual([{ code: "computed", message: "known after apply" }]);
  });
});

describe("an endpoint beside a failing internet path", () => {
  beforeEach(() => {
    update(world.routeTables, "rt-private", { routes: [] });
  });

  it("whose private DNS is not known, and fails, fails: both ways fail", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: unknown("computed", "known after apply") });
    update(world.securityGroups, "sg-endpoint", { ingress: [] });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "endpoint", verdict: "fail" });
    expect(hopOf(path, "endpoint-sg-ingress").verdict).toBe("fail");
  });

  it("without private DNS is where the fix goes: the endpoint's path is shown", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: known(false) });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "endpoint", endpoint: "vpce-ssm", verdict: "fail" });
    expect(hopOf(path, "endpoint-private-dns").verdict).toBe("fail");
  });

  it("of another VPC, another service, or a service outside AWS is not considered", () => {
    addEndpoint(world, "vpce-other-vpc", "ssm", { vpc: known("vpc-other") });
    addEndpoint(world, "vpce-logs", "logs");
    addEndpoint(world, "vpce-partner", "ssm", { serviceName: known("com.partner.vpce.ssm") });
    expect(pathOf(world, "ssm")).toMatchObject({ route: "none", verdict: "fail" });
  });
});

describe("an endpoint that cannot be seen", () => {
  it("(its VPC not known) beside a working internet path leaves the way unknown, saying why first", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { vpc: unknown("parameter", "VpcId is a parameter") });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ service: "ssm", route: "unknown", verdict: "unknown" });
    expect(hopsOf(path)).toEqual(["route unknown", ...INTERNET]);
    expect(hopOf(path, "route")).toMatchObject({
      subject: "vpc",
      unknowns: [{ code: "parameter", message: `${TAKEOVER_MESSAGE}VpcId is a parameter` }],
    });
  });

  it("whose security groups are not known either adds an unknown endpoint-sg-ingress hop on the VPC", () => {
    addEndpoint(world, "vpce-ssm", "ssm", {
      vpc: unknown("access-denied", "the endpoint could not be read"),
      securityGroups: unknown("access-denied", "the endpoint could not be read"),
    });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["route unknown", ...INTERNET, "endpoint-sg-ingress unknown"]);
    expect(path.hops.at(-1)).toMatchObject({
      subject: "vpc",
      unknowns: [{ code: "access-denied", message: "the endpoint could not be read" }],
    });
  });

  it("that may not take the name over (private DNS off) leaves a working internet path alone", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { vpc: unknown("parameter", "VpcId is a parameter"), privateDnsEnabled: known(false) });
    expect(pathOf(world, "ssm")).toMatchObject({ route: "internet", verdict: "pass" });
  });

  it("that exists only under a condition is treated as one that cannot be seen", () => {
    const conditional = { code: "condition" as const, message: "exists only when UseEndpoints" };
    addEndpoint(world, "vpce-ssm", "ssm", { conditional });
    expect(hopOf(pathOf(world, "ssm"), "route").unknowns).toEqual([
      { ...conditional, message: `${TAKEOVER_MESSAGE}${conditional.message}` },
    ]);
  });

  it("beside a failing internet path turns its failures unknown", () => {
    update(world.routeTables, "rt-private", { routes: [] });
    addEndpoint(world, "vpce-ssm", "ssm", { serviceName: unknown("parameter", "ServiceName is a parameter") });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "unknown", verdict: "unknown" });
    expect(hopsOf(path)).toEqual(["route unknown", "instance-sg-egress pass"]);
    expect(hopOf(path, "route").unknowns).toEqual([{ code: "parameter", message: "ServiceName is a parameter" }]);
  });

  it("beside an internet path that is itself unknown adds only the hops the hidden side would decide", () => {
    update(world.routeTables, "rt-private", { routes: [], routesComplete: false });
    addEndpoint(world, "vpce-ssm", "ssm", {
      vpc: unknown("access-denied", "unreadable"),
      securityGroups: unknown("access-denied", "unreadable"),
    });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(["route unknown", "instance-sg-egress pass", "endpoint-sg-ingress unknown"]);
  });
});

describe("a private hosted zone that cannot be seen", () => {
  const hiddenZone = (w: World) =>
    w.hostedZones.set("phz", {
      key: "phz",
      name: "phz",
      origin: origin("phz"),
      zoneName: known("ssm.us-east-1.amazonaws.com"),
      vpcs: unknown("access-denied", "route53:ListHostedZonesByVPC was denied"),
    });

  it("beside a working internet path leaves the way unknown and adds the hub's side as unknown", () => {
    hiddenZone(world);
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "unknown", verdict: "unknown" });
    expect(hopsOf(path)).toEqual(["route unknown", ...INTERNET, "hub-endpoint unknown"]);
    expect(path.hops.at(-1)).toMatchObject({
      subject: "vpc",
      unknowns: [{ code: "access-denied", message: "route53:ListHostedZonesByVPC was denied" }],
    });
  });

  it("beside a failing internet path turns its failures unknown", () => {
    hiddenZone(world);
    update(world.routeTables, "rt-private", { routes: [] });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["route unknown", "instance-sg-egress pass", "hub-endpoint unknown"]);
  });
});
