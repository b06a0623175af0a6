/**
 * Paths through a hub (centralised endpoints, centralised egress) and the VPC resolver, from small
 * CloudFormation templates: every hop on the instance's side is judged, the hub's own side is taken from a
 * declaration in templates, and enableDnsSupport false fails any path that relies on the Amazon-provided DNS.
 */
import { describe, expect, it } from "vitest";
import type { ServicePath } from "../../src/analysis/paths.js";
import type { RunResult } from "../../src/engine/run.js";
import type { HubDeclaration } from "../../src/model/index.js";
import { lintText } from "../helpers/lint.js";

const HUB: HubDeclaration = {
  name: "network-hub",
  attachments: ["tgw-0a1b2c3d4e5f60001"],
  cidr: "10.100.0.0/16",
  account: "444455556666",
  endpoints: ["ssm", "ssmmessages"],
  internet: false,
  file: ".ssm-doctor.yaml",
};

interface Spoke {
  /** Routes of the instance's route table: [destination, "tgw-…" | "nat" ]. */
  routes?: [string, string][];
  /** Egress rules of the instance's group: [port, cidr]. */
  egress?: [number, string][];
  dnsSupport?: boolean;
  /** DHCP options name servers (none: the default option set). */
  dnsServers?: string[];
  /** A private hosted zone for ssm and ssmmessages associated with the VPC, in the template. */
  zones?: boolean;
  /** Another route table of the VPC routes to this transit gateway (the VPC is a spoke of it). */
  spokeOf?: string;
}

function template(s: Spoke): string {
  const routes = (s.routes ?? [["0.0.0.0/0", "tgw-0a1b2c3d4e5f60001"]])
    .map(
      ([dest, target], i) => `  rRoute${i}:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref rRouteTable
      DestinationCidrBlock: ${dest}
      ${target === "nat" ? "NatGatewayId: !Ref rNat" : `TransitGatewayId: ${target}`}`,
    )
    .join("\n");
  const egress = (s.egress ?? [[443, "0.0.0.0/0"]])
    .map(([port, cidr]) => `        - { IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, CidrIp: ${cidr} }`)
    .join("\n");
  const dhcp = s.dnsServers
    ? `  rDhcp:
    Type: AWS::EC2::DHCPOptions
    Properties:
      DomainNameServers: [${s.dnsServers.join(", ")}]
  rDhcpAssociation:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties:
      VpcId: !Ref rVpc
      DhcpOptionsId: !Ref rDhcp
`
    : "";
  const zones = s.zones
    ? ["ssm", "ssmmessages"]
        .map(
          (svc) => `  rZone${svc}:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: ${svc}.us-east-1.amazonaws.com
      VPCs: [{ VPCId: !Ref rVpc, VPCRegion: us-east-1 }]
`,
        )
        .join("")
    : "";
  const spoke = s.spokeOf
    ? `  rOtherTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref rVpc
  rOtherRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref rOtherTable
      DestinationCidrBlock: 0.0.0.0/0
      TransitGatewayId: ${s.spokeOf}
`
    : "";
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  rVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
      EnableDnsSupport: ${s.dnsSupport ?? true}
      EnableDnsHostnames: true
${dhcp}${zones}${spoke}  rSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref rVpc
      CidrBlock: 10.20.1.0/24
  rPublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref rVpc
      CidrBlock: 10.20.0.0/24
  rIgw:
    Type: AWS::EC2::InternetGateway
  rIgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref rVpc
      InternetGatewayId: !Ref rIgw
  rPublicTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref rVpc
  rPublicRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref rPublicTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref rIgw
  rPublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref rPublicTable
      SubnetId: !Ref rPublicSubnet
  rNat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref rPublicSubnet
  rRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref rVpc
  rAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref rRouteTable
      SubnetId: !Ref rSubnet
${routes}
  rGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref rVpc
      SecurityGroupEgress:
${egress}
  rRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
  rProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref rRole]
  rInstance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}"
      SubnetId: !Ref rSubnet
      IamInstanceProfile: !Ref rProfile
      SecurityGroupIds: [!Ref rGroup]
