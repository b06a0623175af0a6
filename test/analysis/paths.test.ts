/**
 * Path verdicts for small worlds the property test (paths.property.test.ts) found wrong once, kept as
 * regression cases. Worlds are written in the property test's data form and built by the same builder.
 */
import { describe, expect, it } from "vitest";
import { analyzeWorld } from "../../src/analysis/world-analysis.js";
import type { World } from "../../src/model/index.js";
import { known, unknown } from "../../src/model/index.js";
import { buildWorld, instanceKey, oracle, type Service, type WorldSpec } from "./path-oracle.js";

const OPEN_ACL = {
  entries: [
    { n: 100, egress: false, action: "allow" as const, protocol: "all" as const, ports: null, cidr: "0.0.0.0/0" },
    { n: 100, egress: true, action: "allow" as const, protocol: "all" as const, ports: null, cidr: "0.0.0.0/0" },
  ],
};

/** One subnet routed 0.0.0.0/0 to a NAT gateway in a public subnet; the default group; open ACLs. */
function natWorld(): WorldSpec {
  return {
    dnsSupport: true,
    dnsHostnames: true,
    amazonDhcpOptions: false,
    subnets: [
      { routeTable: 0, acl: 0, mapPublicIp: false },
      { routeTable: 1, acl: 0, mapPublicIp: true },
    ],
    routeTables: [{ routes: [{ dest: "0.0.0.0/0", target: "nat" }] }, { routes: [{ dest: "0.0.0.0/0", target: "igw" }] }],
    acls: [OPEN_ACL],
    groups: [
      {
        ingress: [{ protocol: "all", ports: [0, 65535], peer: { group: 0 } }],
        egress: [{ protocol: "all", ports: [0, 65535], peer: { cidr: "0.0.0.0/0" } }],
      },
    ],
    igwAttached: true,
    nat: { subnet: 1, connectivity: "public" },
    endpoints: [],
    instances: [{ subnet: 0, groups: [0], ipOffset: 4, publicIp: null, os: "linux" }],
    hostedZones: [],
  };
}

function verdictOf(spec: WorldSpec, service: Service = "ssm", change: (w: World) => void = () => {}) {
  const world = buildWorld(spec);
  change(world);
  const a = analyzeWorld(world).instances.find((i) => i.instance.key === instanceKey(0))!;
  return a.placements[0]!.paths.find((p) => p.service === service)!;
}

