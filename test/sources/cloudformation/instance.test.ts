import { describe, expect, it } from "vitest";
import { items, load, v } from "./helpers.js";

const NETWORK = `
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: app, VpcId: !Ref Vpc}
  OtherSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: other, VpcId: !Ref Vpc}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [!Ref Role]}
`;

function world(resources: string, sections = "", options = {}) {
  return load(`${sections}\nResources:\n${NETWORK}\n${resources}`, options);
}

describe("AWS::EC2::Instance", () => {
  it("reads subnet, groups, profile, image and defaults", () => {
    const w = world(`
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
      SubnetId: !Ref SubnetA
      SecurityGroupIds: [!Ref AppSg, !GetAtt OtherSg.GroupId]
      IamInstanceProfile: !Ref Profile
      PrivateIpAddress: 10.0.0.10
`);
    const instance = w.instances.get("Instance")!;
    expect(instance.computeKind).toBe("instance");
    expect(v(instance.image)).toEqual({
      kind: "ssm-parameter",
      name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    });
    expect(items(instance.subnets)).toEqual(["SubnetA"]);
    expect(items(instance.securityGroups)).toEqual(["AppSg", "OtherSg"]);
    expect(v(instance.instanceProfile)).toBe("Profile");
    expect(v(instance.privateIp)).toBe("10.0.0.10");
    expect(instance.associatePublicIp).toEqual({ kind: "known", value: null, provenance: "default" });
    expect(instance.userData).toEqual({ kind: "known", value: null, provenance: "default" });
    expect(instance.metadata.httpEndpoint).toEqual({ kind: "known", value: "enabled", provenance: "default" });
    expect(instance.metadata.httpTokens).toEqual({ kind: "known", value: "optional", provenance: "default" });
    expect(instance.launchSettingsOrigin).toBeUndefined();
  });

  it("recognises image sources: SSM parameter types, literal AMIs, dynamic references, mappings", () => {
    const w = world(
      `
  FromParameter:
    Type: AWS::EC2::Instance
    Properties: {ImageId: !Ref LatestAmi, SubnetId: !Ref SubnetA}
  Literal:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0123456789abcdef0, SubnetId: !Ref SubnetA}
  Dynamic:
    Type: AWS::EC2::Instance
    Properties: {ImageId: "{{resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id}}", SubnetId: !Ref SubnetA}
  Mapped:
    Type: AWS::EC2::Instance
    Properties: {ImageId: !FindInMap [AWSRegionArch2AMI, !Ref "AWS::Region", RHEL74HVM], SubnetId: !Ref SubnetA}
`,
      `
Parameters:
  LatestAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2
Mappings:
  AWSRegionArch2AMI:
    AMI: {RHEL74HVM: RHEL-7.4_HVM_GA-20170808-x86_64}
    us-east-1: {RHEL74HVM: ami-c998b6b2}
    eu-west-1: {RHEL74HVM: ami-bb9a6bc2}
`,
    );
    expect(v(w.instances.get("FromParameter")!.image)).toEqual({
      kind: "ssm-parameter",
      name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
    });
    expect(v(w.instances.get("Literal")!.image)).toEqual({ kind: "ami-id", id: "ami-0123456789abcdef0" });
    expect(v(w.instances.get("Dynamic")!.image)).toEqual({
      kind: "ssm-parameter",
      name: "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
    });
    expect(v(w.instances.get("Mapped")!.image)).toEqual({
      kind: "mapping",
      description: "AWSRegionArch2AMI mapping (RHEL74HVM): RHEL-7.4_HVM_GA-20170808-x86_64",
      candidates: ["ami-c998b6b2", "ami-bb9a6bc2"],
    });
  });

  it("decodes user data and keeps unknown parts as placeholders", () => {
    const w = world(
      `
  WithSub:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      SubnetId: !Ref SubnetA
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          yum install -y https://s3.\${AWS::Region}.amazonaws.com/amazon-ssm-\${AWS::Region}/latest/linux_amd64/amazon-ssm-agent.rpm
          echo \${Secret} > /etc/x
  Literal:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      SubnetId: !Ref SubnetA
      UserData: ${Buffer.from("#!/bin/bash\nsnap install amazon-ssm-agent --classic\n").toString("base64")}
`,
      "Parameters:\n  Secret: {Type: String, NoEcho: true}\n",
    );
    const withSub = v(w.instances.get("WithSub")!.userData)!;
    expect(withSub).toContain("amazon-ssm-${AWS::Region}/latest");
    expect(withSub).toContain("echo ${Secret} > /etc/x");
    expect(v(w.instances.get("Literal")!.userData)).toBe("#!/bin/bash\nsnap install amazon-ssm-agent --classic\n");
  });

  it("takes subnet and groups from the primary network interface, or from an interface resource", () => {
    const w = world(`
  ViaInterface:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      NetworkInterfaces:
        - DeviceIndex: "1"
          SubnetId: !Ref SubnetB
        - DeviceIndex: "0"
          SubnetId: !Ref SubnetA
          GroupSet: [!Ref OtherSg]
          AssociatePublicIpAddress: "true"
  Eni:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref SubnetB, GroupSet: [!Ref AppSg]}
  ViaEni:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      NetworkInterfaces: [{DeviceIndex: 0, NetworkInterfaceId: !Ref Eni}]
`);
    const viaInterface = w.instances.get("ViaInterface")!;
    expect(items(viaInterface.subnets)).toEqual(["SubnetA"]);
    expect(items(viaInterface.securityGroups)).toEqual(["OtherSg"]);
    expect(v(viaInterface.associatePublicIp)).toBe(true);
    const viaEni = w.instances.get("ViaEni")!;
    expect(items(viaEni.subnets)).toEqual(["SubnetB"]);
    expect(items(viaEni.securityGroups)).toEqual(["AppSg"]);
  });

  it("without SubnetId it launches in the default VPC (outside); without groups it gets its VPC's default group", () => {
    const w = world(`
  DefaultVpc:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SecurityGroups: [!Ref AppSg, legacy-name]}
  NoGroups:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref SubnetA, IamInstanceProfile: existing-profile}
`);
    const defaultVpc = w.instances.get("DefaultVpc")!;
    expect(defaultVpc.subnets).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "no SubnetId: the instance launches in the default VPC, which is not in this template" },
    });
    const groups = v(defaultVpc.securityGroups);
    expect(v(groups[0])).toBe("AppSg");
    expect(groups[1]).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    const noGroups = w.instances.get("NoGroups")!;
    expect(noGroups.securityGroups).toEqual({
      kind: "known",
      provenance: "default",
      value: [{ kind: "known", value: "Vpc#default-sg", provenance: "default" }],
    });
    expect(noGroups.instanceProfile).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
  });

  it("an Elastic IP associated with the instance gives it a public address", () => {
    const w = world(`
  Bastion:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SubnetId: !Ref SubnetA}
  BastionEip:
    Type: AWS::EC2::EIP
    Properties: {InstanceId: !Ref Bastion, Domain: vpc}
`);
    expect(w.instances.get("Bastion")!.associatePublicIp).toMatchObject({
      kind: "known",
      value: true,
      origin: { pointer: "/Resources/BastionEip" },
    });
  });

  it("merges a launch template's data under the instance's own settings", () => {
    const w = world(`
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: app-template
      LaunchTemplateData:
        ImageId: ami-11111111
        SecurityGroupIds: [!Ref AppSg]
        IamInstanceProfile: {Arn: !GetAtt Profile.Arn}
        MetadataOptions: {HttpTokens: required, HttpEndpoint: enabled}
        UserData: !Base64 "#!/bin/bash\\necho from-template\\n"
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
      ImageId: ami-22222222
      SubnetId: !Ref SubnetB
  ByName:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateName: app-template, Version: "1"}
      SubnetId: !Ref SubnetA
`);
    const instance = w.instances.get("Instance")!;
    expect(v(instance.image)).toEqual({ kind: "ami-id", id: "ami-22222222" });
    expect(items(instance.securityGroups)).toEqual(["AppSg"]);
    expect(v(instance.instanceProfile)).toBe("Profile");
    expect(v(instance.metadata.httpTokens)).toBe("required");
    expect(instance.metadata.origin?.pointer).toBe("/Resources/Lt/Properties/LaunchTemplateData/MetadataOptions");
    expect(v(instance.userData)).toBe("#!/bin/bash\necho from-template\n");
    expect(items(instance.subnets)).toEqual(["SubnetB"]);
    expect(instance.launchSettingsOrigin?.pointer).toBe("/Resources/Lt");
    expect(v(w.instances.get("ByName")!.image)).toEqual({ kind: "ami-id", id: "ami-11111111" });
    // The template is used, so it is not an element of its own.
    expect(w.instances.has("Lt")).toBe(false);
  });

  it("an instance whose launch template is outside has unknown launch settings", () => {
    const w = world(`
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: lt-0abc, Version: "1"}
      SubnetId: !Ref SubnetA
`);
    const instance = w.instances.get("Instance")!;
    expect(instance.image).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(instance.metadata.httpTokens).toMatchObject({ kind: "unknown" });
  });
});

