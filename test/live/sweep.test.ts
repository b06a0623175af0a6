/**
 * Sweeps across an organisation, end to end: the built CLI against a loopback fake organisation
 * (Organizations, STS AssumeRole with per-account credentials, per-account and per-region data),
 * with a denied AssumeRole, a region that is not enabled, throttling, and --resume.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MemberAccount, organizationEnv, startFakeOrganization } from "../fake-aws/organization.js";
import { sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 2) : 0, stdout, stderr });
      },
    );
  });
}

const baseEnv = () => ({ PATH: process.env.PATH ?? "", HOME: mkdtempSync(join(tmpdir(), "ssm-doctor-home-")) });

/** Three accounts, two regions each: in each account one region is healthy and one has a broken instance. */
function members(overrides: Partial<Record<string, Partial<MemberAccount>>> = {}): MemberAccount[] {
  return [
    { id: "111111111111", name: "prod", regions: { "us-east-1": "instance-egress-blocked", "eu-west-1": "healthy" } },
    { id: "222222222222", name: "staging", regions: { "us-east-1": "healthy", "eu-west-1": "no-profile-no-dhmc" } },
    { id: "333333333333", name: "dev", regions: { "us-east-1": "endpoint-sg-without-ingress", "eu-west-1": "healthy" } },
  ].map((m) => ({ ...m, ...(overrides[m.id] ?? {}) }));
}

interface JsonReport {
  files: {
    file: string;
    account?: string;
    region?: string;
    failed?: string;
    instances: { status: string; account?: string; region?: string }[];
  }[];
  summary: { instances: number; fail: number };
}

