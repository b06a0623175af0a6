/** A finding's fix names the input's own resources where they fit the language, and says so in every source. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { fillFix, remediationFor } from "../../src/report/text.js";
import { lintFile } from "../helpers/lint.js";
import { lintPlan } from "../helpers/terraform.js";

const ROOT = join(import.meta.dirname, "../..");

describe("fillFix", () => {
  const fix = "NetworkAclId: !Ref {{subject|PrivateAcl}} · {{subject|aws_network_acl.private}}.id · --network-acl-id {{subject|acl-…}}";

  it("puts a logical id, a root-module address and an AWS id where each fits", () => {
    expect(fillFix("!Ref {{subject|PrivateAcl}}", { key: "rEndpointAcl", name: "rEndpointAcl" }, "cloudformation")).toBe(
      "!Ref rEndpointAcl",
    );
    expect(fillFix("{{subject|aws_network_acl.private}}.id", { key: 'aws_network_acl.app["a"]', name: "x" }, "terraform")).toBe(
      'aws_network_acl.app["a"].id',
    );
    expect(fillFix("--role-name {{name|ROLE}}", { key: "arn:aws:iam::1:role/app", name: "app" }, "cli")).toBe("--role-name app");
  });

  it("keeps the default for synthesized keys, module addresses, other kinds of ids, and the docs", () => {
    expect(fillFix("!Ref {{subject|PrivateAcl}}", { key: "rVpc#default-acl", name: "x" }, "cloudformation")).toBe("!Ref PrivateAcl");
    expect(fillFix("{{subject|aws_network_acl.private}}", { key: "module.vpc.aws_network_acl.a", name: "x" }, "terraform")).toBe(
      "aws_network_acl.private",
    );
    expect(fillFix("--group-id {{subject|sg-…}}", { key: "vpce-0123", name: "x" }, "cli")).toBe("--group-id sg-…");
    expect(fillFix(fix, undefined, "cli")).toBe("NetworkAclId: !Ref PrivateAcl · aws_network_acl.private.id · --network-acl-id acl-…");
  });
});

describe("fixes in the reports", () => {
  it("SD304 in a template names the ACL that denies (CloudFormation and Terraform)", () => {
    const cfn = lintFile(join(ROOT, "fixtures/cloudformation/nacl-blocks-https/bad-endpoint-subnet-inbound-denied.yaml"));
    const f = cfn.findings.find((x) => x.ruleId === "SD304" && x.verdict === "fail")!;
    expect(remediationFor(f, RULES, "cloudformation")!.code).toContain(`NetworkAclId: !Ref ${f.subject.key}`);
    const tf = lintPlan(join(ROOT, "fixtures/terraform/nacl-blocks-https/plan.json"));
    const g = tf.findings.find((x) => x.ruleId === "SD304" && x.verdict === "fail")!;
    expect(g.subject.key).toMatch(/^aws_network_acl\./);
    expect(remediationFor(g, RULES, "terraform")!.code).toContain(`network_acl_id = ${g.subject.key}.id`);
  });
});

describe("fixes name the other resources they touch", () => {
  it("SD303 names the instance's security group and the VPC, SD301 the endpoint's security group (CloudFormation)", () => {
    const ingress = lintFile(join(ROOT, "fixtures/cloudformation/endpoint-ingress-blocked/bad-ingress-from-other-group.yaml"));
    const f = ingress.findings.find((x) => x.ruleId === "SD303" && x.verdict === "fail")!;
    const code = remediationFor(f, RULES, "cloudformation")!.code;
    expect(code).toContain(`SourceSecurityGroupId: !Ref ${f.references.instanceGroup!.key}`);
    expect(code).toContain(`VpcId: !Ref ${f.references.vpc!.key}`);
    expect(code).not.toContain("!Ref InstanceSecurityGroup\n");
    const egress = lintFile(join(ROOT, "fixtures/cloudformation/instance-egress-blocked/bad-egress-wrong-port.yaml"));
    const g = egress.findings.find((x) => x.ruleId === "SD301" && x.verdict === "fail")!;
    expect(remediationFor(g, RULES, "cloudformation")!.code).toContain(
      `DestinationSecurityGroupId: !Ref ${g.references.endpointGroup!.key}`,
    );
  });

  it("SD303 in a plan names the instance's security group by its address", () => {
    const tf = lintPlan(join(ROOT, "fixtures/terraform/endpoint-ingress-blocked/plan.json"));
    const f = tf.findings.find((x) => x.ruleId === "SD303" && x.verdict === "fail")!;
    expect(f.references.instanceGroup!.key).toMatch(/^aws_security_group\./);
    expect(remediationFor(f, RULES, "terraform")!.code).toContain(`referenced_security_group_id = ${f.references.instanceGroup!.key}.id`);
  });
});

describe("fixes name the subnets, gateways and blocks they change", () => {
  it("SD204 names the endpoint's subnet and the instance's (CloudFormation and Terraform)", () => {
    const cfn = lintFile(join(ROOT, "fixtures/cloudformation/endpoint-not-in-instance-az/bad-endpoints-only-in-az-a.yaml"));
    const f = cfn.findings.find((x) => x.ruleId === "SD204" && x.verdict === "fail")!;
    const code = remediationFor(f, RULES, "cloudformation")!.code;
    expect(code).toContain(`SubnetIds: [!Ref ${f.references.endpointSubnet!.key}, !Ref ${f.references.subnet!.key}]`);
    expect(f.references.endpointSubnet!.key).not.toBe(f.references.subnet!.key);
    const tf = lintPlan(join(ROOT, "fixtures/terraform/endpoint-not-in-instance-az/plan.json"));
    const g = tf.findings.find((x) => x.ruleId === "SD204" && x.verdict === "fail")!;
    expect(g.references.subnet!.key).toMatch(/^aws_subnet\./);
    expect(remediationFor(g, RULES, "terraform")!.code).toContain(`, ${g.references.subnet!.key}.id]`);
  });

  it("SD207 names the NAT gateway's route table and the VPC's internet gateway", () => {
    const cfn = lintFile(join(ROOT, "fixtures/cloudformation/no-route-to-internet/bad-nat-subnet-without-igw-route.yaml"));
    const f = cfn.findings.find((x) => x.ruleId === "SD207" && x.messageId === "natWithoutIgw")!;
    const code = remediationFor(f, RULES, "cloudformation")!.code;
    expect(code).toContain(`RouteTableId: !Ref ${f.references.routeTable!.key}`);
    expect(code).toContain(`GatewayId: !Ref ${f.references.internetGateway!.key}`);
    expect(code).not.toContain("!Ref InternetGateway\n");
  });

  it("SD302 heads the block with the group's own resource label", () => {
    expect(
      fillFix('resource "aws_security_group" "{{subject.label|instance}}" {', { key: "aws_security_group.app", name: "app" }, "terraform"),
    ).toBe('resource "aws_security_group" "app" {');
    const indexed = { key: 'aws_security_group.app["a"]', name: "app" };
    expect(fillFix('"{{subject.label|instance}}"', indexed, "terraform")).toBe('"instance"');
    expect(fillFix('"{{subject.label|instance}}"', { key: "Sg", name: "Sg" }, "cloudformation")).toBe('"instance"');
  });
});

describe("the Terraform security-group block of SD302", () => {
  it("carries the plan's own label", () => {
    const tf = lintPlan(join(ROOT, "fixtures/terraform/seed-003-before/plan.json"));
    const f = tf.findings.find((x) => x.ruleId === "SD302" && x.verdict === "fail")!;
    expect(remediationFor(f, RULES, "terraform")!.code).toContain('resource "aws_security_group" "sg-ec2" {');
  });
});
