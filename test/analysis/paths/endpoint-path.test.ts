/**
 * The way through a VPC endpoint, hop by hop: the endpoint itself, its private DNS, the security groups at
 * both ends and the network ACLs of both subnets (src/analysis/paths/endpoint-path.ts). The internet way is
 * closed in these worlds (no route), so the path shown is the endpoint's whatever it decides.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { fail, pass, undecided } from "../../../src/analysis/verdict.js";
import { DEPLOYMENT_REGION, known, unknown, type World } from "../../../src/model/index.js";
import { entry, list } from "../helpers.js";
import { addAcl, addEndpoint, codesOf, hopOf, hopsOf, pathOf, reasonCodesOf, smallWorld, update } from "./small-world.js";

const INTERFACE_HOPS = [
  "endpoint-type pass",
  "vpc-dns-support pass",
  "vpc-dns-hostnames pass",
  "endpoint-private-dns pass",
  "instance-sg-egress pass",
  "endpoint-sg-ingress pass",
  "nacl-instance-outbound pass",
  "nacl-instance-inbound pass",
  "nacl-endpoint-inbound pass",
  "nacl-endpoint-outbound pass",
];

let world: World;
beforeEach(() => {
  world = smallWorld();
  update(world.routeTables, "rt-private", { routes: [] }); // no internet: the endpoint is the only way
});

describe("an interface endpoint", () => {
  it("passes every hop in a world built for it, and names the endpoint", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ service: "ssm", route: "endpoint", endpoint: "vpce-ssm", verdict: "pass" });
    expect(hopsOf(path)).toEqual(INTERFACE_HOPS);
    expect(hopOf(path, "endpoint-type").subject).toBe("vpce-ssm");
    expect(hopOf(path, "instance-sg-egress").subject).toBe("sg-app");
    expect(hopOf(path, "endpoint-sg-ingress").subject).toBe("sg-endpoint");
    expect(hopOf(path, "nacl-instance-outbound").subject).toBe("acl-open");
  });

  it("of the wrong type ends the path at the type, with the type and whether it was defaulted", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { endpointType: { kind: "known", value: "Gateway", provenance: "default" } });
    const path = pathOf(world, "ssm");
    expect(path.route).toBe("endpoint");
    expect(hopsOf(path)).toEqual(["endpoint-type fail"]);
    const [evidence] = hopOf(path, "endpoint-type").evidence;
    expect(evidence).toMatchObject({
      code: "endpoint-type",
      args: { endpoint: "vpce-ssm", type: "Gateway", defaulted: true, service: "ssm" },
    });
  });

  it("whose type is not known is an unknown hop, and the rest is still judged", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { endpointType: unknown("computed", "known after apply") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["endpoint-type unknown", ...INTERFACE_HOPS.slice(1)]);
    expect(reasonCodesOf(hopOf(path, "endpoint-type"))).toEqual(["computed"]);
  });

  it("in another region ends the path at the region", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { serviceName: known("com.amazonaws.eu-west-1.ssm") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(["endpoint-type pass", "endpoint-region fail"]);
    expect(hopOf(path, "endpoint-region").evidence).toEqual([
      {
        code: "endpoint-region",
        args: { endpoint: "vpce-ssm", region: "eu-west-1", deployment: REGION_NAME },
        origin: world.vpcEndpoints.get("vpce-ssm")!.origin,
      },
    ]);
  });

  it("naming a region when the deployment's is not known leaves the region unknown, and says how to decide", () => {
    world = smallWorld({ region: unknown("parameter", "the template does not say") });
    update(world.routeTables, "rt-private", { routes: [] });
    addEndpoint(world, "vpce-ssm", "ssm", { serviceName: known("com.amazonaws.eu-west-1.ssm") });
    const region = hopOf(pathOf(world, "ssm"), "endpoint-region");
    expect(region.verdict).toBe("unknown");
    expect(region.unknowns).toEqual([
      { code: "parameter", message: "the endpoint names region eu-west-1 and the deployment region is not known", decide: "pass --region" },
    ]);
  });

  it("naming the deployment's own region (${AWS::Region}) or no parsable service name has no region hop", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { serviceName: known(`com.amazonaws.${DEPLOYMENT_REGION}.ssm`) });
    expect(hopsOf(pathOf(world, "ssm"))).toEqual(INTERFACE_HOPS);
  });

  it("is judged by its state where the input tells it (live)", () => {
    const endpoint = addEndpoint(world, "vpce-ssm", "ssm", { state: known("available") });
    expect(hopsOf(pathOf(world, "ssm"))).toContain("endpoint-state pass");
    world.vpcEndpoints.set("vpce-ssm", { ...endpoint, state: known("pendingAcceptance") });
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "endpoint-state").evidence).toEqual([
      { code: "endpoint-state", args: { endpoint: "vpce-ssm", state: "pendingAcceptance" }, origin: endpoint.origin },
    ]);
    expect(path.verdict).toBe("fail");
    world.vpcEndpoints.set("vpce-ssm", { ...endpoint, state: unknown("access-denied", "ec2:DescribeVpcEndpoints was denied") });
    expect(hopOf(pathOf(world, "ssm"), "endpoint-state").verdict).toBe("unknown");
  });

  it("carries the policy check it is given, after the endpoint's own hops", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    const denied = fail([{ code: "endpoint-policy-denies", args: { endpoint: "vpce-ssm", actions: ["ssm:UpdateInstanceInformation"] } }]);
    const path = pathOf(world, "ssm", { policyCheck: () => denied });
    expect(hopsOf(path).slice(0, 2)).toEqual(["endpoint-type pass", "endpoint-policy fail"]);
    expect(hopOf(path, "endpoint-policy")).toMatchObject({ subject: "vpce-ssm", ...denied });
  });

  it("that names no subnet has no network interface: the path ends failing after its DNS, whatever the groups allow", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: known([]) });
    const path = pathOf(world, "ssm");
    expect(path.verdict).toBe("fail");
    expect(hopsOf(path)).toEqual([...INTERFACE_HOPS.slice(0, 4), "route fail"]);
    expect(hopOf(path, "route")).toMatchObject({
      subject: "vpce-ssm",
      evidence: [{ code: "endpoint-no-subnets", args: { endpoint: "vpce-ssm", service: "ssm" } }],
    });
  });

  it("whose subnets are not known keeps every hop (the reader cannot tell it names none)", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: unknown("computed", "known after apply") });
    expect(hopsOf(pathOf(world, "ssm"))).not.toContain("route fail");
  });

  it("that names no subnet but has network interfaces (live) is judged by them", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: known([]), networkInterfaceAddresses: known(["10.0.2.10/32"]) });
    expect(pathOf(world, "ssm").verdict).toBe("pass");
  });

  it("that names no subnet and serves no private DNS leaves the name to the internet path", () => {
    world = smallWorld(); // the private subnet routes 0.0.0.0/0 to a NAT gateway
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: known([]), privateDnsEnabled: known(false) });
    const path = pathOf(world, "ssm");
    expect(path).toMatchObject({ route: "internet", verdict: "pass" });
  });
});

const REGION_NAME = "us-east-1";

describe("private DNS", () => {
  it("fails on a VPC without DNS hostnames, saying the attribute and whether it was defaulted", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.vpcs, "vpc", { enableDnsHostnames: { kind: "known", value: false, provenance: "default" } });
    const hostnames = hopOf(pathOf(world, "ssm"), "vpc-dns-hostnames");
    expect(hostnames).toMatchObject({ verdict: "fail", subject: "vpc" });
    expect(hostnames.evidence[0]).toMatchObject({
      code: "vpc-attribute-false",
      args: { vpc: "vpc", attribute: "enableDnsHostnames", defaulted: true },
    });
  });

  it("fails on a VPC without DNS support, and is unknown when it is not known", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.vpcs, "vpc", { enableDnsSupport: known(false) });
    expect(hopOf(pathOf(world, "ssm"), "vpc-dns-support").evidence[0]).toMatchObject({
      code: "vpc-attribute-false",
      args: { vpc: "vpc", attribute: "enableDnsSupport" },
    });
    update(world.vpcs, "vpc", {
      enableDnsSupport: unknown("parameter", "EnableDns is a parameter"),
      enableDnsHostnames: unknown("computed", "later"),
    });
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "vpc-dns-support").verdict).toBe("unknown");
    expect(hopOf(path, "vpc-dns-hostnames").verdict).toBe("unknown");
  });

  it("fails on an endpoint without private DNS, and is unknown when that is not known", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: { kind: "known", value: false, provenance: "default" } });
    const off = hopOf(pathOf(world, "ssm"), "endpoint-private-dns");
    expect(off).toMatchObject({ verdict: "fail", subject: "vpce-ssm" });
    expect(off.evidence[0]).toMatchObject({ code: "endpoint-private-dns-off", args: { endpoint: "vpce-ssm", defaulted: true } });
    addEndpoint(world, "vpce-ssm", "ssm", { privateDnsEnabled: unknown("computed", "known after apply") });
    expect(hopOf(pathOf(world, "ssm"), "endpoint-private-dns").verdict).toBe("unknown");
  });

  it("through DNS servers of the VPC's own adds an unknown custom-dns hop on the DHCP options", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    world.dhcpOptions.set("dopt", {
      key: "dopt",
      name: "dopt",
      origin: { source: "cloudformation", file: "template.yaml", id: "dopt" },
      domainNameServers: known(["10.0.0.10", "10.0.0.11"]),
    });
    update(world.vpcs, "vpc", { dhcpOptions: known("dopt") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual([...INTERFACE_HOPS.slice(0, 4), "custom-dns unknown", ...INTERFACE_HOPS.slice(4)]);
    const custom = hopOf(path, "custom-dns");
    expect(custom.subject).toBe("dopt");
    expect(codesOf(custom)).toEqual(["custom-dns-servers"]);
    expect(custom.evidence[0]!.args).toEqual({ options: "dopt", servers: ["10.0.0.10", "10.0.0.11"] });
    expect(path.verdict).toBe("unknown");
  });
});

describe("security groups at both ends", () => {
  it("fail on the instance's side when its groups do not let 443 out toward the endpoint", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.securityGroups, "sg-app", { egress: [] });
    const egress = hopOf(pathOf(world, "ssm"), "instance-sg-egress");
    expect(egress).toMatchObject({ verdict: "fail", subject: "sg-app" });
  });

  it("fail on the endpoint's side when its groups do not admit the instance", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.securityGroups, "sg-endpoint", { ingress: [] });
    const ingress = hopOf(pathOf(world, "ssm"), "endpoint-sg-ingress");
    expect(ingress).toMatchObject({ verdict: "fail", subject: "sg-endpoint" });
  });

  it("use the VPC's default group for an endpoint without groups, and point the fix at the endpoint", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { securityGroups: known([]) });
    const ingress = hopOf(pathOf(world, "ssm"), "endpoint-sg-ingress");
    expect(ingress).toMatchObject({ verdict: "fail", subject: "vpce-ssm" }); // the default group admits only itself
    update(world.instances, "i-app", { securityGroups: list(["sg-app", "sg-default"]) });
    expect(hopOf(pathOf(world, "ssm"), "endpoint-sg-ingress").verdict).toBe("pass");
  });

  it("admit by the endpoint's interface addresses when the input has them (live)", () => {
    update(world.securityGroups, "sg-app", { egress: [] });
    world.securityGroups.set("sg-app", { ...world.securityGroups.get("sg-app")!, egress: [egressTo("10.0.2.5/32")] });
    addEndpoint(world, "vpce-ssm", "ssm", { networkInterfaceAddresses: known(["10.0.2.5"]) });
    expect(hopOf(pathOf(world, "ssm"), "instance-sg-egress").verdict).toBe("pass");
    addEndpoint(world, "vpce-ssm", "ssm", { networkInterfaceAddresses: known(["10.0.2.6"]) });
    expect(hopOf(pathOf(world, "ssm"), "instance-sg-egress").verdict).toBe("fail");
  });
});

import { egress as egressRule } from "../helpers.js";

const egressTo = (cidr: string) => egressRule("tcp", 443, 443, cidr);

describe("network ACLs of both subnets", () => {
  const denyAll = (egress: boolean) => entry(100, egress, "deny", "0.0.0.0/0", "-1");
  const allowAll = (egress: boolean) => entry(200, egress, "allow", "0.0.0.0/0", "-1");

  it("fail on the endpoint's subnet when it drops the instance's 443, naming the entry", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    addAcl(world, "acl-endpoints", [denyAll(false), allowAll(true)]);
    update(world.subnets, "endpoints", { networkAcl: known("acl-endpoints") });
    const path = pathOf(world, "ssm");
    const inbound = hopOf(path, "nacl-endpoint-inbound");
    expect(inbound).toMatchObject({ verdict: "fail", subject: "acl-endpoints" });
    expect(codesOf(inbound)).toEqual(["nacl-denies"]);
    expect(inbound.evidence[0]!.args).toMatchObject({ acl: "acl-endpoints", direction: "inbound", ports: "443" });
    expect(hopOf(path, "nacl-endpoint-outbound").verdict).toBe("pass");
  });

  it("fail on the instance's subnet when it drops the replies coming back", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    addAcl(world, "acl-private", [denyAll(false), allowAll(true)]);
    update(world.subnets, "private", { networkAcl: known("acl-private") });
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "nacl-instance-outbound").verdict).toBe("pass");
    expect(hopOf(path, "nacl-instance-inbound").evidence[0]!.args).toMatchObject({ direction: "inbound", ports: "32768-65535" });
  });

  it("are not met by an endpoint in the instance's own subnet", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: list(["private"]) });
    addAcl(world, "acl-closed", [denyAll(false), denyAll(true)]);
    update(world.subnets, "private", { networkAcl: known("acl-closed") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path)).toEqual(INTERFACE_HOPS.slice(0, 6));
    expect(path.verdict).toBe("pass");
  });

  it("of a subnet not in the input are unknown, and the instance's own is judged toward all the endpoint's ranges", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: list(["subnet-elsewhere"]), networkInterfaceAddresses: known(["10.0.9.9"]) });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path).slice(6)).toEqual([
      "nacl-instance-outbound pass",
      "nacl-instance-inbound pass",
      "nacl-endpoint-inbound unknown",
      "nacl-endpoint-outbound unknown",
    ]);
    expect(hopOf(path, "nacl-endpoint-inbound").subject).toBe("vpce-ssm");
    expect(hopOf(path, "nacl-endpoint-inbound").unknowns).toEqual([
      { code: "outside", message: "subnet subnet-elsewhere is not defined in this input" },
    ]);
  });

  it("of a subnet not in the input, without interface addresses, leave where the endpoint is unknown", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: list(["subnet-elsewhere"]) });
    const path = pathOf(world, "ssm");
    expect(path.verdict).toBe("unknown");
    expect(hopOf(path, "nacl-endpoint-inbound").verdict).toBe("unknown");
  });

  it("of subnets that are not known leave the instance's own failing legs unknown (the endpoint may share its subnet)", () => {
    addEndpoint(world, "vpce-ssm", "ssm", { subnets: unknown("parameter", "SubnetIds is a parameter") });
    addAcl(world, "acl-private", [entry(100, true, "deny", "0.0.0.0/0", "-1"), allowAll(false)]);
    update(world.subnets, "private", { networkAcl: known("acl-private") });
    const path = pathOf(world, "ssm");
    expect(hopsOf(path).slice(6)).toEqual([
      "nacl-instance-outbound unknown",
      "nacl-instance-inbound pass",
      "nacl-endpoint-inbound unknown",
      "nacl-endpoint-outbound unknown",
    ]);
    expect(codesOf(hopOf(path, "nacl-instance-outbound"))).toEqual(["nacl-denies"]);
    expect(hopOf(path, "nacl-instance-outbound").unknowns).toEqual([{ code: "parameter", message: "SubnetIds is a parameter" }]);
    expect(reasonCodesOf(hopOf(path, "nacl-endpoint-outbound"))).toEqual(["parameter"]);
  });

  it("that are not in the input, or of a subnet whose ACL is not known, are unknown", () => {
    addEndpoint(world, "vpce-ssm", "ssm");
    update(world.subnets, "endpoints", { networkAcl: known("acl-elsewhere") });
    update(world.subnets, "private", { networkAcl: unknown("computed", "known after apply") });
    const path = pathOf(world, "ssm");
    expect(hopOf(path, "nacl-endpoint-inbound").unknowns).toEqual([
      { code: "outside", message: "network ACL acl-elsewhere is not defined in this input" },
    ]);
    const instanceSide = hopOf(path, "nacl-instance-outbound");
    expect(instanceSide).toEqual({ id: "nacl-instance-outbound", ...undecided([{ code: "computed", message: "known after apply" }]) });
  });

  it("only toward the endpoint's interfaces in other subnets, when its subnets are several", () => {
    addEndpoint(world, "vpce-ssm", "ssm", {
      subnets: list(["private", "endpoints"]),
      networkInterfaceAddresses: known(["10.0.1.5", "10.0.2.5"]),
    });
    addAcl(world, "acl-private", [entry(100, true, "allow", "10.0.2.0/24", "-1"), allowAll(false)]);
    update(world.subnets, "private", { networkAcl: known("acl-private") });
    expect(pathOf(world, "ssm").verdict).toBe("pass");
  });
});

describe("an S3 gateway endpoint", () => {
  const gateway = { endpointType: known("Gateway" as const), subnets: known([]), securityGroups: known([]) };

  it("passes when it is associated with the instance subnet's route table; traffic leaves by prefix list", () => {
    addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: list(["rt-private"]) });
    const path = pathOf(world, "s3");
    expect(path).toMatchObject({ route: "gateway-endpoint", endpoint: "vpce-s3", verdict: "pass" });
    expect(hopsOf(path)).toEqual([
      "endpoint-type pass",
      "route pass",
      "instance-sg-egress pass",
      "nacl-instance-outbound pass",
      "nacl-instance-inbound pass",
    ]);
    expect(hopOf(path, "route").subject).toBe("vpce-s3");
  });

  it("fails when the subnet's network ACL keeps traffic inside the VPC: S3 is reached at its public addresses", () => {
    addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: list(["rt-private"]) });
    addAcl(world, "acl-inside", [entry(100, true, "allow", "10.0.0.0/16", "-1"), entry(100, false, "allow", "10.0.0.0/16", "-1")]);
    update(world.subnets, "private", { networkAcl: known("acl-inside") });
    const path = pathOf(world, "s3");
    expect(path.verdict).toBe("fail");
    expect(hopOf(path, "nacl-instance-outbound").verdict).toBe("fail");
  });

  it("fails when it is not, naming the route table", () => {
    const endpoint = addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: list(["rt-public"]) });
    const route = hopOf(pathOf(world, "s3"), "route");
    expect(route).toEqual({
      id: "route",
      subject: "vpce-s3",
      ...fail([{ code: "gateway-endpoint-not-routed", args: { endpoint: "vpce-s3", routeTable: "rt-private" }, origin: endpoint.origin }]),
    });
  });

  it("is unknown when its route tables, one of them, or the subnet's are not known", () => {
    addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: unknown("computed", "tables later") });
    expect(hopOf(pathOf(world, "s3"), "route").unknowns).toEqual([{ code: "computed", message: "tables later" }]);
    addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: known([known("rt-public"), unknown("parameter", "RouteTableId")]) });
    expect(hopOf(pathOf(world, "s3"), "route").unknowns).toEqual([{ code: "parameter", message: "RouteTableId" }]);
    addEndpoint(world, "vpce-s3", "s3", { ...gateway, routeTables: list(["rt-private"]) });
    update(world.subnets, "private", { routeTable: unknown("computed", "association later") });
    expect(hopOf(pathOf(world, "s3"), "route").unknowns).toEqual([{ code: "computed", message: "association later" }]);
  });

  it("serves only S3: a gateway endpoint for another service is the wrong type", () => {
    addEndpoint(world, "vpce-logs", "logs", gateway);
    expect(hopsOf(pathOf(world, "logs"))).toEqual(["endpoint-type fail"]);
    expect(pass().verdict).toBe("pass");
  });
});
