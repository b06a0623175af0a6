/**
 * Change review through the built CLI: `diff OLD NEW` and `lint NEW --baseline OLD` on template, plan and
 * cdk.out pairs: what is new fails the run, what is fixed or unchanged never does, each format carries
 * the baseline state, and a new finding names the input change behind it.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const CFN = "fixtures/diff/cloudformation";
const KEPT = `${CFN}/egress-kept.yaml`;
const DROPPED = `${CFN}/egress-dropped.yaml`;
const TF_FIXED = "fixtures/terraform/seed-003-after/plan.json";
const TF_BROKEN = "fixtures/terraform/seed-003-before/plan.json";
const CDK_BASE = "fixtures/diff/cdk/base.out";
const CDK_CHANGE = "fixtures/diff/cdk/change.out";

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  ruleId: string;
  baselineState: string;
  severity: string;
  causes: { text: string; resource: string; property: string | null; via: string | null; action: string; category: string }[];
}

function json(args: string[]) {
  const r = run([...args, "--format", "json"]);
  const report = JSON.parse(r.stdout) as {
    files: { findings: JsonFinding[]; baseline: { file: string | null; brokenHops: { hop: string }[] } }[];
    summary: { baseline: Record<string, number> };
  };
  return { code: r.code, report, findings: report.files.flatMap((f) => f.findings) };
}

describe("diff of two CloudFormation templates", () => {
  it("a change that drops the HTTPS egress rule: a new SD301 with the security-group change as its cause, exit 1", () => {
    const r = run(["diff", KEPT, DROPPED]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("This change breaks Session Manager for: rEc2Instance (SD301 instance-egress-blocked)");
    expect(r.stdout.split("\n")[1]).toBe("This change fixes: nothing");
    expect(r.stdout).toContain("rEc2Instance: should connect → will not connect");
    expect(r.stdout).toContain(
      "caused by: this change removed the egress rule TCP 443 to ${pCidr} of rSecurityGroupEc2Instance (SecurityGroupEgress) that let rEc2Instance reach the ssm and ssmmessages endpoints",
    );
    // The cause points at the rule's place in the base template.
    expect(r.stdout).toMatch(/egress-kept\.yaml:137:7/);

    const { findings, report } = json(["diff", KEPT, DROPPED]);
    expect(findings.map((f) => [f.ruleId, f.baselineState])).toEqual([["SD301", "new"]]);
    const cause = findings[0]!.causes[0]!;
    expect(cause).toMatchObject({
      resource: "rSecurityGroupEc2Instance",
      property: "SecurityGroupEgress",
      action: "removed",
      category: "security-group",
    });
    expect(report.files[0]!.baseline.file).toBe(KEPT);
    expect(report.files[0]!.baseline.brokenHops.map((h) => h.hop)).toContain("instance-sg-egress");
    expect(report.summary.baseline).toEqual({ new: 1, updated: 0, unchanged: 0, absent: 0 });
  });

  it("the reverse change fixes it: reported as fixed, exit 0", () => {
    const r = run(["diff", DROPPED, KEPT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("This change breaks Session Manager for: nothing");
    expect(r.stdout).toContain("This change fixes: rEc2Instance (SD301 instance-egress-blocked)");
    expect(r.stdout).toMatch(/fixed {3}SD301 instance-egress-blocked {2}fixtures\/diff\/cloudformation\/egress-dropped\.yaml:\d+:\d+/);
    const { findings, code } = json(["diff", DROPPED, KEPT]);
    expect(code).toBe(0);
    expect(findings.map((f) => [f.ruleId, f.baselineState])).toEqual([["SD301", "absent"]]);
  });

  it("identical inputs: nothing new, exit 0, the existing findings unchanged and folded away", () => {
    const r = run(["diff", DROPPED, DROPPED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("This change breaks Session Manager for: nothing");
    expect(r.stdout).toContain("1 unchanged finding (SD301), already in the base");
    expect(r.stdout).not.toContain("caused by");
    const { findings } = json(["diff", DROPPED, DROPPED]);
    expect(findings.map((f) => f.baselineState)).toEqual(["unchanged"]);
  });

  it("lint --baseline is the same filter inside lint", () => {
    expect(run(["lint", DROPPED, "--baseline", DROPPED]).code).toBe(0);
    expect(run(["lint", DROPPED]).code).toBe(1);
    const r = run(["lint", DROPPED, "--baseline", KEPT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("This change breaks Session Manager for: rEc2Instance");
  });

  it("--fail-on decides which new findings fail", () => {
    expect(run(["diff", KEPT, DROPPED, "--fail-on", "never"]).code).toBe(0);
    // Seed 003: the only new finding left under SD301/SD302 switched off is the SD501 warning.
    const config = join(mkdtempSync(join(tmpdir(), "ssm-doctor-config-")), "config.yaml");
    writeFileSync(config, "severity:\n  SD301: off\n  SD302: off\n");
    expect(run(["diff", TF_FIXED, TF_BROKEN, "--config", config]).code).toBe(0);
    expect(run(["diff", TF_FIXED, TF_BROKEN, "--config", config, "--fail-on", "warning"]).code).toBe(1);
  });

  it("works on a base file outside the repository (git show origin/main:path > base.yaml)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-base-"));
    const base = join(dir, "base.yaml");
    copyFileSync(join(ROOT, KEPT), base);
    const r = run(["lint", DROPPED, "--baseline", base, "--format", "sarif"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(dir);
  });

  it("bad input on either side: one line, exit 2", () => {
    const r = run(["diff", "no-such-base.yaml", DROPPED]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("no-such-base.yaml");
  });
});

describe("diff of two Terraform plans (seed 003: the egress rule the author added)", () => {
  it("removing the egress rule resource: new SD301 and SD302 caused by it, exit 1", () => {
    const r = run(["diff", TF_FIXED, TF_BROKEN]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "This change breaks Session Manager for: aws_instance.my-ec2-1 (SD301 instance-egress-blocked, SD302 terraform-sg-without-egress)",
    );
    expect(r.stdout).toContain(
      "this change removed the egress rule TCP 443 to aws_security_group.endpoint-sg of aws_security_group.sg-ec2 (aws_vpc_security_group_egress_rule.sg-ec2-egress) that let aws_instance.my-ec2-1 reach the ssm and ssmmessages endpoints",
    );
    const { findings } = json(["diff", TF_FIXED, TF_BROKEN]);
    const sd301 = findings.find((f) => f.ruleId === "SD301")!;
    expect(sd301.baselineState).toBe("new");
    expect(sd301.causes[0]).toMatchObject({
      resource: "aws_security_group.sg-ec2",
      via: "aws_vpc_security_group_egress_rule.sg-ec2-egress",
      action: "removed",
    });
    // The DHMC setting the change removed is offered as a possible cause of the new SD501 warning.
    const sd501 = findings.find((f) => f.ruleId === "SD501")!;
    expect(sd501.causes.map((c) => c.resource)).toContain("aws_ssm_service_setting.dhmc");
  });

  it("the author's fix: all three reported as fixed, exit 0", () => {
    const r = run(["diff", TF_BROKEN, TF_FIXED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "This change fixes: aws_instance.my-ec2-1 (SD301 instance-egress-blocked, SD302 terraform-sg-without-egress)",
    );
    const { findings } = json(["diff", TF_BROKEN, TF_FIXED]);
    expect(findings.map((f) => `${f.ruleId}:${f.baselineState}`).sort()).toEqual(["SD301:absent", "SD302:absent", "SD501:absent"]);
  });

  it("identical plans: nothing new, exit 0", () => {
    const r = run(["diff", TF_BROKEN, TF_BROKEN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 unchanged findings (SD301, SD302, SD501), already in the base");
  });
});

describe("diff of two cdk.out directories", () => {
  it("pairs the stacks, matches the instance across a logical id CDK renamed (same construct path), and finds the new SD301", () => {
    const r = run(["diff", CDK_BASE, CDK_CHANGE]);
    expect(r.code).toBe(1);
    // Renamed from rEc2Instance, same construct path: the same instance, so its status changed (not "not in the base").
    expect(r.stdout).toContain("AppInstanceC2A6B1F0: should connect → will not connect");
    expect(r.stdout).toContain("removed the egress rule TCP 443 to ${pCidr} of rSecurityGroupEc2Instance");
    expect(r.stdout).not.toContain("removed rEc2Instance");
  });

  it("the reverse: fixed, exit 0; identical: nothing new", () => {
    expect(run(["diff", CDK_CHANGE, CDK_BASE]).code).toBe(0);
    const same = run(["diff", CDK_CHANGE, CDK_CHANGE]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("1 unchanged finding (SD301)");
  });
});

describe("every format carries the baseline state", () => {
  it("SARIF: baselineState on every result, fixed findings as absent, valid against the 2.1.0 schema", () => {
    const validate = sarifValidator();
    for (const [base, change, states] of [
      [KEPT, DROPPED, ["new"]],
      [DROPPED, KEPT, ["absent"]],
      [DROPPED, DROPPED, ["unchanged"]],
      [TF_FIXED, TF_BROKEN, ["new", "new", "new"]],
      [TF_BROKEN, TF_FIXED, ["absent", "absent", "absent"]],
    ] as const) {
      const r = run(["diff", base, change, "--format", "sarif"]);
      const sarif = JSON.parse(r.stdout) as { runs: { results: { baselineState?: string; message: { text: string } }[] }[] };
      expect(validate(sarif)).toEqual([]);
      expect(sarif.runs.flatMap((run) => run.results.map((x) => x.baselineState))).toEqual(states);
    }
    const sarif = JSON.parse(run(["diff", KEPT, DROPPED, "--format", "sarif"]).stdout) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    expect(sarif.runs[0]!.results[0]!.message.text).toContain("Caused by:\n- this change removed the egress rule");
  });

  it("GitHub annotations and JUnit speak only of new findings", () => {
    expect(run(["diff", DROPPED, DROPPED, "--format", "github"]).stdout).toBe("");
    const github = run(["diff", KEPT, DROPPED, "--format", "github"]).stdout;
    expect(github.split("\n").filter(Boolean)).toHaveLength(1);
    expect(github).toMatch(/^::error file=fixtures\/diff\/cloudformation\/egress-dropped\.yaml,line=\d+/);
    expect(github).toContain("this change removed the egress rule");
    const unchanged = run(["diff", DROPPED, DROPPED, "--format", "junit"]).stdout;
    expect(unchanged).toContain('failures="0"');
    const fresh = run(["diff", KEPT, DROPPED, "--format", "junit"]).stdout;
    expect(fresh).toMatch(/<testsuites [^>]*failures="1"/);
  });

  it("Markdown leads with breaks and fixes, draws the path with the broken hop new, folds unchanged findings", () => {
    const md = run(["diff", KEPT, DROPPED, "--format", "markdown"]).stdout;
    const lines = md.split("\n");
    expect(lines[2]).toBe("❌ **This change breaks Session Manager for: rEc2Instance (SD301 instance-egress-blocked)**");
    expect(lines[4]).toBe("➖ **This change fixes: nothing**");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain('sg["NEW: security groups<br/>rSecurityGroupEc2Instance"]');
    expect(md).toMatch(/class sg new/);
    const same = run(["diff", DROPPED, DROPPED, "--format", "markdown"]).stdout;
    expect(same).toContain("<details><summary>1 unchanged finding, already in the base</summary>");
  });

  it("JSON documents the fields it writes", () => {
    const doc = readFileSync(join(ROOT, "docs/json-output.md"), "utf8");
    for (const field of ["baselineState", "causes", "brokenHops", "absent"]) expect(doc).toContain(field);
  });
});

describe("diff of two folders", () => {
  it("pairs templates by their path inside the folder; a template the change removes has its findings fixed", () => {
    const base = mkdtempSync(join(tmpdir(), "ssm-doctor-base-dir-"));
    const change = mkdtempSync(join(tmpdir(), "ssm-doctor-change-dir-"));
    copyFileSync(join(ROOT, KEPT), join(base, "app.yaml"));
    copyFileSync(join(ROOT, DROPPED), join(base, "legacy.yaml"));
    copyFileSync(join(ROOT, DROPPED), join(change, "app.yaml"));
    const r = run(["diff", base, change, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { files: { file: string; findings: JsonFinding[]; baseline: { file: string | null } }[] };
    const states = report.files.map((f) => [
      f.file.split("/").pop(),
      f.baseline.file?.split("/").pop(),
      f.findings.map((x) => x.baselineState),
    ]);
    expect(states).toEqual([
      ["app.yaml", "app.yaml", ["new"]],
      ["legacy.yaml", "legacy.yaml", ["absent"]],
    ]);
    const human = run(["diff", base, change]).stdout;
    expect(human).toContain("note: the change removes this input");
  });
});
