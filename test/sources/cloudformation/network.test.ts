import { describe, expect, it } from "vitest";
import { isUnresolvedPart } from "../../../src/model/index.js";
import { items, load, v } from "./helpers.js";

const VPC = `
  Parameters:
    ExistingVpc:
      Type: AWS::EC2::VPC::Id
    Env:
      Type: String
      Default: prod
    Maybe:
      Type: String
  Conditions:
    IsProd: !Equals [!Ref Env, prod]
    IsDev: !Equals [!Ref Env, dev]
    Unknowable: !Equals [!Ref Maybe, yes]
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties:
        CidrBlock: 10.0.0.0/16
    Igw:
      Type: AWS::EC2::InternetGateway
    Attach:
      Type: AWS::EC2::VPCGatewayAttachment
      Properties:
        VpcId: !Ref Vpc
        InternetGatewayId: !Ref Igw
    Public:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: 10.0.0.0/24
        AvailabilityZone: !Select [0, !GetAZs ""]
        MapPublicIpOnLaunch: "TRUE"
    Private:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
        AvailabilityZone: eu-west-1b
    Outside:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref ExistingVpc
        CidrBlock: 10.9.0.0/24
    PublicRt:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc
    PublicDefault:
      Type: AWS::EC2::Route
      DependsOn: Attach
      Properties:
        RouteTableId: !Ref PublicRt
        DestinationCidrBlock: 0.0.0.0/0
        GatewayId: !Ref Igw
    PublicAssoc:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref Public
        RouteTableId: !Ref PublicRt
    Eip:
      Type: AWS::EC2::EIP
      Properties:
        Domain: vpc
    Nat:
      Type: AWS::EC2::NatGateway
      Properties:
        SubnetId: !Ref Public
        AllocationId: !GetAtt Eip.AllocationId
    PrivateRt:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc
    PrivateDefault:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref Nat
    PrivateToTgw:
      Type: AWS::EC2::Route
      Condition: Unknowable
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 172.16.0.0/12
        TransitGatewayId: tgw-0123
    PrivateToIgwLiteral:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationIpv6CidrBlock: ::/0
        GatewayId: igw-0abc
    DevOnlyRoute:
      Type: AWS::EC2::Route
      Condition: IsDev
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 192.168.0.0/16
        VpcPeeringConnectionId: pcx-1
    RouteInExistingTable:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: rtb-0123
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref Nat
    PrivateAssoc:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref Private
        RouteTableId: !Ref PrivateRt
    Acl:
      Type: AWS::EC2::NetworkAcl
      Properties:
        VpcId: !Ref Vpc
    AclIn443:
      Type: AWS::EC2::NetworkAclEntry
      Properties:
        NetworkAclId: !Ref Acl
        RuleNumber: 100
        Protocol: 6
        RuleAction: allow
        CidrBlock: 10.0.0.0/16
        PortRange: {From: 443, To: 443}
    AclOutAll:
      Type: AWS::EC2::NetworkAclEntry
      Properties:
        NetworkAclId: !Ref Acl
        RuleNumber: "200"
        Protocol: -1
        RuleAction: DENY
        Egress: "true"
        CidrBlock: 0.0.0.0/0
    AclAssoc:
      Type: AWS::EC2::SubnetNetworkAclAssociation
      Properties:
        SubnetId: !Ref Private
        NetworkAclId: !Ref Acl
`;