describe("Auto Scaling groups", () => {
  it("merges the launch template; subnets come from VPCZoneIdentifier", () => {
    const w = world(
      `
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref Ami
        NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: [!Ref AppSg]}]
        IamInstanceProfile: {Name: !Ref Profile}
        MetadataOptions: {HttpEndpoint: disabled}
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: !GetAtt Lt.LatestVersionNumber}
`,
      "Parameters:\n  Ami: {Type: 'AWS::EC2::Image::Id', Default: ami-0abcdef1}\n",
    );
    const asg = w.instances.get("Asg")!;
    expect(asg.computeKind).toBe("auto-scaling-group");
    expect(items(asg.subnets)).toEqual(["SubnetA", "SubnetB"]);
    expect(v(asg.image)).toEqual({ kind: "ami-id", id: "ami-0abcdef1" });
    expect(items(asg.securityGroups)).toEqual(["AppSg"]);
    expect(v(asg.associatePublicIp)).toBe(false);
    expect(v(asg.instanceProfile)).toBe("Profile");
    expect(v(asg.metadata.httpEndpoint)).toBe("disabled");
    expect(asg.launchSettingsOrigin?.pointer).toBe("/Resources/Lt");
    expect(w.instances.has("Lt")).toBe(false);
  });

  it("reads launch configurations and MixedInstancesPolicy; no VPCZoneIdentifier is the default VPC", () => {
    const w = world(
      `
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-12345678
      SecurityGroups: [!Ref AppSg]
      IamInstanceProfile: !GetAtt Profile.Arn
      AssociatePublicIpAddress: true
      MetadataOptions: {HttpTokens: required}
  LcAsg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "1"
      AvailabilityZones: [eu-west-1a]
      LaunchConfigurationName: !Ref Lc
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-87654321}
  MixedAsg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "1"
      VPCZoneIdentifier: !Ref Subnets
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification: {LaunchTemplateId: !Ref Lt, Version: "1"}
`,
      "Parameters:\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n",
    );
    const lcAsg = w.instances.get("LcAsg")!;
    expect(v(lcAsg.image)).toEqual({ kind: "ami-id", id: "ami-12345678" });
    expect(items(lcAsg.securityGroups)).toEqual(["AppSg"]);
    expect(v(lcAsg.instanceProfile)).toBe("Profile");
    expect(v(lcAsg.associatePublicIp)).toBe(true);
    expect(v(lcAsg.metadata.httpTokens)).toBe("required");
    expect(lcAsg.subnets).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(lcAsg.launchSettingsOrigin?.pointer).toBe("/Resources/Lc");
    const mixed = w.instances.get("MixedAsg")!;
    expect(v(mixed.image)).toEqual({ kind: "ami-id", id: "ami-87654321" });
    expect(mixed.subnets).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "VPCZoneIdentifier is the parameter Subnets: an existing subnet, not in this template" },
    });
    expect([...w.instances.keys()].sort()).toEqual(["LcAsg", "MixedAsg"]);
  });
});

