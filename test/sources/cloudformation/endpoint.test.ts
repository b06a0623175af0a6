import { describe, expect, it } from "vitest";
import { isUnresolvedPart } from "../../../src/model/index.js";
import { items, load, v } from "./helpers.js";

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
