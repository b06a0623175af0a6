import { describe, expect, it } from "vitest";
import { load, v } from "./helpers.js";

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
