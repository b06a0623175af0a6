/** `ssm-doctor lint plan.json` through the built CLI: exit codes, --tf-root locations and ignore comments, SARIF, bad input. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { absolutePaths, sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const SEED_BEFORE = "fixtures/terraform/seed-003-before";
const MODULES = "fixtures/terraform/sg-without-egress-in-module";

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ssm-doctor lint <plan.json>", () => {
  it("finds seed 003's missing egress: exit 1, SD302 and SD301 on the group, the fix in HCL, and a note about --tf-root", () => {
    const r = run(["lint", `${SEED_BEFORE}/plan.json`]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error {3}SD302 terraform-sg-without-egress {2}fixtures\/terraform\/seed-003-before\/plan\.json:1:\d+/);
    expect(r.stdout).toMatch(/error {3}SD301 instance-egress-blocked {2}fixtures\/terraform\/seed-003-before\/plan\.json:1:\d+/);
    expect(r.stdout).toContain("warning SD501 no-instance-identity");
    expect(r.stdout).toContain("fix (Terraform):");
    expect(r.stdout).toContain('resource "aws_vpc_security_group_egress_rule"');
    expect(r.stdout).toContain("pass --tf-root DIR");
    expect(r.stdout).toContain("Terraform removes that rule and keeps only the egress you write");
  });

  it("with --tf-root points at the .tf lines, in modules too, and honours ignore comments", () => {
    const seed = run(["lint", `${SEED_BEFORE}/plan.json`, "--tf-root", SEED_BEFORE, "--format", "json"]);
    expect(seed.code).toBe(1);
    const findings = JSON.parse(seed.stdout).files[0].findings as { ruleId: string; location: { file: string; line: number } }[];
    expect(findings.filter((f) => f.ruleId === "SD302").map((f) => `${f.location.file}:${f.location.line}`)).toEqual([
      `${SEED_BEFORE}/main.tf:77`,
    ]);
    expect(seed.stdout).not.toContain("pass --tf-root");

    const modules = run(["lint", `${MODULES}/plan.json`, "--tf-root", MODULES, "--format", "json"]);
    const report = JSON.parse(modules.stdout).files[0];
    const sd302 = report.findings.filter((f: { ruleId: string }) => f.ruleId === "SD302");
    expect(
      sd302
        .map(
          (f: { subject: { key: string }; location: { file: string; line: number } }) =>
            `${f.subject.key} ${f.location.file}:${f.location.line}`,
        )
        .sort(),
    ).toEqual([
      `aws_security_group.legacy ${MODULES}/main.tf:39`,
      `module.app["web"].aws_security_group.this ${MODULES}/modules/app/main.tf:23`,
    ]);
    expect(sd302.find((f: { subject: { key: string } }) => f.subject.key === "aws_security_group.legacy").suppression).toMatchObject({
      reason: "batch hosts behind this group only receive traffic; replaced in Q3",
    });
  });

  it("writes valid SARIF with repository-relative .tf locations and no machine paths", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    const out = join(dir, "r.sarif");
    const r = run([
      "lint",
      `${SEED_BEFORE}/plan.json`,
      "--tf-root",
      SEED_BEFORE,
      "--format",
      "sarif",
      "--output",
      out,
      "--sarif-root",
      ".",
    ]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, "utf8"));
    expect(sarifValidator()(sarif)).toEqual([]);
    const uris = sarif.runs.flatMap((run: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }) =>
      run.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri),
    );
    expect(uris).toContain(`${SEED_BEFORE}/main.tf`);
    expect(absolutePaths(sarif, [ROOT, tmpdir()])).toEqual([]);
  });

  it("exits 0 on the fixed seed and on the NAT set-up of seed 004", () => {
    expect(run(["lint", "fixtures/terraform/seed-003-after/plan.json"]).code).toBe(0);
    expect(run(["lint", "fixtures/terraform/seed-004-nat/plan.json"]).code).toBe(0);
  });

  it("lints a plan wrapped in CI log lines and says it did", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    const plan = readFileSync(join(ROOT, SEED_BEFORE, "plan.json"), "utf8").trim();
    writeFileSync(
      join(dir, "wrapped.json"),
      `[command]/home/runner/_temp/terraform-bin show -json tfplan\n${plan}\n::debug::exitcode: 0\n`,
    );
    const r = run(["lint", join(dir, "wrapped.json")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ssm-doctor read the plan from line 2");
  });

  it.each([
    ["JSON that is neither a plan nor a template", '{"hello": "world"}', /^ssm-doctor: .*other\.json.*: not a CloudFormation template/],
    [
      "Terraform state instead of a plan",
      '{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}',
      /^ssm-doctor: .*other\.json: this is Terraform state, not a plan/,
    ],
    ["a broken plan", '{"format_version": "1.2", "resource_changes": [}', /^ssm-doctor: .*other\.json:1:\d+: invalid JSON/],
  ])("exits 2 with one line for %s", (_name, text, pattern) => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
    writeFileSync(join(dir, "other.json"), text);
    const r = run(["lint", join(dir, "other.json")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 when --tf-root is not a directory", () => {
    const r = run(["lint", `${SEED_BEFORE}/plan.json`, "--tf-root", "no-such-dir"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ssm-doctor: no-such-dir: --tf-root is not a directory/);
  });
});
