import { describe, expect, it } from "vitest";
import { analyzeWorld } from "../../../src/analysis/world-analysis.js";
import { isUnresolvedPart, LATEST_KNOWN_AGENT_VERSION } from "../../../src/model/index.js";
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

  it("reads customer managed policies and instance profiles", () => {
    expect(v(world.managedPolicies.get("CustomerPolicy")!.document)).toEqual({
      Statement: [{ Effect: "Allow", Action: "ssm:*", Resource: "*" }],
    });
    expect(items(world.instanceProfiles.get("Profile")!.roles)).toEqual(["Role"]);
    const outside = v(world.instanceProfiles.get("OutsideProfile")!.roles);
    expect(outside[0]).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
  });
});

describe("Session Manager preferences", () => {
  it("are unknown-outside when the template has no session document", () => {
    expect(load("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n").sessionPreferences).toMatchObject({
      kind: "unknown",
      reason: { code: "outside" },
    });
  });

  it("come from SSM-SessionManagerRunShell; empty strings are null", () => {
    const world = load(`
      Resources:
        Other:
          Type: AWS::SSM::Document
          Properties: {DocumentType: Command, Content: {schemaVersion: "2.2"}}
        Prefs:
          Type: AWS::SSM::Document
          Properties:
            Name: SSM-SessionManagerRunShell
            DocumentType: Session
            Content:
              schemaVersion: "1.0"
              sessionType: Standard_Stream
              inputs:
                s3BucketName: !Ref LogBucket
                s3EncryptionEnabled: true
                cloudWatchLogGroupName: /ssm/sessions
                cloudWatchEncryptionEnabled: "false"
                kmsKeyId: ""
        LogBucket:
          Type: AWS::S3::Bucket
    `);
    const prefs = v(world.sessionPreferences)!;
    expect(prefs.key).toBe("Prefs");
    // A bucket created by the template: its name comes at deploy time, but logging to S3 is certainly on.
    expect(prefs.s3BucketName).toMatchObject({ kind: "known", value: "LogBucket (created by this template)" });
    expect(v(prefs.cloudWatchLogGroupName)).toBe("/ssm/sessions");
    expect(prefs.kmsKeyId).toMatchObject({ kind: "known", value: null, provenance: "explicit" });
    expect(v(prefs.s3EncryptionEnabled)).toBe(true);
    expect(v(prefs.cloudWatchEncryptionEnabled)).toBe(false);
  });

  it("reads Content given as JSON text", () => {
    const world = load(`
      Resources:
        Prefs:
          Type: AWS::SSM::Document
          Properties:
            DocumentType: Session
            Content: '{"schemaVersion": "1.0", "inputs": {"s3BucketName": "my-bucket"}}'
    `);
    const prefs = v(world.sessionPreferences)!;
    expect(v(prefs.s3BucketName)).toBe("my-bucket");
    expect(prefs.cloudWatchLogGroupName).toEqual({ kind: "known", value: null, provenance: "default" });
  });
});

describe("suppressions, notes and world-level values", () => {
  it("reads Metadata ssm-doctor ignore entries", () => {
    const world = load(`
      Resources:
        Sg:
          Type: AWS::EC2::SecurityGroup
          Metadata:
            ssm-doctor:
              ignore:
                - id: SD301
                  reason: egress is handled by a proxy
          Properties: {GroupDescription: x}
    `);
    expect(world.securityGroups.get("Sg")!.suppressions).toEqual([
      {
        ruleId: "SD301",
        reason: "egress is handled by a proxy",
        origin: expect.objectContaining({ pointer: "/Resources/Sg/Metadata/ssm-doctor/ignore/0" }),
      },
    ]);
  });

  it("notes the SAM transform and ignores AWS::Serverless resources", () => {
    const world = load(`
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Fn:
          Type: AWS::Serverless::Function
          Properties: {Handler: index.handler}
    `);
    expect(world.notes).toEqual([expect.objectContaining({ level: "warning", code: "sam-transform" })]);
    expect(world.notes[0]!.message).toContain("does not expand");
  });

  it("notes Rain modules and directives without failing", () => {
    const world = load(`
      Resources:
        Network:
          Type: !Rain::Module ./vpc.yaml
        Instance:
          Type: AWS::EC2::Instance
          Properties:
            ImageId: ami-12345678
            UserData:
              Fn::Base64:
                Fn::Sub: !Rain::Embed setup.sh
    `);
    expect(world.notes.map((n) => n.code)).toEqual(["rain-module", "rain-module"]);
    expect(world.instances.get("Instance")!.userData).toMatchObject({ kind: "unknown", reason: { code: "unsupported" } });
  });

  it("region is the option, else unknown; DHMC is unknown outside unless the caller says", () => {
    const text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n";
    expect(load(text).assumptions.region).toMatchObject({ kind: "unknown", reason: { code: "parameter", decide: "pass --region" } });
    expect(v(load(text, { region: "eu-west-1" }).assumptions.region)).toBe("eu-west-1");
    expect(load(text).assumptions.dhmc).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(v(load(text, { dhmc: { kind: "known", value: { enabled: true }, provenance: "explicit" } }).assumptions.dhmc)).toEqual({
      enabled: true,
    });
  });

  it("the agent version is the stated one, else the latest known as a default; the analysis assumes it", () => {
    const text = "Resources:\n  Box:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0abc\n";
    expect(load(text).assumptions.agentVersion).toEqual({ kind: "known", value: LATEST_KNOWN_AGENT_VERSION, provenance: "default" });
    const stated = load(text, { agentVersion: "3.2.582.0" });
    expect(stated.assumptions.agentVersion).toEqual({ kind: "known", value: "3.2.582.0", provenance: "explicit" });
    expect(analyzeWorld(stated).instances[0]?.agentVersion).toEqual({ version: "3.2.582.0", assumed: true });
    expect(analyzeWorld(stated).instances[0]?.requirements.map((r) => r.service)).toContain("ec2messages");
  });
});
