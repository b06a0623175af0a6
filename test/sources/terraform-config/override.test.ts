/**
 * Override files (`override.tf`, `*_override.tf`) in a configuration read without a plan: Terraform reads them after
 * the other files, in name order, and merges each block into the block it names: an argument replaces the argument
 * of that name, nested blocks of a type (dynamic ones included) replace all the original's blocks of that type
 * (https://developer.hashicorp.com/terraform/language/files/override). The genuine plan of
 * fixtures/terraform/override-files shows the same for resources; fixtures.test.ts checks that the configuration
 * gives that plan's findings.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../../rules/index.js";
import { runRules } from "../../../src/engine/run.js";
import { knownValue, unknown, type World } from "../../../src/model/index.js";
import { isOverrideFile } from "../../../src/sources/terraform/tf-root.js";
import { initHclParser, loadTerraformConfiguration } from "../../../src/sources/terraform-config/load.js";
import { lintPlan } from "../../helpers/terraform.js";

const dhmc = unknown("outside", "static input cannot see DHMC");

beforeAll(async () => {
  await initHclParser();
});

/** A folder of .tf files (name → text), read as a configuration. */
function configuration(files: Record<string, string>): { dir: string; world: World } {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-override-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, world: loadTerraformConfiguration(dir, { dhmc }) };
}

const VPC = `resource "aws_vpc" "main" {
  cidr_block = var.cidr
}
variable "cidr" {
  default = "10.0.0.0/16"
}
`;

const cidrOf = (world: World) => knownValue(world.vpcs.get("aws_vpc.main")!.cidrBlocks);

/** The egress rules of aws_security_group.g as "protocol from-to peer". */
function egressOf(world: World): string[] {
  return world.securityGroups.get("aws_security_group.g")!.egress.map((r) => {
    const peer = knownValue(r.peer);
    return `${knownValue(r.protocol)} ${knownValue(r.fromPort)}-${knownValue(r.toPort)} ${peer?.kind === "cidr" ? peer.cidr : "?"}`;
  });
}

const egress = (port: number, cidr = "0.0.0.0/0") => `  egress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = ["${cidr}"]
  }
`;

