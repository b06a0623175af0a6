import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { World } from "../../../src/model/index.js";
import { isCloudFormationText, loadCdkOut, loadCloudFormation } from "../../../src/sources/cloudformation/index.js";
import { inputError, items, v } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const CORPUS = resolve(ROOT, "../shared/corpus/cfn");
const FIXTURES = "fixtures/sources/cloudformation";
const files = readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f));

function corpus(name: string): World {
  return loadCloudFormation(`corpus/cfn/${name}`, readFileSync(join(CORPUS, name), "utf8"));
}

describe("real-world corpus", () => {
  it("has templates to read", () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files)("%s loads without throwing, in under a second", (name) => {
    const text = readFileSync(join(CORPUS, name), "utf8");
    expect(isCloudFormationText(text)).toBe(true);
    const started = performance.now();
    const world = loadCloudFormation(`corpus/cfn/${name}`, text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(world.files).toEqual([`corpus/cfn/${name}`]);
    for (const element of [...world.vpcs.values(), ...world.instances.values(), ...world.securityGroups.values()]) {
      expect(element.origin.file).toBe(`corpus/cfn/${name}`);
      expect(element.origin.region?.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it("session-manager-without-igw.yml: one instance, three endpoints, one VPC", () => {
    const world = corpus("session-manager-without-igw.yml");
    expect([world.instances.size, world.vpcEndpoints.size, world.vpcs.size]).toEqual([1, 3, 1]);
    const instance = world.instances.get("rEc2Instance")!;
    expect(items(instance.subnets)).toEqual(["rPrivateSubnet"]);
    expect(v(instance.instanceProfile)).toBe("rEc2InstanceProfile");
    expect(v(instance.image)).toEqual({ kind: "ssm-parameter", name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" });
    const services = [...world.vpcEndpoints.values()].map((e) => v(e.serviceName));
    expect(services).toEqual([
      "com.amazonaws.${AWS::Region}.ssm",
      "com.amazonaws.${AWS::Region}.ssmmessages",
      "com.amazonaws.${AWS::Region}.ec2messages",
    ]);
    expect(v(world.vpcs.get("rVpc")!.enableDnsHostnames)).toBe(true);
    expect(world.securityGroups.get("rSecurityGroupEc2Instance")!.egressManagement.mode).toBe("inline");
  });

  it("samkeen privatelink example: five endpoints, one instance with the deprecated policy", () => {
    const world = corpus("samkeen-ssm-session-mgr-privatelink-example.yaml");
    expect([world.instances.size, world.vpcEndpoints.size, world.vpcs.size]).toEqual([1, 5, 1]);
    const role = world.roles.get("Ec2InstanceRole")!;
    expect(items(role.managedPolicies).map((p) => (p.kind === "aws-managed" ? p.name : p.kind))).toEqual(["AmazonEC2RoleforSSM"]);
  });

  it("the JSON and YAML versions of the same template give the same elements", () => {
    const yaml = corpus("acft-ecs-ec2-private-vpc.yaml");
    const json = corpus("acft-ecs-ec2-private-vpc.json");
    for (const kind of ["vpcs", "subnets", "routeTables", "securityGroups", "vpcEndpoints", "instances", "roles"] as const) {
      expect([...json[kind].keys()].sort()).toEqual([...yaml[kind].keys()].sort());
    }
    const asg = yaml.instances.get("ECSAutoScalingGroup")!;
    expect(asg.computeKind).toBe("auto-scaling-group");
    expect(items(asg.subnets)).toEqual(["PrivateSubnetOne", "PrivateSubnetTwo"]);
  });

  it("acft-eks-template.yaml: a managed node group with the profile EKS creates", () => {
    const world = corpus("acft-eks-template.yaml");
    const nodes = [...world.instances.values()].filter((i) => i.computeKind === "node-group");
    expect(nodes).toHaveLength(1);
    expect(world.instanceProfiles.has(`${nodes[0]!.key}#profile`)).toBe(true);
  });

  it("an endpoint-only template without an instance profile has none", () => {
    const world = corpus("acft-cfn-endpoint-creationpolicy-no-igw.yaml");
    expect(world.instances.size).toBe(1);
    expect(v([...world.instances.values()][0]!.instanceProfile)).toBeNull();
  });

  it("RHEL images from a mapping keep the family in the description", () => {
    const world = corpus("cfnlint-quickstart-openshift.yaml");
    const image = v(world.instances.get("OpenShiftNodeASG")!.image);
    expect(image.kind === "mapping" && image.description).toContain("RHEL");
  });
});

describe("CDK cloud assemblies", () => {
  it("reads every stack artifact, nested stage assemblies too, with the artifact's environment", () => {
    const results = loadCdkOut(`${FIXTURES}/cdk.out`);
    expect(results.map((r) => r.file)).toEqual([
      `${FIXTURES}/cdk.out/AppStack.template.json`,
      `${FIXTURES}/cdk.out/assembly-Prod/ProdWorkers.template.json`,
    ]);
    const [app, prod] = results;
    expect(v(app!.world.assumptions.region)).toBe("eu-west-1");
    expect(v(app!.world.vpcEndpoints.get("SsmEndpointABCDEF01")!.serviceName)).toBe("com.amazonaws.eu-west-1.ssm");
    expect(app!.world.vpcs.get("AppVpc12345678")!.origin.file).toBe(`${FIXTURES}/cdk.out/AppStack.template.json`);
    expect(prod!.world.assumptions.region.kind).toBe("unknown");
    expect(prod!.world.instances.has("WorkerInstance")).toBe(true);
  });

  it("the caller's region wins over the artifact's", () => {
    const [app] = loadCdkOut(`${FIXTURES}/cdk.out`, { region: "us-east-1" });
    expect(v(app!.world.assumptions.region)).toBe("us-east-1");
  });

  it("a directory without manifest.json is an InputError", () => {
    const error = inputError(() => loadCdkOut(FIXTURES));
    expect(error.message).toBe("not a CDK cloud assembly: no manifest.json");
    expect(error.file).toBe(FIXTURES);
  });

  it("file names stay relative as given", () => {
    const [app] = loadCdkOut(relative(process.cwd(), resolve(ROOT, FIXTURES, "cdk.out")));
    expect(app!.file.startsWith("/")).toBe(false);
  });
});

describe("isCloudFormationText", () => {
  it("recognises templates by a top-level Resources or AWSTemplateFormatVersion", () => {
    expect(isCloudFormationText("AWSTemplateFormatVersion: '2010-09-09'\nDescription: x\n")).toBe(true);
    expect(isCloudFormationText("# comment\nResources:\n  A:\n    Type: X\n")).toBe(true);
    expect(isCloudFormationText('{"Resources": {}}')).toBe(true);
  });

  it("rejects other documents", () => {
    expect(isCloudFormationText('{"format_version": "1.2", "resource_changes": [], "Resources": 1}')).toBe(false);
    expect(isCloudFormationText("apiVersion: v1\nkind: Pod\nmetadata:\n  Resources: x\n")).toBe(false);
    expect(isCloudFormationText("")).toBe(false);
  });
});
