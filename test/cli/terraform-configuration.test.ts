/** `ssm-doctor lint ./infra` (.tf files, no plan) through the built CLI. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { absolutePaths, sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const SEED_BEFORE = join(ROOT, "fixtures/terraform/seed-003-before");

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder holding only seed 003's main.tf (no plan beside it). */
function seedConfiguration(): string {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
  mkdirSync(join(dir, "infra"));
  cpSync(join(SEED_BEFORE, "main.tf"), join(dir, "infra", "main.tf"));
  return dir;
}

const VARIABLE_SUBNET = `
provider "aws" {
  region = "eu-west-1"
}
variable "subnet_id" {
  type = string
}
variable "egress_cidrs" {
  type    = list(string)
  default = []
}
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = "vpc-0123456789abcdef0"
  dynamic "egress" {
    for_each = var.egress_cidrs
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [egress.value]
    }
  }
}
resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [aws_security_group.app.id]
}
`;

describe("ssm-doctor lint <folder of .tf files>", () => {
  it("reads seed 003's configuration: SD302 and SD301 on the .tf line of the group, exit 1", () => {
    const dir = seedConfiguration();
    const r = run(["lint", "infra", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).files[0].findings as {
      ruleId: string;
      verdict: string;
      location: { file: string; line: number };
    }[];
    const sd302 = findings.find((f) => f.ruleId === "SD302");
    expect(sd302?.location).toMatchObject({ file: "infra/main.tf", line: 77 });
    expect(findings.some((f) => f.ruleId === "SD301" && f.verdict === "fail")).toBe(true);
  });

  it("writes SARIF that validates, with repository-relative .tf paths", () => {
    const dir = seedConfiguration();
    const r = run(["lint", "infra", "--format", "sarif"], dir);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarifValidator()(sarif)).toEqual([]);
    expect(absolutePaths(sarif, [dir, ROOT])).toEqual([]);
    const uris = sarif.runs.flatMap((run: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }) =>
      run.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri),
    );
    expect(new Set(uris)).toEqual(new Set(["infra/main.tf"]));
  });

  it("honours # ssm-doctor:ignore comments in the resource block", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(
      join(dir, "main.tf"),
      VARIABLE_SUBNET.replace(
        '  name   = "app"',
        '  # ssm-doctor:ignore SD302 egress comes from the firewall team\'s rules\n  name   = "app"',
      ),
    );
    const r = run(["lint", ".", "--format", "json"], dir);
    const findings = JSON.parse(r.stdout).files[0].findings as { ruleId: string; suppression?: { reason: string } }[];
    expect(findings.find((f) => f.ruleId === "SD302")?.suppression?.reason).toBe("egress comes from the firewall team's rules");
  });

  it("a .tf file names its folder's configuration", () => {
    const dir = seedConfiguration();
    const r = run(["lint", "infra/main.tf", "-q"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("SD302");
  });

  it("a variable without a value is unknown and says how to decide it; -var, TF_VAR_ and -var-file decide it", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(join(dir, "main.tf"), VARIABLE_SUBNET);
    const bare = run(["lint", ".", "--format", "json"], dir);
    // No egress at all (the dynamic block expands to nothing): SD302, whatever the subnet.
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain("SD302");
    const egress = run(["lint", ".", "--var", 'egress_cidrs=["0.0.0.0/0"]', "--format", "json"], dir);
    expect(egress.stdout).not.toContain("SD302");
    expect(egress.stdout).toContain("var.subnet_id has no value (pass -var subnet_id=…)");

    const withVar = run(["lint", ".", "--var", "subnet_id=subnet-0abc", "--var", 'egress_cidrs=["0.0.0.0/0"]', "--format", "json"], dir);
    expect(withVar.stdout).not.toContain("SD302");
    expect(withVar.stdout).not.toContain("var.subnet_id has no value");

    const fromEnv = run(["lint", ".", "--var", 'egress_cidrs=["0.0.0.0/0"]', "--format", "json"], dir, { TF_VAR_subnet_id: "subnet-0abc" });
    expect(fromEnv.stdout).not.toContain("var.subnet_id has no value");

    writeFileSync(join(dir, "prod.tfvars"), 'egress_cidrs = ["0.0.0.0/0"]\nsubnet_id = "subnet-0abc"\n');
    const fromFile = run(["lint", ".", "--var-file", "prod.tfvars", "--format", "json"], dir);
    expect(fromFile.stdout).not.toContain("SD302");
  });

  it("a -var for a variable the configuration does not declare is exit 2 naming the declared ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(join(dir, "main.tf"), VARIABLE_SUBNET);
    const r = run(["lint", ".", "--var", "subnte_id=x"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("declares no variable 'subnte_id'");
    expect(r.stderr).toContain("subnet_id");
  });

  it("invalid HCL is exit 2 with the file, line and column, and no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(join(dir, "main.tf"), 'resource "aws_vpc" "a" {\n  cidr_block = \n}\n');
    const r = run(["lint", "."], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/main\.tf:2:\d+: invalid HCL/);
    expect(r.stderr).not.toContain("    at ");
  });

  it("an empty .tf file is an empty part of the module, as in Terraform", () => {
    const dir = seedConfiguration();
    writeFileSync(join(dir, "infra", "versions.tf"), "");
    const r = run(["lint", "infra", "-q"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("SD302");
    expect(r.stderr).toBe("");
  });

  it("a .tf file that is not UTF-8 is exit 2 naming the file and the byte, and nothing is linted", () => {
    const dir = seedConfiguration();
    writeFileSync(join(dir, "infra", "extra.tf"), Buffer.from('locals {\n  name = "caf\xe9"\n}\n', "latin1"));
    const r = run(["lint", "infra", "--format", "json", "--output", "out.json"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/extra\.tf: invalid UTF-8 at byte offset 22 \(0xe9\).*save the file as UTF-8/);
    expect(r.stderr).not.toContain("    at ");
    expect(existsSync(join(dir, "out.json"))).toBe(false);
  });

  it("a binary .tf file is named as what Terraform expects there", () => {
    const dir = seedConfiguration();
    writeFileSync(join(dir, "infra", "junk.tf"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const r = run(["lint", "infra"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/junk\.tf: binary file: expected a Terraform configuration file \(\.tf\)/);
  });

  it("a -var-file that cannot be read is exit 2 naming the file and why", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(join(dir, "main.tf"), VARIABLE_SUBNET);
    const r = run(["lint", ".", "--var-file", "missing.tfvars"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.tfvars: cannot read: no such file/);
    writeFileSync(join(dir, "empty.tfvars"), "");
    const empty = run(["lint", ".", "--var-file", "empty.tfvars", "-q"], dir);
    expect(empty.code).toBe(1);
  });

  it("a folder with both .tf files and a plan lints the plan and says so", () => {
    const r = run(["lint", "fixtures/terraform/seed-003-before"], ROOT);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("also holds .tf files: the plan beside them was linted");
    expect(r.stdout).toContain("fixtures/terraform/seed-003-before/main.tf:");
  });

  it("names the same folder with a trailing slash, ./ or not, and lints only the plan each time", () => {
    const files = (arg: string) =>
      JSON.parse(run(["lint", arg, "--format", "json", "--fail-on", "never"], ROOT).stdout).files.map((f: { file: string }) => f.file);
    for (const arg of [
      "fixtures/terraform/seed-003-before",
      "fixtures/terraform/seed-003-before/",
      "./fixtures/terraform/seed-003-before/",
    ])
      expect(files(arg), arg).toEqual([expect.stringMatching(/seed-003-before\/plan\.json$/)]);
  });
});