`;
}

function lint(s: Spoke, hubs: HubDeclaration[] = []): RunResult {
  return lintText("spoke.yaml", template(s), { region: "us-east-1", hubs });
}

function ssmPath(r: RunResult): ServicePath {
  return r.analysis.instances[0]!.placements[0]!.paths.find((p) => p.service === "ssm")!;
}

const hops = (p: ServicePath) => p.hops.map((h) => `${h.id}:${h.verdict}`);
const status = (r: RunResult) => r.instances[0]!.status;

describe("a declared hub in a template", () => {
  it("judges every hop on the instance's side and takes the hub's side from the declaration", () => {
    const r = lint({}, [HUB]);
    const path = ssmPath(r);
    expect(path.route).toBe("hosted-zone");
    expect(hops(path)).toEqual([
      "hosted-zone:pass",
      "vpc-dns-support:pass",
      "route:pass",
      "instance-sg-egress:pass",
      "nacl-instance-outbound:pass",
      "nacl-instance-inbound:pass",
      "hub-endpoint:pass",
    ]);
    expect(path.hops.at(-1)!.evidence[0]!.code).toBe("hub-declared");
    expect(status(r)).toBe("pass");
  });

  it("egress only to the hub's declared range passes; only to the VPC's own range fails", () => {
    expect(status(lint({ egress: [[443, "10.100.0.0/16"]] }, [HUB]))).toBe("pass");
    const r = lint({ egress: [[443, "10.20.0.0/16"]] }, [HUB]);
    expect(status(r)).toBe("fail");
    expect(r.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD301"]);
  });

  it("the longest prefix towards the hub decides: a specific route to the transit gateway beside a NAT default route", () => {
    const r = lint(
      {
        routes: [
          ["0.0.0.0/0", "nat"],
          ["10.100.0.0/16", "tgw-0a1b2c3d4e5f60001"],
        ],
      },
      [HUB],
    );
    expect(ssmPath(r).hops.find((h) => h.id === "route")!.evidence[0]!.args).toMatchObject({ destination: "10.100.0.0/16" });
    expect(status(r)).toBe("pass");
  });

  it("a spoke whose table sends the hub's range to a NAT gateway fails the route", () => {
    const r = lint({ routes: [["0.0.0.0/0", "nat"]], spokeOf: "tgw-0a1b2c3d4e5f60001" }, [HUB]);
    const route = ssmPath(r).hops.find((h) => h.id === "route")!;
    expect(route.verdict).toBe("fail");
    expect(route.evidence[0]!.code).toBe("route-not-to-hub");
    expect(r.findings.find((f) => f.ruleId === "SD201" && f.verdict === "fail")?.messageId).toBe("noRouteToHub");
  });

  it("a VPC routed to another transit gateway is not a spoke of the declared hub: the route stays unknown", () => {
    const r = lint({ routes: [["0.0.0.0/0", "tgw-0fffffffffffffff0"]] }, [HUB]);
    expect(ssmPath(r).route).toBe("unknown");
    expect(status(r)).toBe("unknown");
  });

  it("a hub declared for the internet makes the default route an internet path, judged to the internet", () => {
    const egressHub = { ...HUB, endpoints: [], internet: true };
    const r = lint({}, [egressHub]);
    expect(ssmPath(r).route).toBe("internet");
    expect(hops(ssmPath(r))).toContain("hub-egress:pass");
    expect(status(r)).toBe("pass");
    expect(status(lint({ egress: [[443, "10.0.0.0/8"]] }, [egressHub]))).toBe("fail");
  });
});

describe("a private hosted zone in the template, without a declaration", () => {
  it("is a centralised endpoint: the instance's side is judged, the hub's side stays unknown", () => {
    const r = lint({ zones: true });
    const path = ssmPath(r);
    expect(path.route).toBe("hosted-zone");
    expect(path.hops.find((h) => h.id === "hub-endpoint")!.verdict).toBe("unknown");
    expect(status(r)).toBe("unknown");
  });

  it("a specific route to the transit gateway gives the hub's range: egress is judged towards it", () => {
    const routes: [string, string][] = [
      ["0.0.0.0/0", "nat"],
      ["10.100.0.0/16", "tgw-0a1b2c3d4e5f60001"],
    ];
    const toHub = ssmPath(lint({ zones: true, routes, egress: [[443, "10.100.0.0/16"]] }));
    expect(toHub.hops.find((h) => h.id === "instance-sg-egress")!.verdict).toBe("pass");
    expect(toHub.verdict).toBe("unknown"); // the hub's side
    const toSpoke = lint({ zones: true, routes, egress: [[443, "10.20.0.0/16"]] });
    expect(ssmPath(toSpoke).verdict).toBe("fail");
    expect(toSpoke.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD301"]);
    // Without a known range, a rule narrower than 0.0.0.0/0 cannot be judged.
    expect(ssmPath(lint({ zones: true, egress: [[443, "10.0.0.0/8"]] })).hops.find((h) => h.id === "instance-sg-egress")!.verdict).toBe(
      "unknown",
    );
  });

  it("without a route to a transit gateway or peering connection it fails", () => {
    const r = lint({ zones: true, routes: [["0.0.0.0/0", "nat"]] });
    expect(ssmPath(r).verdict).toBe("fail");
    expect(ssmPath(r).hops.find((h) => h.id === "route")!.evidence[0]!.code).toBe("route-no-hub");
  });

  it("with DNS servers of the VPC's own it warns (SD403): they must forward to the VPC resolver", () => {
    const r = lint({ zones: true, dnsServers: ["10.10.0.10"] });
    expect(r.findings.find((f) => f.ruleId === "SD403")?.severity).toBe("warning");
    expect(ssmPath(r).hops.at(-1)!.id).toBe("custom-dns");
  });

  it("with enableDnsSupport false it fails: the zone is answered by the VPC resolver alone", () => {
    const r = lint({ zones: true, dnsSupport: false });
    expect(r.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD401"]);
  });
});

describe("the VPC resolver on a NAT path", () => {
  const nat: Spoke = { routes: [["0.0.0.0/0", "nat"]] };

  it("enableDnsSupport false fails with the default DHCP options and with options that list AmazonProvidedDNS", () => {
    for (const dnsServers of [undefined, ["AmazonProvidedDNS"]]) {
      const r = lint({ ...nat, dnsSupport: false, ...(dnsServers ? { dnsServers } : {}) });
      const sd401 = r.findings.find((f) => f.ruleId === "SD401")!;
      expect(sd401.verdict).toBe("fail");
      expect(sd401.messageId).toBe("resolverOff");
    }
  });

  it("DNS servers of the VPC's own resolve public names without it: no SD401", () => {
    const r = lint({ ...nat, dnsSupport: false, dnsServers: ["10.10.0.10"] });
    expect(r.findings.find((f) => f.ruleId === "SD401")).toBeUndefined();
    expect(status(r)).toBe("pass");
  });

  it("a route to an undeclared transit gateway stays unknown, but the resolver still fails it", () => {
    expect(status(lint({ dnsSupport: false }))).toBe("fail");
  });
});