describe("check --accounts … --regions …", () => {
  it("sweeps 3 accounts × 2 regions: one broken instance per account, one section per pair, a summary on top", async () => {
    const org = await startFakeOrganization({ accounts: members() });
    try {
      const out = join(mkdtempSync(join(tmpdir(), "ssm-doctor-sweep-")), "org.sarif");
      const r = await cli(
        [
          "check",
          "--all",
          "--accounts",
          "all",
          "--regions",
          "all",
          "--external-id",
          "ext-42",
          "--format",
          "json",
          "--format",
          `sarif=${out}`,
        ],
        { ...baseEnv(), ...organizationEnv(org) },
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(report.files.map((f) => `${f.account}|${f.region}`).sort()).toEqual([
        "111111111111|eu-west-1",
        "111111111111|us-east-1",
        "222222222222|eu-west-1",
        "222222222222|us-east-1",
        "333333333333|eu-west-1",
        "333333333333|us-east-1",
      ]);
      for (const f of report.files) for (const i of f.instances) expect([i.account, i.region]).toEqual([f.account, f.region]);
      const failing = report.files.filter((f) => f.instances.some((i) => i.status === "fail")).map((f) => `${f.account}|${f.region}`);
      expect(failing.sort()).toEqual(["111111111111|us-east-1", "222222222222|eu-west-1", "333333333333|us-east-1"]);
      // Each account's role was assumed once, with the tool's session name and the external id.
      expect(org.sessions.map((s) => s.account).sort()).toEqual(["111111111111", "222222222222", "333333333333"]);
      expect(new Set(org.sessions.map((s) => `${s.sessionName}|${s.externalId}|${s.roleArn.split("/").pop()}`))).toEqual(
        new Set(["ssm-doctor|ext-42|OrganizationAccountAccessRole"]),
      );
      const sarif = JSON.parse(readFileSync(out, "utf8"));
      expect(sarifValidator()(sarif)).toEqual([]);
      expect(sarif.runs.map((run: { automationDetails: { id: string } }) => run.automationDetails.id)).toContain(
        "ssm-doctor/live/222222222222/eu-west-1/",
      );
      expect(sarif.runs).toHaveLength(6);

      const human = await cli(["check", "--all", "--accounts", "111111111111,222222222222", "--regions", "us-east-1"], {
        ...baseEnv(),
        ...organizationEnv(org),
      });
      expect(human.stdout.split("\n")[0]).toBe("Sweep: 2 accounts, 2 account/region pairs, 0 not read");
      expect(human.stdout).toMatch(/111111111111 \(prod\)|111111111111 +us-east-1/);
      expect(human.stdout).toContain("account 222222222222, us-east-1");
      const markdown = await cli(["check", "--all", "--accounts", "111111111111", "--regions", "us-east-1", "--format", "markdown"], {
        ...baseEnv(),
        ...organizationEnv(org),
      });
      expect(markdown.stdout).toContain("**Sweep: 1 account, 1 account/region pair, 0 not read**");
      expect(markdown.stdout).toContain("| account | region | instances | connect | will not | unknown |");
      expect(markdown.stdout).toMatch(/\| 111111111111 \| us-east-1 \| 1 \| 0 \| 1 \| 0 \|/);
    } finally {
      await org.close();
    }
  });

  it("an account whose role cannot be assumed, and a region that is not enabled, are named in the report; the sweep finishes", async () => {
    const org = await startFakeOrganization({ accounts: members({ "222222222222": { denyAssumeRole: true } }) });
    try {
      const r = await cli(["check", "--all", "--accounts", "all", "--regions", "us-east-1,ap-southeast-3", "--format", "json"], {
        ...baseEnv(),
        ...organizationEnv(org),
      });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as JsonReport;
      const denied = report.files.find((f) => f.account === "222222222222");
      expect(denied?.failed).toMatch(/the role OrganizationAccountAccessRole could not be assumed \(AccessDenied/);
      const disabled = report.files.filter((f) => f.region === "ap-southeast-3");
      expect(disabled.map((f) => f.account).sort()).toEqual(["111111111111", "333333333333"]);
      for (const f of disabled) expect(f.failed).toBeTruthy();
      expect(
        report.files
          .filter((f) => f.region === "us-east-1" && !f.failed)
          .map((f) => f.account)
          .sort(),
      ).toEqual(["111111111111", "333333333333"]);
    } finally {
      await org.close();
    }
  });

  it("throttling during a sweep is retried: the same verdicts as without it", async () => {
    const calm = await startFakeOrganization({ accounts: members() });
    const busy = await startFakeOrganization({ accounts: members(), throttle: { every: 3, max: 12 } });
    try {
      const args = ["check", "--all", "--accounts", "all", "--regions", "us-east-1", "--format", "json"];
      const a = await cli(args, { ...baseEnv(), ...organizationEnv(calm) });
      const b = await cli(args, { ...baseEnv(), ...organizationEnv(busy) });
      expect(busy.throttled).toBe(12);
      const verdicts = (s: string) =>
        (JSON.parse(s) as JsonReport).files.map((f) => `${f.file}: ${f.failed ?? f.instances.map((i) => i.status).join(",")}`);
      expect(verdicts(b.stdout)).toEqual(verdicts(a.stdout));
      expect(b.code).toBe(a.code);
    } finally {
      await calm.close();
      await busy.close();
    }
  });

  it("--resume continues where a sweep stopped: finished pairs are not read again", async () => {
    const state = join(mkdtempSync(join(tmpdir(), "ssm-doctor-resume-")), "sweep.state");
    const args = ["check", "--all", "--accounts", "all", "--regions", "us-east-1,eu-west-1", "--resume", state, "--format", "json"];
    const first = await startFakeOrganization({ accounts: members({ "333333333333": { denyAssumeRole: true } }) });
    try {
      const r = await cli(args, { ...baseEnv(), ...organizationEnv(first) });
      expect((JSON.parse(r.stdout) as JsonReport).files.find((f) => f.account === "333333333333")?.failed).toBeTruthy();
    } finally {
      await first.close();
    }
    expect(existsSync(state)).toBe(true);
    const second = await startFakeOrganization({ accounts: members() });
    try {
      const r = await cli(args, { ...baseEnv(), ...organizationEnv(second) });
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(report.files.filter((f) => !f.failed)).toHaveLength(6);
      // Only the account that failed before was read this time.
      for (const [key, fake] of second.members) expect(fake.calls.length > 0, key).toBe(key.startsWith("333333333333"));
      expect(report.files.find((f) => f.account === "111111111111" && f.region === "us-east-1")?.instances[0]?.status).toBe("fail");
    } finally {
      await second.close();
    }
  });

  it("merge joins the JSON reports of one job per account into the report of the whole sweep", async () => {
    const org = await startFakeOrganization({ accounts: members() });
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-merge-"));
    try {
      const env = { ...baseEnv(), ...organizationEnv(org) };
      const whole = await cli(["check", "--all", "--accounts", "all", "--regions", "us-east-1", "--format", "json"], env);
      for (const id of ["111111111111", "222222222222", "333333333333"])
        await cli(
          ["check", "--all", "--accounts", id, "--regions", "us-east-1", "--format", "json", "--output", join(dir, `${id}.json`)],
          env,
        );
      const merged = await cli(["merge", ...["111111111111", "222222222222", "333333333333"].map((id) => join(dir, `${id}.json`))], env);
      expect(merged.code).toBe(0);
      const a = JSON.parse(whole.stdout);
      const b = JSON.parse(merged.stdout);
      expect(b.summary).toEqual(a.summary);
      const pairs = (r: { files: { account: string; region: string }[] }) => r.files.map((f) => `${f.account}|${f.region}`);
      expect(pairs(b)).toEqual(pairs(a));
      const notJson = await cli(["merge", join(ROOT, "package.json")], env);
      expect(notJson.code).toBe(2);
      expect(notJson.stderr).toContain("not a JSON report of ssm-doctor");
    } finally {
      await org.close();
    }
  });

  it("a sweep needs --all or --tag, and refuses account ids that are not 12 digits", async () => {
    const org = await startFakeOrganization({ accounts: members() });
    try {
      const env = { ...baseEnv(), ...organizationEnv(org) };
      const noSelection = await cli(["check", "--accounts", "all", "--regions", "us-east-1"], env);
      expect(noSelection.code).toBe(2);
      const bad = await cli(["check", "--all", "--accounts", "1234,prod", "--regions", "us-east-1"], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("'1234' is not a 12-digit account id");
      const region = await cli(["check", "--all", "--accounts", "all", "--regions", "us-east-1,EU-WEST-1"], env);
      expect(region.code).toBe(2);
      expect(region.stderr).toContain("'EU-WEST-1' is not a known region (did you mean eu-west-1?");
    } finally {
      await org.close();
    }
  });
});

describe("the roles a sweep needs", () => {
  it("the member-role StackSet template grants exactly the collector's read-only operations; the caller policy exactly the sweep's", async () => {
    const { parse } = await import("yaml");
    const { READ_ONLY_OPERATIONS, SWEEP_OPERATIONS } = await import("../../src/sources/aws/operations.js");
    const template = parse(readFileSync(join(ROOT, "docs/ssm-doctor-member-role.yaml"), "utf8"), {
      customTags: [
        { tag: "!Ref", resolve: (v: string) => ({ Ref: v }) },
        { tag: "!Sub", resolve: (v: string) => ({ "Fn::Sub": v }) },
        { tag: "!GetAtt", resolve: (v: string) => ({ "Fn::GetAtt": v }) },
      ],
    });
    const actions = template.Resources.SsmDoctorReadOnlyRole.Properties.Policies[0].PolicyDocument.Statement[0].Action as string[];
    expect([...actions].sort()).toEqual([...READ_ONLY_OPERATIONS].sort());
    const caller = JSON.parse(readFileSync(join(ROOT, "docs/sweep-caller-policy.json"), "utf8"));
    expect(caller.Statement[0].Action.sort()).toEqual([...SWEEP_OPERATIONS].sort());
  });
});