describe("path verdicts found by the reference", () => {
  it("the NAT world of these cases passes, and the reference agrees", () => {
    expect(verdictOf(natWorld()).verdict).toBe("pass");
    expect(oracle(natWorld(), 0, "ssm").verdict).toBe("pass");
  });

  it("an endpoint whose private DNS is off does not fail a path whose public route leads to a transit gateway", () => {
    const spec = natWorld();
    spec.routeTables[0] = { routes: [{ dest: "0.0.0.0/0", target: "tgw" }] };
    spec.endpoints = [
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: false, subnets: [0], groups: [], eniOffset: null },
    ];
    const path = verdictOf(spec);
    expect(path.verdict).toBe("unknown");
    expect(path.hops.find((h) => h.verdict === "unknown")?.id).toBe("route");
    expect(oracle(spec, 0, "ssm").verdict).toBe("undetermined");
  });

  it("a more specific public route elsewhere leaves the route to the service's address unknown (longest prefix)", () => {
    const spec = natWorld();
    spec.routeTables[0] = {
      routes: [
        { dest: "0.0.0.0/0", target: "nat" },
        { dest: "52.0.0.0/8", target: "tgw" },
      ],
    };
    const path = verdictOf(spec);
    expect(path.verdict).toBe("unknown");
    expect(path.hops.find((h) => h.id === "route")?.unknowns?.[0]?.message).toContain("routes 52.0.0.0/8 apart from 0.0.0.0/0");
    expect(oracle(spec, 0, "ssm").verdict).toBe("undetermined");
  });

  it("so does one in the NAT gateway's subnet", () => {
    const spec = natWorld();
    spec.routeTables[1] = {
      routes: [
        { dest: "0.0.0.0/0", target: "igw" },
        { dest: "52.0.0.0/8", target: "peering" },
      ],
    };
    expect(verdictOf(spec).verdict).toBe("unknown");
    expect(oracle(spec, 0, "ssm").verdict).toBe("undetermined");
  });

  it("private destinations and public ones with the same target as 0.0.0.0/0 change nothing", () => {
    const spec = natWorld();
    spec.routeTables[0] = {
      routes: [
        { dest: "0.0.0.0/0", target: "nat" },
        { dest: "10.1.0.0/16", target: "tgw" },
        { dest: "52.0.0.0/8", target: "nat" },
      ],
    };
    expect(verdictOf(spec).verdict).toBe("pass");
    expect(oracle(spec, 0, "ssm").verdict).toBe("pass");
  });

  it("routes to public addresses that all work pass, and all that fail, fail", () => {
    const both = natWorld();
    both.routeTables[0] = {
      routes: [
        { dest: "0.0.0.0/0", target: "igw" },
        { dest: "52.0.0.0/8", target: "nat" },
      ],
    };
    both.instances[0]!.publicIp = true;
    expect(verdictOf(both).verdict).toBe("pass");
    expect(oracle(both, 0, "ssm").verdict).toBe("pass");

    const neither = natWorld();
    neither.routeTables[0] = {
      routes: [
        { dest: "0.0.0.0/0", target: "igw" },
        { dest: "52.0.0.0/8", target: "nat" },
      ],
    };
    neither.nat = { subnet: 1, connectivity: "private" };
    expect(verdictOf(neither).verdict).toBe("fail");
    expect(oracle(neither, 0, "ssm").verdict).toBe("fail");
  });

  it("a public route without 0.0.0.0/0 leaves the rest of the internet without a route: unknown, not failed", () => {
    const spec = natWorld();
    spec.routeTables[0] = { routes: [{ dest: "52.0.0.0/8", target: "nat" }] };
    expect(verdictOf(spec).verdict).toBe("unknown");
    expect(oracle(spec, 0, "ssm").verdict).toBe("undetermined");
  });

  it("a NAT gateway whose subnet routes on to a transit gateway or peering is unknown, not failed (centralised egress)", () => {
    for (const target of ["tgw", "peering"] as const) {
      const spec = natWorld();
      spec.routeTables[1] = { routes: [{ dest: "0.0.0.0/0", target }] };
      const path = verdictOf(spec);
      expect(path.verdict).toBe("unknown");
      expect(path.hops.find((h) => h.id === "nat-gateway")?.unknowns?.[0]?.code).toBe("outside");
      expect(oracle(spec, 0, "ssm").verdict).toBe("undetermined");
    }
    const looped = natWorld();
    looped.routeTables[1] = { routes: [{ dest: "0.0.0.0/0", target: "nat" }] };
    expect(verdictOf(looped).verdict).toBe("fail");
    expect(oracle(looped, 0, "ssm").verdict).toBe("fail");
  });

  it("the NAT gateway's subnet must admit the internet's replies on 1024-65535, the ports the NAT gateway translates to", () => {
    const spec = natWorld();
    spec.acls.push({
      entries: [
        { n: 100, egress: false, action: "allow", protocol: "tcp", ports: [443, 443], cidr: "10.0.0.0/24" },
        { n: 110, egress: false, action: "allow", protocol: "tcp", ports: [32768, 65535], cidr: "0.0.0.0/0" },
        { n: 100, egress: true, action: "allow", protocol: "all", ports: null, cidr: "0.0.0.0/0" },
      ],
    });
    spec.subnets[1]!.acl = 1;
    const path = verdictOf(spec);
    expect(path.verdict).toBe("fail");
    const failing = path.hops.filter((h) => h.verdict === "fail");
    expect(failing.map((h) => h.id)).toEqual(["nacl-nat-inbound"]);
    expect(failing[0]!.evidence[0]!.args).toMatchObject({ ports: "1024-32767" });
    expect(oracle(spec, 0, "ssm").verdict).toBe("fail");

    const [https, , out] = spec.acls[1]!.entries;
    spec.acls[1] = {
      entries: [https!, { n: 110, egress: false, action: "allow", protocol: "tcp", ports: [1024, 65535], cidr: "0.0.0.0/0" }, out!],
    };
    expect(verdictOf(spec).verdict).toBe("pass");
    expect(oracle(spec, 0, "ssm").verdict).toBe("pass");
  });

  it("the instance subnet's ACL is judged only toward endpoint interfaces in other subnets", () => {
    const spec = natWorld();
    spec.routeTables[0] = { routes: [] };
    // Outbound 443 only toward the interface in subnet-1 (10.0.0.28); the one in the instance's own subnet never meets the ACL.
    spec.acls.push({
      entries: [
        { n: 100, egress: true, action: "allow", protocol: "tcp", ports: [443, 443], cidr: "10.0.0.24/29" },
        { n: 110, egress: true, action: "allow", protocol: "tcp", ports: [1024, 65535], cidr: "0.0.0.0/0" },
        { n: 100, egress: false, action: "allow", protocol: "all", ports: null, cidr: "0.0.0.0/0" },
      ],
    });
    spec.subnets[0]!.acl = 1;
    for (const eniOffset of [12, null]) {
      spec.endpoints = [
        { service: "ssm", type: "Interface", region: "us-east-1", privateDns: true, subnets: [1, 0], groups: [], eniOffset },
      ];
      const expected = eniOffset === null ? "unknown" : "pass"; // without addresses, subnet-1's range is only partly allowed
      expect(verdictOf(spec).verdict).toBe(expected);
      expect(oracle(spec, 0, "ssm").verdict).toBe(eniOffset === null ? "undetermined" : "pass");
    }
  });

  it("an endpoint whose VPC is not known keeps a failing path unknown, even beside a misconfigured one", () => {
    const spec = natWorld();
    spec.routeTables[0] = { routes: [] };
    spec.endpoints = [
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: true, subnets: [0], groups: [], eniOffset: null },
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: false, subnets: [0], groups: [], eniOffset: null },
    ];
    expect(oracle(spec, 0, "ssm").verdict).toBe("pass");
    const path = verdictOf(spec, "ssm", (w) => {
      const e = w.vpcEndpoints.get("vpce-0")!;
      w.vpcEndpoints.set("vpce-0", { ...e, vpc: unknown("parameter", "VpcId is a parameter without a default") });
    });
    expect(path.verdict).toBe("unknown");
    expect(path.hops.flatMap((h) => h.unknowns ?? []).map((u) => u.message)).toContain("VpcId is a parameter without a default");
  });

  it("an ACL the endpoint's traffic may never meet (its subnets not known) does not fail the path", () => {
    const spec = natWorld();
    spec.instances[0]!.os = "windows"; // its replies come back on 49152-65535
    spec.routeTables[0] = { routes: [] };
    spec.acls.push({
      entries: [
        { n: 100, egress: true, action: "allow", protocol: "all", ports: null, cidr: "0.0.0.0/0" },
        { n: 110, egress: false, action: "allow", protocol: "tcp", ports: [32768, 60999], cidr: "0.0.0.0/0" },
      ],
    });
    spec.subnets[0]!.acl = 1;
    spec.endpoints = [
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: true, subnets: [0], groups: [], eniOffset: null },
    ];
    expect(oracle(spec, 0, "ssm").verdict).toBe("pass");
    const path = verdictOf(spec, "ssm", (w) => {
      const e = w.vpcEndpoints.get("vpce-0")!;
      w.vpcEndpoints.set("vpce-0", { ...e, subnets: unknown("parameter", "SubnetIds is a parameter without a default") });
    });
    expect(path.verdict).toBe("unknown");
    expect(path.hops.find((h) => h.id === "nacl-instance-inbound")?.verdict).toBe("unknown");
    spec.endpoints[0]!.subnets = [1];
    expect(verdictOf(spec).verdict).toBe("fail"); // in another subnet, the replies on 61000-65535 are dropped
    expect(oracle(spec, 0, "ssm").verdict).toBe("fail");
  });

  it("an endpoint that fails but may not take the name over (private DNS not known) leaves a working NAT path unknown", () => {
    const spec = natWorld();
    spec.subnets.push({ routeTable: 1, acl: 1, mapPublicIp: false });
    spec.acls.push({ entries: [] }); // the endpoint's subnet drops everything
    spec.endpoints = [
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: false, subnets: [2], groups: [], eniOffset: null },
    ];
    expect(verdictOf(spec).verdict).toBe("pass");
    expect(oracle(spec, 0, "ssm").verdict).toBe("pass");
    const blurred = verdictOf(spec, "ssm", (w) => {
      const e = w.vpcEndpoints.get("vpce-0")!;
      w.vpcEndpoints.set("vpce-0", { ...e, privateDnsEnabled: unknown("computed", "known after apply") });
    });
    expect(blurred.verdict).toBe("unknown");
    expect(blurred.hops.find((h) => h.id === "endpoint-private-dns")?.verdict).toBe("unknown");
    spec.endpoints[0]!.privateDns = true;
    expect(verdictOf(spec).verdict).toBe("fail");
    expect(oracle(spec, 0, "ssm").verdict).toBe("fail");
  });

  it("a working NAT path is unknown beside an endpoint whose service is not known and which may take the name over", () => {
    const spec = natWorld();
    spec.subnets.push({ routeTable: 1, acl: 1, mapPublicIp: false });
    spec.acls.push({ entries: [] }); // the endpoint's subnet drops everything
    spec.endpoints = [
      { service: "ssm", type: "Interface", region: "us-east-1", privateDns: true, subnets: [2], groups: [], eniOffset: null },
    ];
    expect(oracle(spec, 0, "ssm").verdict).toBe("fail");
    const hide = (privateDns: boolean) => (w: World) => {
      const e = w.vpcEndpoints.get("vpce-0")!;
      w.vpcEndpoints.set("vpce-0", {
        ...e,
        privateDnsEnabled: known(privateDns),
        serviceName: unknown("parameter", "ServiceName is a parameter"),
      });
    };
    const path = verdictOf(spec, "ssm", hide(true));
    expect(path.verdict).toBe("unknown");
    expect(path.hops.flatMap((h) => h.unknowns ?? []).some((u) => u.message.includes("ServiceName is a parameter"))).toBe(true);
    // With private DNS off it never takes the name: the NAT path decides.
    expect(verdictOf(spec, "ssm", hide(false)).verdict).toBe("pass");
  });
});
