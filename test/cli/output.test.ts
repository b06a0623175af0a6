/**
 * The shared output options, through the built CLI: several formats in one run, --output binding,
 * --sarif-root and the repository root, configuration (suppressions, expiry, fail-on, severity), and
 * usage errors with exit 2.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRepoRoot, resolveTargets } from "../../src/cli/output.js";
import { absolutePaths, sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const SEED = "fixtures/cloudformation/seed-000";
const validate = sarifValidator();

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "ssm-doctor-out-"));
}

describe("resolveTargets", () => {
  it("defaults to human on the terminal", () => {
    expect(resolveTargets()).toEqual([{ format: "human" }]);
  });

  it("binds each --output to the --format before it", () => {
    expect(
      resolveTargets(
        [
          { format: "sarif", seq: 1 },
          { format: "human", seq: 3 },
          { format: "junit", seq: 4 },
        ],
        [
          { file: "a.sarif", seq: 2 },
          { file: "j.xml", seq: 5 },
        ],
      ),
    ).toEqual([{ format: "sarif", file: "a.sarif" }, { format: "human" }, { format: "junit", file: "j.xml" }]);
  });

  it("binds an --output given before any --format to the first format (-o x.json -f json)", () => {
    expect(resolveTargets([{ format: "json", seq: 2 }], [{ file: "x.json", seq: 1 }])).toEqual([{ format: "json", file: "x.json" }]);
    expect(resolveTargets(undefined, [{ file: "report.txt", seq: 1 }])).toEqual([{ format: "human", file: "report.txt" }]);
  });

  it("keeps FORMAT=FILE", () => {
    expect(
      resolveTargets([
        { format: "markdown", file: "s.md", seq: 1 },
        { format: "human", seq: 2 },
      ]),
    ).toEqual([{ format: "markdown", file: "s.md" }, { format: "human" }]);
  });
});

describe("several formats in one run", () => {
  it("--format sarif --output a.sarif --format human: SARIF to the file, the human report to the terminal", () => {
    const dir = tmp();
    const out = join(dir, "results.sarif");
    const r = run(["lint", `${SEED}/private-dns-off.yaml`, "--format", "sarif", "--output", out, "--format", "human"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("SD402 endpoint-private-dns-off");
    expect(r.stdout).toContain("1 instance: 0 will connect, 1 will not");
    const sarif = JSON.parse(readFileSync(out, "utf8"));
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, [ROOT, tmpdir()])).toEqual([]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: `${SEED}/private-dns-off.yaml`,
      uriBaseId: "%SRCROOT%",
    });
    expect(readdirSync(dir)).toEqual(["results.sarif"]);
  });

  it("writes every format at once (FORMAT=FILE and --output pairs) with GitHub commands on the terminal", () => {
    const dir = tmp();
    const r = run([
      "lint",
      SEED,
      "--format",
      `json=${join(dir, "r.json")}`,
      "-f",
      "junit",
      "-o",
      join(dir, "r.xml"),
      "--format",
      `markdown=${join(dir, "sub/summary.md")}`,
      "--format",
      `sarif=${join(dir, "r.sarif")}`,
      "--format",
      "github",
    ]);
    expect(r.code).toBe(1);
    expect(
      r.stdout
        .split("\n")
        .filter(Boolean)
        .every((l) => /^::(error|warning|notice) /.test(l)),
    ).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).files.length).toBe(readdirSync(join(ROOT, SEED)).length);
    expect(readFileSync(join(dir, "r.xml"), "utf8")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(readFileSync(join(dir, "sub/summary.md"), "utf8")).toMatch(/^## ssm-doctor/);
    const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8"));
    expect(validate(sarif)).toEqual([]);
    expect(sarif.runs[0].results.length).toBeGreaterThan(10);
  });

  it("keeps the old form: --format json --output FILE, in either order", () => {
    const dir = tmp();
    const r = run(["lint", "--output", join(dir, "x.json"), `${SEED}/good.yaml`, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "x.json"), "utf8")).schemaVersion).toBe(1);
  });

  it("lints every CloudFormation fixture in one run into SARIF that validates", () => {
    const dir = tmp();
    const r = run(["lint", "fixtures/cloudformation", "--format", "sarif", "--output", join(dir, "all.sarif"), "--fail-on", "never"]);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, "all.sarif"), "utf8"));
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, [ROOT, tmpdir(), "/work/"])).toEqual([]);
    expect(sarif.runs[0].results.some((r: { suppressions?: unknown[] }) => r.suppressions)).toBe(true);
  });

  it.each([
    ["two formats on the terminal", ["--format", "json", "--format", "human"], /json and human would both go to the terminal/],
    ["two outputs for one format", ["--format", "json", "--output", "a.json", "--output", "b.json"], /already writes to a\.json/],
    ["an unknown format", ["--format", "xml"], /Allowed choices are human, json, sarif, github, markdown, junit/],
    ["the same file twice", ["--format", "json=same.out", "--format", "sarif=same.out"], /two formats would write to the same file/],
  ])("exits 2 for %s, writing nothing", (_name, args, pattern) => {
    const dir = tmp();
    const r = run(["lint", join(ROOT, SEED, "good.yaml"), ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("writes no file at all when the input is bad", () => {
    const dir = tmp();
    const r = run([
      "lint",
      `${SEED}/good.yaml`,
      "missing.yaml",
      "--format",
      `sarif=${join(dir, "a.sarif")}`,
      "--format",
      `json=${join(dir, "b.json")}`,
    ]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, "a.sarif"))).toBe(false);
    expect(existsSync(join(dir, "b.json"))).toBe(false);
  });
});

describe("repository root of SARIF and GitHub paths", () => {
  function repo(): string {
    const dir = tmp();
    mkdirSync(join(dir, "infra/stacks"), { recursive: true });
    cpSync(join(ROOT, SEED, "private-dns-off.yaml"), join(dir, "infra/stacks/app.yaml"));
    return dir;
  }

  it("defaults to the repository root above the working directory", () => {
    const dir = repo();
    const git = spawnSync("git", ["init", "-q", dir]);
    expect(git.status).toBe(0);
    const r = run(["lint", "app.yaml", "--format", "github"], { cwd: join(dir, "infra/stacks") });
    expect(r.stdout).toMatch(/^::error file=infra\/stacks\/app\.yaml,line=\d+/);
  });

  it("is the working directory outside git, and --sarif-root when given", () => {
    const dir = repo();
    const cwd = join(dir, "infra");
    expect(run(["lint", "stacks/app.yaml", "--format", "github"], { cwd }).stdout).toMatch(/^::error file=stacks\/app\.yaml,/);
    expect(run(["lint", "stacks/app.yaml", "--format", "github", "--sarif-root", ".."], { cwd }).stdout).toMatch(
      /^::error file=infra\/stacks\/app\.yaml,/,
    );
  });

  it("keeps a file outside the root as given and says so in the SARIF", () => {
    const dir = repo();
    cpSync(join(dir, "infra/stacks/app.yaml"), join(dir, "infra/app.yaml"));
    const r = run(["lint", "../app.yaml", "--format", "sarif", "--sarif-root", "."], { cwd: join(dir, "infra/stacks") });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: "../app.yaml" });
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual(
      expect.objectContaining({ descriptor: { id: "outside-repository-root" } }),
    );
    expect(absolutePaths(sarif, [dir])).toEqual([]);
  });
});

describe("configuration in CI", () => {
  function project(config: string): string {
    const dir = tmp();
    writeFileSync(join(dir, "t.yaml"), readFileSync(join(ROOT, SEED, "private-dns-off.yaml")));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), config);
    return dir;
  }

  it("a config suppression passes the run and stays in SARIF with its reason", () => {
    const dir = project("ignore:\n  - id: SD402\n    resource: rSsm*\n    reason: the hub VPC resolves ssmmessages\n");
    const r = run(["lint", "t.yaml", "--format", "sarif", "--sarif-root", "."], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results[0].suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "the hub VPC resolves ssmmessages (.ssm-doctor.yaml)" },
    ]);
  });

  it("an expired entry no longer suppresses and says so in human, JSON and SARIF", () => {
    const dir = project("ignore:\n  - id: SD402\n    reason: until the migration\n    expires: 2020-01-31\n");
    const human = run(["lint", "t.yaml", "--format", "human", "--format", "json=r.json", "--format", "sarif=r.sarif"], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("warning: the suppression of SD402 in .ssm-doctor.yaml expired on 2020-01-31; it no longer applies");
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).files[0].expiredSuppressions).toEqual([
      { ruleId: "SD402", resource: null, expires: "2020-01-31", source: ".ssm-doctor.yaml" },
    ]);
    const sarif = JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8"));
    expect(sarif.runs[0].results[0].suppressions).toBeUndefined();
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual(
      expect.objectContaining({ descriptor: { id: "expired-suppression" } }),
    );
  });

  it("failOn and severity overrides from the config decide the exit code; --fail-on wins", () => {
    const dir = project("severity:\n  SD402: warning\n");
    expect(run(["lint", "t.yaml"], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "failOn: warning\nseverity:\n  SD402: warning\n");
    expect(run(["lint", "t.yaml"], { cwd: dir }).code).toBe(1);
    expect(run(["lint", "t.yaml", "--fail-on", "error"], { cwd: dir }).code).toBe(0);
  });

  it.each([
    ["severity:\n  SD402: loud\n", /invalid configuration at severity\.SD402: /],
    ["severity:\n  no-such-rule: off\n", /invalid configuration at severity\.no-such-rule: no rule named no-such-rule/],
    [
      "ignore:\n  - id: SD402\n    reason: x y z\n    expires: 2027-02-30\n",
      /invalid configuration at ignore\.0\.expires: a date that exists/,
    ],
    ["ignore:\n  - id: SD402\n    reason: ok here\n    until: 2027-01-01\n", /invalid configuration at ignore\.0\.until: unknown key/],
  ])("a bad config names the key path and exits 2: %j", (config, pattern) => {
    const r = run(["lint", "t.yaml"], { cwd: project(config) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
  });
});

describe("defaultRepoRoot", () => {
  it("is the nearest folder holding .git, a folder or a worktree's file, and the working directory outside any", () => {
    const outside = tmp();
    expect(defaultRepoRoot(outside)).toBe(outside);
    const repo = tmp();
    mkdirSync(join(repo, ".git"));
    mkdirSync(join(repo, "infra/stacks"), { recursive: true });
    expect(defaultRepoRoot(join(repo, "infra/stacks"))).toBe(repo);
    expect(defaultRepoRoot(repo)).toBe(repo);
    // A worktree or submodule inside it has a .git file: it is the nearer root.
    const worktree = join(repo, "infra/module");
    mkdirSync(worktree);
    writeFileSync(join(worktree, ".git"), "gitdir: ../../.git/worktrees/module\n");
    expect(defaultRepoRoot(worktree)).toBe(worktree);
  });

  it("agrees with git rev-parse --show-toplevel in a repository git made", () => {
    const dir = tmp();
    expect(spawnSync("git", ["init", "-q", dir]).status).toBe(0);
    mkdirSync(join(dir, "a/b"), { recursive: true });
    const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: join(dir, "a/b"), encoding: "utf8" }).stdout.trim();
    expect(realpathSync(defaultRepoRoot(join(dir, "a/b")))).toBe(realpathSync(top));
  });
});
