// The careless fleet: N instances on VPC defaults (one subnet, one security group without rules, literal
// AMIs, no instance profile), so every instance fails several prerequisites and every finding names
// thousands of instances. As a CloudFormation template and as a Terraform plan (the real plan of
// bench/careless-fleet/main.tf, `count = 3`, with its instance entries repeated to N).
//
//   node bench/careless-fleet.mjs 5000 DIR   # writes DIR/careless-5000.yaml and DIR/careless-5000.plan.json
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** A CloudFormation template (YAML) of `n` careless instances. */
export function carelessTemplate(n) {
  const lines = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    "Description: careless fleet of " + n + " instances",
    "Resources:",
    "  Vpc:",
    "    Type: AWS::EC2::VPC",
    "    Properties:",
    "      CidrBlock: 10.0.0.0/16",
    "  Subnet:",
    "    Type: AWS::EC2::Subnet",
    "    Properties:",
    "      VpcId: !Ref Vpc",
    "      CidrBlock: 10.0.0.0/20",
    "  AppSecurityGroup:",
    "    Type: AWS::EC2::SecurityGroup",
    "    Properties:",
    "      GroupDescription: app",
    "      VpcId: !Ref Vpc",
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  App${i}:`,
      "    Type: AWS::EC2::Instance",
      "    Properties:",
      `      ImageId: ami-${(0x1000000 + i).toString(16).padStart(17, "0")}`,
      "      InstanceType: t3.micro",
      "      SubnetId: !Ref Subnet",
      "      SecurityGroupIds:",
      "        - !Ref AppSecurityGroup",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A Terraform plan (JSON) of `n` careless instances: the seed plan's `aws_instance.app[i]` repeated. */
export function carelessPlan(n) {
  const seed = JSON.parse(readFileSync(join(here, "careless-fleet/plan.json"), "utf8"));
  const isInstance = (r) => r.type === "aws_instance";
  const repeat = (list) => {
    const model = list.find(isInstance);
    const out = list.filter((r) => !isInstance(r));
    for (let i = 0; i < n; i++) out.push({ ...model, address: `aws_instance.app[${i}]`, index: i });
    return out;
  };
  seed.resource_changes = repeat(seed.resource_changes);
  seed.planned_values.root_module.resources = repeat(seed.planned_values.root_module.resources);
  const config = seed.configuration.root_module.resources.find(isInstance);
  if (config?.count_expression) config.count_expression = { constant_value: n };
  return JSON.stringify(seed);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 500);
  const dir = process.argv[3] ?? ".";
  writeFileSync(join(dir, `careless-${n}.yaml`), carelessTemplate(n));
  writeFileSync(join(dir, `careless-${n}.plan.json`), carelessPlan(n));
}
