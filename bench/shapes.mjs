// Estates whose size grows in other ways than the careless fleet: each input of N instances brings N of something
// else that every instance meets (a rule, a change, a suppression), which is where work can grow as N².
//
//   node bench/shapes.mjs groups 1000 DIR    # writes DIR/groups-1000.yaml
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * N instances, each with a security group of its own, in one private subnet with the three interface endpoints;
 * the endpoints' group lets each instance group in by an AWS::EC2::SecurityGroupIngress of its own (the way a
 * module per instance opens the shared endpoints to itself). Every instance meets the endpoint group's N rules.
 */
export function perInstanceGroupsTemplate(n) {
  const lines = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    `Description: ${n} instances, each with its own security group, each let in to the endpoints by a rule of its own`,
    "Resources:",
    "  Vpc:",
    "    Type: AWS::EC2::VPC",
    "    Properties: { CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true }",
    "  Subnet:",
    "    Type: AWS::EC2::Subnet",
    "    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/20, AvailabilityZone: us-east-1a }",
    "  Role:",
    "    Type: AWS::IAM::Role",
    "    Properties:",
    "      AssumeRolePolicyDocument:",
    "        Version: '2012-10-17'",
    "        Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }]",
    "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]",
    "  Profile:",
    "    Type: AWS::IAM::InstanceProfile",
    "    Properties: { Roles: [!Ref Role] }",
    "  EndpointGroup:",
    "    Type: AWS::EC2::SecurityGroup",
    "    Properties: { GroupDescription: endpoints, VpcId: !Ref Vpc }",
  ];
  for (const service of ["ssm", "ssmmessages", "ec2messages"])
    lines.push(
      `  Endpoint${service}:`,
      "    Type: AWS::EC2::VPCEndpoint",
      "    Properties:",
      "      VpcId: !Ref Vpc",
      `      ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}`,
      "      VpcEndpointType: Interface",
      "      PrivateDnsEnabled: true",
      "      SubnetIds: [!Ref Subnet]",
      "      SecurityGroupIds: [!Ref EndpointGroup]",
    );
  for (let i = 0; i < n; i++)
    lines.push(
      `  Group${i}:`,
      "    Type: AWS::EC2::SecurityGroup",
      "    Properties:",
      `      GroupDescription: instance ${i}`,
      "      VpcId: !Ref Vpc",
      "      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }]",
      `  ToEndpoints${i}:`,
      "    Type: AWS::EC2::SecurityGroupIngress",
      `    Properties: { GroupId: !Ref EndpointGroup, IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref Group${i} }`,
      `  App${i}:`,
      "    Type: AWS::EC2::Instance",
      "    Properties:",
      "      ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'",
      "      InstanceType: t3.micro",
      "      IamInstanceProfile: !Ref Profile",
      "      SubnetId: !Ref Subnet",
      `      SecurityGroupIds: [!Ref Group${i}]`,
    );
  return `${lines.join("\n")}\n`;
}

/** A configuration of `n` suppressions, none of which matches the careless fleet (other resources, by glob). */
export function unmatchedSuppressions(n) {
  const rules = ["SD501", "SD103", "SD201", "SD301"];
  const lines = ["ignore:"];
  for (let i = 0; i < n; i++)
    lines.push(`  - id: ${rules[i % rules.length]}`, `    resource: "Team${i}*"`, `    reason: team ${i} accepted this for its own hosts`);
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [shape, count, dir = "."] = process.argv.slice(2);
  const n = Number(count ?? 1000);
  if (shape === "groups") writeFileSync(join(dir, `groups-${n}.yaml`), perInstanceGroupsTemplate(n));
  else if (shape === "suppressions") writeFileSync(join(dir, `suppressions-${n}.yaml`), unmatchedSuppressions(n));
  else {
    process.stderr.write("usage: node bench/shapes.mjs groups|suppressions N [DIR]\n");
    process.exit(2);
  }
}