describe("EKS node groups", () => {
  it("synthesizes the instance profile EKS creates for the node role", () => {
    const w = world(`
  NodeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: my-cluster
      NodeRole: !GetAtt NodeRole.Arn
      Subnets: [!Ref SubnetA, !Ref SubnetB]
  NodesWithTemplate:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: my-cluster
      NodeRole: !GetAtt NodeRole.Arn
      Subnets: [!Ref SubnetA]
      LaunchTemplate: {Id: !Ref NodeLt}
  NodeLt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        SecurityGroupIds: [!Ref AppSg]
        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}
`);
    const nodes = w.instances.get("Nodes")!;
    expect(nodes.computeKind).toBe("node-group");
    expect(items(nodes.subnets)).toEqual(["SubnetA", "SubnetB"]);
    expect(v(nodes.instanceProfile)).toBe("Nodes#profile");
    expect(items(w.instanceProfiles.get("Nodes#profile")!.roles)).toEqual(["NodeRole"]);
    expect(nodes.image).toEqual({
      kind: "known",
      value: { kind: "described", description: "Amazon EKS optimized Amazon Linux 2 (x86_64)" },
      provenance: "default",
    });
    expect(nodes.securityGroups).toMatchObject({ kind: "unknown", reason: { code: "computed" } });
    const withTemplate = w.instances.get("NodesWithTemplate")!;
    expect(items(withTemplate.securityGroups)).toEqual(["AppSg"]);
    expect(v(withTemplate.metadata.httpTokens)).toBe("required");
    expect(withTemplate.launchSettingsOrigin?.pointer).toBe("/Resources/NodeLt");
    expect(w.instances.has("NodeLt")).toBe(false);
  });
});

describe("launch templates nothing here launches", () => {
  it("become elements of their own, launched from outside", () => {
    const w = world(`
  Lonely:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-12345678, SecurityGroupIds: [!Ref AppSg]}
  LonelyLc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-12345678}
`);
    const lt = w.instances.get("Lonely")!;
    expect(lt.computeKind).toBe("launch-template");
    expect(lt.subnets).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "launched by something outside this template" },
    });
    expect(items(lt.securityGroups)).toEqual(["AppSg"]);
    expect(lt.launchSettingsOrigin?.pointer).toBe("/Resources/Lonely");
    expect(w.instances.get("LonelyLc")!.computeKind).toBe("launch-configuration");
  });
});