describe("VPCs and their synthesized defaults", () => {
  const world = load(VPC);

  it("reads the VPC with documented defaults", () => {
    const vpc = world.vpcs.get("Vpc")!;
    expect(v(vpc.cidrBlocks)).toEqual(["10.0.0.0/16"]);
    expect(vpc.enableDnsSupport).toEqual({ kind: "known", value: true, provenance: "default" });
    expect(vpc.enableDnsHostnames).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(vpc.dhcpOptions).toEqual({ kind: "known", value: null, provenance: "default" });
    expect([vpc.defaultSecurityGroup, vpc.mainRouteTable, vpc.defaultNetworkAcl]).toEqual([
      "Vpc#default-sg",
      "Vpc#main-rtb",
      "Vpc#default-acl",
    ]);
  });

  it("synthesizes the default security group, main route table and default ACL", () => {
    const vpc = world.vpcs.get("Vpc")!;
    const sg = world.securityGroups.get("Vpc#default-sg")!;
    expect(sg).toMatchObject({ isDefault: true, name: "default security group of Vpc", egressManagement: { mode: "aws-default" } });
    expect(sg.origin).toEqual(vpc.origin);
    expect(v(sg.rulesComplete)).toBe(true);
    expect(v(sg.ingress[0]!.peer)).toEqual({
      kind: "security-group",
      group: { kind: "known", value: "Vpc#default-sg", provenance: "default" },
    });
    expect(v(sg.ingress[0]!.protocol)).toBe("all");
    expect(v(sg.egress[0]!.peer)).toEqual({ kind: "cidr", cidr: "0.0.0.0/0" });
    expect(world.routeTables.get("Vpc#main-rtb")).toMatchObject({ isMain: true, routes: [], routesComplete: true });
    const acl = world.networkAcls.get("Vpc#default-acl")!;
    expect(acl).toMatchObject({ isDefault: true, entriesComplete: true });
    expect(acl.entries.map((e) => [v(e.ruleNumber), e.egress, v(e.protocol), v(e.action), v(e.cidr).cidr])).toEqual([
      [100, false, "all", "allow", "0.0.0.0/0"],
      [100, true, "all", "allow", "0.0.0.0/0"],
    ]);
  });

  it("adds CIDRs from AWS::EC2::VPCCidrBlock and reads DHCP options", () => {
    const w = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true, EnableDnsSupport: "false"}
        Extra:
          Type: AWS::EC2::VPCCidrBlock
          Properties: {VpcId: !Ref Vpc, CidrBlock: 100.64.0.0/16}
        Ipv6:
          Type: AWS::EC2::VPCCidrBlock
          Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
        Dhcp:
          Type: AWS::EC2::DHCPOptions
          Properties: {DomainNameServers: [10.0.0.2, 10.0.0.3]}
        DefaultDhcp:
          Type: AWS::EC2::DHCPOptions
          Properties: {DomainName: corp.example}
        DhcpAssoc:
          Type: AWS::EC2::VPCDHCPOptionsAssociation
          Properties: {VpcId: !Ref Vpc, DhcpOptionsId: !Ref Dhcp}
    `);
    const vpc = w.vpcs.get("Vpc")!;
    expect(v(vpc.cidrBlocks)).toEqual(["10.0.0.0/16", "100.64.0.0/16"]);
    expect(vpc.enableDnsHostnames).toMatchObject({ value: true, provenance: "explicit" });
    expect(v(vpc.enableDnsSupport)).toBe(false);
    const yaml11 = load(
      "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: yes, EnableDnsSupport: Off}\n",
    );
    expect([v(yaml11.vpcs.get("Vpc")!.enableDnsHostnames), v(yaml11.vpcs.get("Vpc")!.enableDnsSupport)]).toEqual([true, false]);
    expect(v(vpc.dhcpOptions)).toBe("Dhcp");
    expect(v(w.dhcpOptions.get("Dhcp")!.domainNameServers)).toEqual(["10.0.0.2", "10.0.0.3"]);
    expect(w.dhcpOptions.get("DefaultDhcp")!.domainNameServers).toEqual({
      kind: "known",
      value: ["AmazonProvidedDNS"],
      provenance: "default",
    });
  });
});

describe("subnets", () => {
  const world = load(VPC);

  it("reads explicit values and associations", () => {
    const pub = world.subnets.get("Public")!;
    expect(v(pub.vpc)).toBe("Vpc");
    expect(v(pub.mapPublicIpOnLaunch)).toBe(true);
    expect(pub.availabilityZone).toMatchObject({ kind: "unknown", reason: { code: "computed" } });
    expect(pub.routeTable).toMatchObject({ kind: "known", value: "PublicRt", provenance: "explicit" });
    expect(pub.networkAcl).toEqual({ kind: "known", value: "Vpc#default-acl", provenance: "default" });
    const priv = world.subnets.get("Private")!;
    expect(v(priv.cidrBlock)).toBe("10.0.1.0/24");
    expect(v(priv.availabilityZone)).toBe("eu-west-1b");
    expect(priv.mapPublicIpOnLaunch).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(v(priv.networkAcl)).toBe("Acl");
  });

  it("falls back to the VPC's main table, and to unknown outside when the VPC is a parameter", () => {
    const w = load(`
      Parameters:
        ExistingVpc: {Type: "AWS::EC2::VPC::Id"}
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        Inside:
          Type: AWS::EC2::Subnet
          Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
        Outside:
          Type: AWS::EC2::Subnet
          Properties: {VpcId: !Ref ExistingVpc, CidrBlock: 10.9.0.0/24}
    `);
    expect(w.subnets.get("Inside")!.routeTable).toEqual({ kind: "known", value: "Vpc#main-rtb", provenance: "default" });
    const outside = w.subnets.get("Outside")!;
    expect(outside.vpc).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "VpcId is the parameter ExistingVpc: an existing VPC, not in this template" },
    });
    expect(outside.routeTable).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(outside.networkAcl).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(load(VPC, { parameters: { ExistingVpc: "vpc-0abc" } }).subnets.get("Outside")!.vpc).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "VpcId is vpc-0abc, a VPC that is not in this template" },
    });
  });
});

describe("route tables and routes", () => {
  const world = load(VPC);

  it("reads internet gateway and NAT routes", () => {
    const pub = world.routeTables.get("PublicRt")!;
    expect(pub).toMatchObject({ isMain: false, routesComplete: true });
    expect(pub.routes).toHaveLength(1);
    expect(v(pub.routes[0]!.destination)).toEqual({ kind: "ipv4", cidr: "0.0.0.0/0" });
    const target = v(pub.routes[0]!.target);
    expect(target.kind === "internet-gateway" && v(target.gateway)).toBe("Igw");
    expect(pub.routes[0]!.origin.pointer).toBe("/Resources/PublicDefault");
    expect(v(world.internetGateways.get("Igw")!.vpc)).toBe("Vpc");
  });

  it("reads other targets, keeps conditional routes marked, drops false ones, ignores outside tables", () => {
    const routes = world.routeTables.get("PrivateRt")!.routes;
    expect(routes.map((r) => v(r.target).kind)).toEqual(["nat-gateway", "transit-gateway", "internet-gateway"]);
    const nat = v(routes[0]!.target);
    expect(nat.kind === "nat-gateway" && v(nat.gateway)).toBe("Nat");
    expect(v(routes[1]!.target)).toEqual({ kind: "transit-gateway", id: "tgw-0123" });
    expect(routes[1]!.conditional).toMatchObject({ code: "condition" });
    const literalIgw = v(routes[2]!.target);
    expect(literalIgw.kind === "internet-gateway" && literalIgw.gateway).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(v(routes[2]!.destination)).toEqual({ kind: "ipv6", cidr: "::/0" });
  });

  it("reads NAT gateways with the public default", () => {
    const nat = world.natGateways.get("Nat")!;
    expect(v(nat.subnet)).toBe("Public");
    expect(nat.connectivity).toEqual({ kind: "known", value: "public", provenance: "default" });
  });
});

describe("network ACLs", () => {
  it("reads entries with normalized protocols, actions and directions", () => {
    const acl = load(VPC).networkAcls.get("Acl")!;
    expect(acl).toMatchObject({ isDefault: false, entriesComplete: true });
    expect(v(acl.vpc)).toBe("Vpc");
    const [in443, outAll] = acl.entries;
    expect([v(in443!.ruleNumber), in443!.egress, v(in443!.protocol), v(in443!.action), v(in443!.portRange)]).toEqual([
      100,
      false,
      "tcp",
      "allow",
      { from: 443, to: 443 },
    ]);
    expect([v(outAll!.ruleNumber), outAll!.egress, v(outAll!.protocol), v(outAll!.action), v(outAll!.portRange)]).toEqual([
      200,
      true,
      "all",
      "deny",
      null,
    ]);
  });
});

describe("security groups: CloudFormation egress semantics", () => {
  const world = load(`
    Parameters:
      OtherSg: {Type: "AWS::EC2::SecurityGroup::Id"}
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties: {CidrBlock: 10.0.0.0/16}
      NoEgress:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: no egress given
          VpcId: !Ref Vpc
          SecurityGroupIngress:
            - {IpProtocol: "-1", SourceSecurityGroupId: !Ref OtherSg}
            - {IpProtocol: "6", FromPort: -1, ToPort: -1, CidrIp: 10.0.0.0/8}
            - {IpProtocol: icmp, FromPort: 8, ToPort: -1, CidrIp: 10.0.0.0/8}
      InlineEgress:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: inline egress
          VpcId: !Ref Vpc
          SecurityGroupEgress:
            - {IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: !GetAtt Endpoints.GroupId}
      StandaloneEgress:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: standalone egress
          VpcId: !Ref Vpc
      StandaloneRule:
        Type: AWS::EC2::SecurityGroupEgress
        Properties:
          GroupId: !GetAtt StandaloneEgress.GroupId
          IpProtocol: 17
          FromPort: 53
          ToPort: 53
          CidrIp: 10.0.0.2/32
      Endpoints:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: endpoints
          VpcId: !Ref Vpc
      EndpointsIngress:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          GroupId: !Ref Endpoints
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !Ref InlineEgress
      DefaultSgIngress:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          GroupId: !GetAtt Vpc.DefaultSecurityGroup
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/16
      DefaultVpcGroup:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: default VPC
  `);

  it("no SecurityGroupEgress keeps AWS's allow-all egress (mode cloudformation-default)", () => {
    const sg = world.securityGroups.get("NoEgress")!;
    expect(sg.egressManagement.mode).toBe("cloudformation-default");
    expect(sg.egress).toHaveLength(1);
    const rule = sg.egress[0]!;
    expect(rule.protocol).toEqual({ kind: "known", value: "all", provenance: "default" });
    expect(rule.peer).toEqual({ kind: "known", value: { kind: "cidr", cidr: "0.0.0.0/0" }, provenance: "default" });
    expect(rule.origin).toEqual(sg.origin);
    expect(v(sg.rulesComplete)).toBe(true);
  });

  it("inline SecurityGroupEgress replaces it (mode inline)", () => {
    const sg = world.securityGroups.get("InlineEgress")!;
    expect(sg.egressManagement.mode).toBe("inline");
    expect(sg.egress).toHaveLength(1);
    const peer = v(sg.egress[0]!.peer);
    expect(peer.kind === "security-group" && v(peer.group)).toBe("Endpoints");
    expect([v(sg.egress[0]!.protocol), v(sg.egress[0]!.fromPort), v(sg.egress[0]!.toPort)]).toEqual(["tcp", 443, 443]);
  });

  it("a standalone AWS::EC2::SecurityGroupEgress also removes it (mode standalone)", () => {
    const sg = world.securityGroups.get("StandaloneEgress")!;
    expect(sg.egressManagement.mode).toBe("standalone");
    expect(sg.egress).toHaveLength(1);
    expect([v(sg.egress[0]!.protocol), v(sg.egress[0]!.fromPort)]).toEqual(["udp", 53]);
    expect(sg.egress[0]!.origin.pointer).toBe("/Resources/StandaloneRule");
  });

  it("normalizes protocols and ports; peers outside the template are unknown groups", () => {
    const [all, tcp, icmp] = world.securityGroups.get("NoEgress")!.ingress;
    expect([v(all!.protocol), v(all!.fromPort), v(all!.toPort)]).toEqual(["all", 0, 65535]);
    const peer = v(all!.peer);
    expect(peer.kind === "security-group" && peer.group).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect([v(tcp!.protocol), v(tcp!.fromPort), v(tcp!.toPort)]).toEqual(["tcp", 0, 65535]);
    expect([v(icmp!.protocol), v(icmp!.fromPort), v(icmp!.toPort)]).toEqual(["icmp", 8, -1]);
  });

  it("standalone ingress adds to the group, including a VPC's default group", () => {
    const endpoints = world.securityGroups.get("Endpoints")!;
    expect(endpoints.ingress).toHaveLength(1);
    const peer = v(endpoints.ingress[0]!.peer);
    expect(peer.kind === "security-group" && v(peer.group)).toBe("InlineEgress");
    const defaultSg = world.securityGroups.get("Vpc#default-sg")!;
    expect(defaultSg.ingress).toHaveLength(2);
    expect(v(defaultSg.ingress[1]!.peer)).toEqual({ kind: "cidr", cidr: "10.0.0.0/16" });
  });

  it("a group without VpcId is in the default VPC: outside", () => {
    expect(world.securityGroups.get("DefaultVpcGroup")!.vpc).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
  });

  it("an egress list that depends on an unknown condition is not complete", () => {
    const w = load(`
      Parameters:
        Strict: {Type: String}
      Conditions:
        IsStrict: !Equals [!Ref Strict, "yes"]
      Resources:
        Sg:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: x
            SecurityGroupEgress: !If [IsStrict, [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}], !Ref AWS::NoValue]
    `);
    const sg = w.securityGroups.get("Sg")!;
    expect(sg.egressManagement.mode).toBe("unknown");
    expect(sg.rulesComplete).toMatchObject({ kind: "unknown", reason: { code: "condition" } });
  });
});

describe("VPC endpoints", () => {
  const world = load(`
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties: {CidrBlock: 10.0.0.0/16}
      Subnet:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
      Sg:
        Type: AWS::EC2::SecurityGroup
        Properties: {GroupDescription: x, VpcId: !Ref Vpc}
      Bucket:
        Type: AWS::S3::Bucket
      Defaults:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: !Sub com.amazonaws.\${AWS::Region}.ssm
      Explicit:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: !Join ["", [com.amazonaws., !Ref "AWS::Region", .ssmmessages]]
          VpcEndpointType: interface
          PrivateDnsEnabled: "true"
          SubnetIds: [!Ref Subnet, subnet-0outside]
          SecurityGroupIds: [!Ref Sg]
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}'
      WithPolicy:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: com.amazonaws.eu-west-1.s3
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub arn:aws:s3:::\${Bucket}/*
  `);

  it("applies the documented defaults: Gateway, private DNS off, no security groups (the VPC default group)", () => {
    const endpoint = world.vpcEndpoints.get("Defaults")!;
    expect(v(endpoint.serviceName)).toBe("com.amazonaws.${AWS::Region}.ssm");
    expect(endpoint.endpointType).toEqual({ kind: "known", value: "Gateway", provenance: "default" });
    expect(endpoint.privateDnsEnabled).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(endpoint.securityGroups).toEqual({ kind: "known", value: [], provenance: "default" });
    expect(endpoint.subnets).toEqual({ kind: "known", value: [], provenance: "default" });
    expect(endpoint.policy).toEqual({ kind: "known", value: null, provenance: "default" });
  });

  it("reads explicit settings, per-item subnet references and JSON-string policies", () => {
    const endpoint = world.vpcEndpoints.get("Explicit")!;
    expect(v(endpoint.serviceName)).toBe("com.amazonaws.${AWS::Region}.ssmmessages");
    expect(v(endpoint.endpointType)).toBe("Interface");
    expect(v(endpoint.privateDnsEnabled)).toBe(true);
    const subnets = v(endpoint.subnets);
    expect(v(subnets[0])).toBe("Subnet");
    expect(subnets[1]).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(items(endpoint.securityGroups)).toEqual(["Sg"]);
    expect(v(endpoint.policy)).toMatchObject({ Statement: [{ Effect: "Allow", Action: "*" }] });
  });

  it("marks unresolved parts of policies", () => {
    // biome-ignore lint/suspicious/noExplicitAny: raw IAM JSON
    const policy = v(world.vpcEndpoints.get("WithPolicy")!.policy) as any;
    expect(policy.Statement[0].Action).toBe("s3:GetObject");
    expect(isUnresolvedPart(policy.Statement[0].Resource)).toBe(true);
    expect(policy.Statement[0].Resource.$unresolved.code).toBe("unsupported");
  });
});

describe("private hosted zones", () => {
  it("reads private zones only, names lower-cased without the trailing dot", () => {
    const world = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        Private:
          Type: AWS::Route53::HostedZone
          Properties:
            Name: SSM.us-east-1.AmazonAWS.com.
            VPCs: [{VPCId: !Ref Vpc, VPCRegion: us-east-1}]
        Public:
          Type: AWS::Route53::HostedZone
          Properties: {Name: example.com}
    `);
    expect([...world.hostedZones.keys()]).toEqual(["Private"]);
    const zone = world.hostedZones.get("Private")!;
    expect(v(zone.zoneName)).toBe("ssm.us-east-1.amazonaws.com");
    expect(items(zone.vpcs)).toEqual(["Vpc"]);
  });
});

describe("resource conditions", () => {
  const text = `
    Parameters:
      Env: {Type: String, Default: prod}
      Maybe: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
      IsDev: !Equals [!Ref Env, dev]
      Unknowable: !Equals [!Ref Maybe, "yes"]
    Resources:
      ProdVpc:
        Type: AWS::EC2::VPC
        Condition: IsProd
        Properties: {CidrBlock: 10.0.0.0/16}
      DevVpc:
        Type: AWS::EC2::VPC
        Condition: IsDev
        Properties: {CidrBlock: 10.1.0.0/16}
      MaybeVpc:
        Type: AWS::EC2::VPC
        Condition: Unknowable
        Properties: {CidrBlock: 10.2.0.0/16}
      DevSubnet:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: !Ref DevVpc, CidrBlock: 10.1.0.0/24}
  `;

  it("drops resources whose condition is false and marks those it cannot decide", () => {
    const world = load(text);
    expect([...world.vpcs.keys()]).toEqual(["ProdVpc", "MaybeVpc"]);
    expect(world.vpcs.get("ProdVpc")!.conditional).toBeUndefined();
    const maybe = world.vpcs.get("MaybeVpc")!;
    expect(maybe.conditional).toMatchObject({ code: "condition", decide: "pass --parameters Maybe=…" });
    expect(world.securityGroups.get("MaybeVpc#default-sg")!.conditional).toEqual(maybe.conditional);
    expect(world.subnets.get("DevSubnet")!.vpc).toMatchObject({ kind: "unknown", reason: { code: "condition" } });
  });

  it("follows --parameters", () => {
    const world = load(text, { parameters: { Env: "dev", Maybe: "no" } });
    expect([...world.vpcs.keys()]).toEqual(["DevVpc"]);
  });
});