describe("override files", () => {
  it("are override.tf and names ending in _override.tf", () => {
    expect(["override.tf", "a_override.tf", "_override.tf"].map(isOverrideFile)).toEqual([true, true, true]);
    expect(["main.tf", "overrides.tf", "override_a.tf", "myoverride.tf"].map(isOverrideFile)).toEqual([false, false, false, false]);
  });

  it("an argument replaces the original's, though the file's name sorts first", () => {
    const { world } = configuration({ "main.tf": VPC, "a_override.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.9.0.0/16"\n}\n' });
    expect(cidrOf(world)).toEqual(["10.9.0.0/16"]);
  });

  it("the original's other arguments and blocks stay", () => {
    const { world } = configuration({
      "main.tf": `resource "aws_security_group" "g" {\n  vpc_id = "vpc-1"\n${egress(443)}}\n`,
      "override.tf": 'resource "aws_security_group" "g" {\n  description = "changed"\n}\n',
    });
    expect(egressOf(world)).toEqual(["tcp 443-443 0.0.0.0/0"]);
  });

  it("nested blocks of a type replace all of the original's blocks of that type", () => {
    const { world } = configuration({
      "main.tf": `resource "aws_security_group" "g" {\n  vpc_id = "vpc-1"\n${egress(443)}${egress(80)}}\n`,
      "override.tf": `resource "aws_security_group" "g" {\n${egress(22)}}\n`,
    });
    expect(egressOf(world)).toEqual(["tcp 22-22 0.0.0.0/0"]);
  });

  it("a dynamic block stands for blocks of its label's type, in the original and in the override", () => {
    const dynamic = (ports: string) => `  dynamic "egress" {
    for_each = ${ports}
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
`;
    const replacedByStatic = configuration({
      "main.tf": `resource "aws_security_group" "g" {\n  vpc_id = "vpc-1"\n${dynamic("[443]")}}\n`,
      "override.tf": `resource "aws_security_group" "g" {\n${egress(22)}}\n`,
    });
    expect(egressOf(replacedByStatic.world)).toEqual(["tcp 22-22 0.0.0.0/0"]);
    const replacedByDynamic = configuration({
      "main.tf": `resource "aws_security_group" "g" {\n  vpc_id = "vpc-1"\n${egress(443)}}\n`,
      "override.tf": `resource "aws_security_group" "g" {\n${dynamic("[]")}}\n`,
    });
    expect(egressOf(replacedByDynamic.world)).toEqual([]);
  });

  it("several override files apply in name order: the last one read wins", () => {
    const vpc = (cidr: string) => `resource "aws_vpc" "main" {\n  cidr_block = "${cidr}"\n}\n`;
    const { world } = configuration({ "main.tf": VPC, "b_override.tf": vpc("10.2.0.0/16"), "a_override.tf": vpc("10.1.0.0/16") });
    expect(cidrOf(world)).toEqual(["10.2.0.0/16"]);
  });

  it("a variable's default, a local value and a data source's argument are overridden too", () => {
    const variable = configuration({ "main.tf": VPC, "override.tf": 'variable "cidr" {\n  default = "10.7.0.0/16"\n}\n' });
    expect(cidrOf(variable.world)).toEqual(["10.7.0.0/16"]);
    const local = configuration({
      "main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = local.cidr\n}\nlocals {\n  cidr = "10.0.0.0/16"\n}\n',
      "override.tf": 'locals {\n  cidr = "10.8.0.0/16"\n}\n',
    });
    expect(cidrOf(local.world)).toEqual(["10.8.0.0/16"]);
  });

  it("an argument of a local module's call is overridden", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-override-module-"));
    writeFileSync(join(dir, "main.tf"), 'module "net" {\n  source = "./net"\n  cidr   = "10.0.0.0/16"\n}\n');
    writeFileSync(join(dir, "override.tf"), 'module "net" {\n  cidr = "10.6.0.0/16"\n}\n');
    const net = join(dir, "net");
    mkdirSync(net);
    writeFileSync(join(net, "main.tf"), 'variable "cidr" {}\nresource "aws_vpc" "main" {\n  cidr_block = var.cidr\n}\n');
    const world = loadTerraformConfiguration(dir, { dhmc });
    expect(knownValue(world.vpcs.get("module.net.aws_vpc.main")!.cidrBlocks)).toEqual(["10.6.0.0/16"]);
  });

  it("an override block without the block it names stands on its own (Terraform refuses it)", () => {
    const { world } = configuration({ "override.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.5.0.0/16"\n}\n' });
    expect(cidrOf(world)).toEqual(["10.5.0.0/16"]);
  });
});

describe("where a finding's evidence stands, with override files", () => {
  const dir = "fixtures/terraform/override-files";

  it.each([
    ["the plan with --tf-root", () => lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir })],
    ["the configuration", () => runRules(loadTerraformConfiguration(dir, { dhmc }), RULES, { today: "2026-01-01" })],
  ])("%s: an overridden argument at the override file's line, the finding at the block", (_, lint) => {
    const result = lint();
    const dns = result.findings.find((f) => f.ruleId === "SD402")!;
    expect(dns.location).toMatchObject({ file: join(dir, "main.tf"), region: { startLine: 65 } });
    expect(JSON.stringify(dns.evidence)).toContain(JSON.stringify({ startLine: 3, startColumn: 3 }).slice(0, -1));
    expect(dns.evidence.map((e) => e.origin?.file)).toContain(join(dir, "endpoints_override.tf"));
  });

  it("an ignore comment inside an override block suppresses, and names the override file", () => {
    const plan = lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir });
    expect(plan.findings.filter((f) => f.suppression)).toEqual([]);
    const copy = mkdtempSync(join(tmpdir(), "ssm-doctor-override-ignore-"));
    for (const name of ["main.tf", "plan.json"]) copyFileSync(join(dir, name), join(copy, name));
    copyFileSync(join(dir, "override.tf"), join(copy, "override.tf"));
    writeFileSync(
      join(copy, "endpoints_override.tf"),
      'resource "aws_vpc_endpoint" "ssm" {\n  # ssm-doctor:ignore SD402 resolver rules forward the names\n  private_dns_enabled = false\n}\n',
    );
    const result = lintPlan(join(copy, "plan.json"), { dhmc, tfRoot: copy });
    const suppressed = result.findings.filter((f) => f.ruleId === "SD402");
    expect(suppressed.length).toBe(2);
    for (const f of suppressed)
      expect(f.suppression?.origin).toMatchObject({
        file: relative(process.cwd(), join(copy, "endpoints_override.tf")),
        region: { startLine: 2 },
      });
  });
});
