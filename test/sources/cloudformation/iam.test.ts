import { describe, expect, it } from "vitest";
import { isUnresolvedPart } from "../../../src/model/index.js";
import { items, load, v } from "./helpers.js";

const TRUST = "{Statement: [{Effect: Allow, Principal: {Service: !Sub 'ec2.${AWS::URLSuffix}'}, Action: sts:AssumeRole}]}";

describe("IAM", () => {
  const world = load(`
    Parameters:
      Boundary: {Type: String, Default: "arn:aws:iam::123456789012:policy/boundary"}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: ${TRUST}
          ManagedPolicyArns:
            - !Sub arn:\${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore
            - arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM
            - arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy
            - !Ref CustomerPolicy
            - arn:aws:iam::123456789012:policy/team-policy
          Policies:
            - PolicyName: logs
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: [logs:PutLogEvents]
                    Resource: !GetAtt LogGroup.Arn
          PermissionsBoundary: !Ref Boundary
      CustomerPolicy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument: {Statement: [{Effect: Allow, Action: "ssm:*", Resource: "*"}]}
      AttachedByRoles:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          Roles: [!Ref Role]
          PolicyDocument: {Statement: [{Effect: Allow, Action: "ssmmessages:*", Resource: "*"}]}
      Separate:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: separate
          Roles: [!Ref Role, existing-role-name]
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "ec2messages:*", "Resource": "*"}]}'
      RolePolicy:
        Type: AWS::IAM::RolePolicy
        Properties:
          RoleName: !Ref Role
          PolicyName: role-policy
          PolicyDocument: {Statement: [{Effect: Deny, Action: "s3:*", Resource: "*"}]}
      Profile:
        Type: AWS::IAM::InstanceProfile
        Properties:
          Roles: [!Ref Role]
      OutsideProfile:
        Type: AWS::IAM::InstanceProfile
        Properties:
          Roles: [some-existing-role]
      LogGroup:
        Type: AWS::Logs::LogGroup
  `);

  it("reads managed policy ARNs as AWS managed, element or external references", () => {
    const role = world.roles.get("Role")!;
    expect(items(role.managedPolicies)).toEqual([
      { kind: "aws-managed", arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", name: "AmazonSSMManagedInstanceCore" },
      { kind: "aws-managed", arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM", name: "AmazonEC2RoleforSSM" },
      { kind: "aws-managed", arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", name: "CloudWatchAgentServerPolicy" },
      { kind: "element", ref: "CustomerPolicy" },
      { kind: "external-arn", arn: "arn:aws:iam::123456789012:policy/team-policy" },
      { kind: "element", ref: "AttachedByRoles" },
    ]);
    expect(role.policiesComplete).toBe(true);
    expect(v(role.permissionsBoundary)).toEqual({ kind: "external-arn", arn: "arn:aws:iam::123456789012:policy/boundary" });
  });

  it("reads the trust policy with intrinsics resolved", () => {
    expect(v(world.roles.get("Role")!.trustPolicy)).toEqual({
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  it("collects inline policies from Policies, AWS::IAM::Policy and AWS::IAM::RolePolicy", () => {
    const role = world.roles.get("Role")!;
    expect(role.inlinePolicies.map((p) => p.name)).toEqual(["logs", "separate", "role-policy"]);
    // biome-ignore lint/suspicious/noExplicitAny: raw IAM JSON
    const logs = v(role.inlinePolicies[0]!.document) as any;
    expect(isUnresolvedPart(logs.Statement[0].Resource)).toBe(true);
    expect(v(role.inlinePolicies[1]!.document)).toEqual({ Statement: [{ Effect: "Allow", Action: "ec2messages:*", Resource: "*" }] });
    expect(role.inlinePolicies[1]!.origin.pointer).toBe("/Resources/Separate");
    expect(role.inlinePolicies[0]!.origin.pointer).toBe("/Resources/Role/Properties/Policies/0");
  });

  it("attaches AWS::IAM::Policy, RolePolicy and ManagedPolicy to a role named by its RoleName, not by its logical id", () => {
    const named = load(`
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          RoleName: app-ec2
          AssumeRolePolicyDocument: ${TRUST}
      Other:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: ${TRUST}
      ByName:
        Type: AWS::IAM::Policy
        DependsOn: Role
        Properties:
          PolicyName: agent
          Roles: [app-ec2, Other]
          PolicyDocument: {Statement: [{Effect: Allow, Action: "ssm:*", Resource: "*"}]}
      RolePolicyByName:
        Type: AWS::IAM::RolePolicy
        Properties:
          RoleName: app-ec2
          PolicyName: by-role-name
          PolicyDocument: {Statement: [{Effect: Allow, Action: "ssmmessages:*", Resource: "*"}]}
      Managed:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          Roles: [app-ec2]
          PolicyDocument: {Statement: [{Effect: Allow, Action: "ec2messages:*", Resource: "*"}]}
    `);
    expect(named.roles.get("Role")!.inlinePolicies.map((p) => p.name)).toEqual(["agent", "by-role-name"]);
    expect(items(named.roles.get("Role")!.managedPolicies)).toEqual([{ kind: "element", ref: "Managed" }]);
    // "Other" is a logical id, not a role name: the role without RoleName gets a generated name.
    expect(named.roles.get("Other")!.inlinePolicies).toEqual([]);
  });

  it("reads customer managed policies and instance profiles", () => {
    expect(v(world.managedPolicies.get("CustomerPolicy")!.document)).toEqual({
      Statement: [{ Effect: "Allow", Action: "ssm:*", Resource: "*" }],
    });
    expect(items(world.instanceProfiles.get("Profile")!.roles)).toEqual(["Role"]);
    const outside = v(world.instanceProfiles.get("OutsideProfile")!.roles);
    expect(outside[0]).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
  });
});
