/**
 * The conventions users of checkov, trivy, tflint and cfn-lint expect, through the built CLI: standard
 * input, quoted globs, --check / --skip-check, rules --format json, --color, SSM_DOCTOR_* variables,
 * --skip-path, help text, -q, and suppressed checks shown as suppressed.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const SEED = "fixtures/cloudformation/seed-000";
const GOOD = `${SEED}/good.yaml`;
const DNS_OFF = `${SEED}/private-dns-off.yaml`; // SD402, exit 1
const NO_POLICIES = `${SEED}/role-without-policies.yaml`; // SD503
const WRONG_REGION = "fixtures/cloudformation/endpoint-wrong-region/bad-service-name-other-region.yaml"; // unknown without --region
const AZ_WARNING = "fixtures/cloudformation/endpoint-not-in-instance-az/bad-endpoints-only-in-az-a.yaml"; // SD204 warnings
const SUPPRESSED = "fixtures/cloudformation/suppressions/metadata-ignore.yaml"; // SD301 suppressed in Metadata

interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
}

function run(args: string[], opts: RunOptions = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    ...(opts.input !== undefined ? { input: opts.input } : { stdio: ["ignore", "pipe", "pipe"] }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(r: { stdout: string }) {
  return JSON.parse(r.stdout) as {
    files: { file: string; source: string; findings: { ruleId: string; severity: string }[] }[];
  };
}

const ruleIds = (r: { stdout: string }) => json(r).files.flatMap((f) => f.findings.map((x) => x.ruleId));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "ssm-doctor-conv-"));
}

describe("lint - reads standard input", () => {
  it("lints a CloudFormation template from standard input, named <stdin>", () => {
    const r = run(["lint", "-"], { input: readFileSync(join(ROOT, DNS_OFF), "utf8") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("<stdin>");
    expect(r.stdout).toMatch(/SD402 endpoint-private-dns-off {2}<stdin>:65:\d+/);
  });

  it("detects a Terraform plan on standard input from its content", () => {
    const plan = readFileSync(join(ROOT, "fixtures/terraform/endpoint-private-dns-off/plan.json"), "utf8");
    const r = run(["lint", "-", "--format", "json"], { input: plan });
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.files.map((f) => [f.file, f.source])).toEqual([["<stdin>", "terraform"]]);
    expect(ruleIds(r)).toContain("SD402");
  });

  it("SARIF and GitHub annotations do not pretend <stdin> is a file in the repository", () => {
    const input = readFileSync(join(ROOT, DNS_OFF), "utf8");
    const sarif = JSON.parse(run(["lint", "-", "--format", "sarif"], { input }).stdout);
    const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(location).toEqual({ uri: "%3Cstdin%3E" });
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    expect(notes).toContain("<stdin> is standard input, no file in the repository, so GitHub cannot annotate it.");
    const github = run(["lint", "-", "--format", "github"], { input }).stdout;
    expect(github).toMatch(/^::error title=SD402 endpoint-private-dns-off::/);
    expect(github).not.toContain("file=");
  });

  it("lints standard input beside named files, and refuses - twice or an empty input", () => {
    const both = run(["lint", GOOD, "-", "--format", "json"], { input: readFileSync(join(ROOT, DNS_OFF), "utf8") });
    expect(json(both).files.map((f) => f.file)).toEqual([GOOD, "<stdin>"]);
    const twice = run(["lint", "-", "-"], { input: "" });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^ssm-doctor: - \(standard input\) can be given once\n$/);
    const baseline = run(["lint", "-", "--baseline", GOOD], { input: readFileSync(join(ROOT, DNS_OFF), "utf8") });
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/^ssm-doctor: --baseline compares files or folders/);
    const empty = run(["lint", "-"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^ssm-doctor: <stdin>: empty file/);
  });
});

describe("quoted globs", () => {
  function tree(): string {
    const dir = tempDir();
    for (const [path, from] of [
      ["templates/a/good.yaml", GOOD],
      ["templates/b/dns-off.yaml", DNS_OFF],
      ["templates/node_modules/pkg/bad.yaml", DNS_OFF],
      ["templates/legacy/old.yaml", DNS_OFF],
    ] as const) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      cpSync(join(ROOT, from), join(dir, path));
    }
    return dir;
  }

  it("expands a quoted ** glob as the shell would, sorted, without the skipped folders", () => {
    const dir = tree();
    const r = run(["lint", "templates/**/*.yaml", "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(json(r).files.map((f) => f.file)).toEqual(["templates/a/good.yaml", "templates/b/dns-off.yaml", "templates/legacy/old.yaml"]);
    const skipped = run(["lint", "templates/**/*.yaml", "--format", "json", "--skip-path", "legacy"], { cwd: dir });
    expect(json(skipped).files.map((f) => f.file)).toEqual(["templates/a/good.yaml", "templates/b/dns-off.yaml"]);
  });

  it("a glob over the .tf files of one folder lints that configuration once", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "infra"));
    cpSync(join(ROOT, "fixtures/terraform/endpoint-private-dns-off/main.tf"), join(dir, "infra/main.tf"));
    writeFileSync(join(dir, "infra/outputs.tf"), 'output "x" {\n  value = 1\n}\n');
    const r = run(["lint", "infra/*.tf", "--format", "json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(json(r).files.map((f) => f.file)).toEqual(["infra"]);
  });

  it("a glob matching nothing is exit 2 naming it", () => {
    const dir = tree();
    const r = run(["lint", "stacks/**/*.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("ssm-doctor: stacks/**/*.yaml: no file matches this pattern\n");
  });
});

describe("--skip-path and the folders skipped by default", () => {
  it("skips folders matching a glob, by name or by path, and never enters node_modules, dist or dot folders", () => {
    const dir = tempDir();
    for (const path of [
      "t/ok/good.yaml",
      "t/legacy/old.yaml",
      "t/envs/prod/old/x.yaml",
      "t/dist/built.yaml",
      "t/.cache/c.yaml",
      "t/node_modules/m.yaml",
    ]) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      cpSync(join(ROOT, path.startsWith("t/ok") ? GOOD : DNS_OFF), join(dir, path));
    }
    const all = run(["lint", "t", "--format", "json"], { cwd: dir });
    expect(json(all).files.map((f) => f.file)).toEqual(["t/envs/prod/old/x.yaml", "t/legacy/old.yaml", "t/ok/good.yaml"]);
    const r = run(["lint", "t", "--format", "json", "--skip-path", "legacy", "--skip-path", "envs/*/old"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r).files.map((f) => f.file)).toEqual(["t/ok/good.yaml"]);
  });

  it("lists the built-in skips in lint --help", () => {
    const help = run(["lint", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toContain("--skip-path <glob>");
    expect(help).toContain("always skipped: node_modules, dist, and names starting with a dot (.git, .terraform, …)");
  });
});

describe("--check and --skip-check", () => {
  it("--check runs only the named rules (ids or names), --skip-check leaves rules out", () => {
    const base = run(["lint", DNS_OFF, NO_POLICIES, "--format", "json"]);
    expect(new Set(ruleIds(base))).toEqual(new Set(["SD402", "SD503"]));
    expect(ruleIds(run(["lint", DNS_OFF, NO_POLICIES, "--format", "json", "--check", "SD402"]))).toEqual(["SD402"]);
    expect(ruleIds(run(["lint", DNS_OFF, NO_POLICIES, "--format", "json", "--check", "SD301,role-lacks-permissions"]))).toEqual(["SD503"]);
    const skipped = run(["lint", DNS_OFF, "--skip-check", "endpoint-private-dns-off", "--format", "json"]);
    expect(skipped.code).toBe(0);
    expect(ruleIds(skipped)).toEqual([]);
    expect(ruleIds(run(["lint", DNS_OFF, NO_POLICIES, "--format", "json", "--check", "SD402,SD503", "--skip-check", "SD503"]))).toEqual([
      "SD402",
    ]);
  });

  it("a prerequisite whose rule did not run is not shown as passed", () => {
    const r = run(["lint", GOOD, "--skip-check", "SD402"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("      ? DNS resolves the endpoints");
    expect(r.stdout).toContain("      ✓ HTTPS 443 allowed on every hop");
    expect(r.stdout).toContain("info: not verified, because rules that could fail them are turned off");
    expect(r.stdout).toContain("DNS resolves the endpoints (SD402)");
    // A warning-level rule cannot fail a prerequisite: leaving it out verifies no less.
    expect(run(["lint", GOOD, "--skip-check", "SD204"]).stdout).toContain("      ✓ Path to the service endpoints");
  });

  it("an unknown rule is exit 2 naming the closest", () => {
    const r = run(["lint", GOOD, "--check", "SD301,SD4O2"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("No rule SD4O2; the closest is SD402 (endpoint-private-dns-off)");
    const name = run(["lint", GOOD, "--skip-check", "instance-egres-blocked"]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain("the closest is SD301 (instance-egress-blocked)");
  });

  it("works with the configuration's severity: off stays off, unless --check names the rule", () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "severity:\n  SD402: off\n  SD503: warning\n");
    cpSync(join(ROOT, DNS_OFF), join(dir, "dns-off.yaml"));
    cpSync(join(ROOT, NO_POLICIES), join(dir, "no-policies.yaml"));
    const files = ["dns-off.yaml", "no-policies.yaml", "--format", "json"];
    expect(ruleIds(run(["lint", ...files], { cwd: dir }))).toEqual(["SD503"]);
    const checked = run(["lint", ...files, "--check", "SD402,SD503"], { cwd: dir });
    expect(json(checked).files.flatMap((f) => f.findings.map((x) => `${x.ruleId} ${x.severity}`))).toEqual([
      "SD402 error",
      "SD503 warning",
    ]);
    expect(ruleIds(run(["lint", ...files, "--skip-check", "SD503"], { cwd: dir }))).toEqual([]);
  });
});

describe("rules --format json", () => {
  it("lists every rule with its metadata, as docs/json-output.md says", () => {
    const r = run(["rules", "--format", "json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { schemaVersion: number; rules: Record<string, unknown>[] };
    expect(list.schemaVersion).toBe(1);
    const human = run(["rules"]).stdout;
    const ids = [...human.matchAll(/^(SD\d{3}) /gm)].map((m) => m[1]);
    expect(list.rules.map((x) => x.id)).toEqual(ids);
    expect(list.rules.find((x) => x.id === "SD301")).toMatchObject({
      id: "SD301",
      name: "instance-egress-blocked",
      prerequisite: "network",
      severity: "error",
      appliesTo: expect.arrayContaining(["cloudformation", "terraform", "live"]),
      helpUri: expect.stringMatching(/\/docs\/rules\/SD301\.md$/),
      title: expect.any(String),
      description: expect.any(String),
      onUnknown: expect.any(String),
      references: expect.any(Array),
    });
    expect(readFileSync(join(ROOT, "docs/json-output.md"), "utf8")).toContain("ssm-doctor rules --format json");
    expect(run(["rules", "--format", "xml"]).code).toBe(2);
  });
});

describe("--color auto|always|never", () => {
  const ESC = "\u001b[";
  it("always colours even a pipe and with NO_COLOR; never and --no-color do not even with FORCE_COLOR", () => {
    expect(run(["lint", GOOD, "--color", "always"], { env: { NO_COLOR: "1" } }).stdout).toContain(ESC);
    expect(run(["lint", GOOD, "--color", "never"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(run(["lint", GOOD, "--no-color"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
  });

  it("auto colours only a terminal (not this pipe) and honours NO_COLOR", () => {
    expect(run(["lint", GOOD, "--color", "auto"], { env: { NO_COLOR: "", FORCE_COLOR: "" } }).stdout).not.toContain(ESC);
    expect(run(["lint", GOOD], { env: { NO_COLOR: "", FORCE_COLOR: "" } }).stdout).not.toContain(ESC);
    expect(run(["lint", GOOD, "--color", "auto"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(run(["lint", GOOD, "--color", "sometimes"]).code).toBe(2);
  });
});

describe("SSM_DOCTOR_* environment variables", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "config.yaml"), "severity:\n  SD402: warning\n");
  const tf = "fixtures/terraform/endpoint-private-dns-off";

  it.each([
    ["SSM_DOCTOR_FORMAT", [DNS_OFF], ["--format", "json"], "json"],
    ["SSM_DOCTOR_FAIL_ON", [DNS_OFF], ["--fail-on", "never"], "never"],
    ["SSM_DOCTOR_REGION", [WRONG_REGION, "-f", "json"], ["--region", "eu-west-1"], "eu-west-1"],
    ["SSM_DOCTOR_AGENT_VERSION", [`${SEED}/ec2messages-endpoint-missing.yaml`], ["--agent-version", "3.0.0.0"], "3.0.0.0"],
    ["SSM_DOCTOR_DHMC", [`${SEED}/no-instance-profile.yaml`, "-f", "json"], ["--dhmc", "enabled"], "enabled"],
    ["SSM_DOCTOR_TF_ROOT", [`${tf}/plan.json`, "-f", "json"], ["--tf-root", tf], tf],
    ["SSM_DOCTOR_CONFIG", [DNS_OFF, "-f", "json"], ["--config", join(dir, "config.yaml")], join(dir, "config.yaml")],
    ["SSM_DOCTOR_QUIET", [GOOD, DNS_OFF], ["--quiet"], "1"],
    ["SSM_DOCTOR_STRICT", [WRONG_REGION], ["--strict"], "true"],
    ["SSM_DOCTOR_COLOR", [GOOD], ["--color", "always"], "always"],
    ["SSM_DOCTOR_CHECK", [DNS_OFF, NO_POLICIES, "-f", "json"], ["--check", "SD503"], "SD503"],
    ["SSM_DOCTOR_SKIP_CHECK", [DNS_OFF, NO_POLICIES, "-f", "json"], ["--skip-check", "SD503"], "SD503"],
  ])("%s works as its flag", (name, args, flag, value) => {
    const base = run(["lint", ...args]);
    const withFlag = run(["lint", ...args, ...flag]);
    const withEnv = run(["lint", ...args], { env: { [name]: value } });
    expect(withFlag.stdout !== base.stdout || withFlag.code !== base.code).toBe(true);
    expect(withEnv).toEqual(withFlag);
  });

  it("SSM_DOCTOR_OUTPUT writes the report to the file", () => {
    const out = join(tempDir(), "report.json");
    const r = run(["lint", DNS_OFF, "--format", "json"], { env: { SSM_DOCTOR_OUTPUT: out } });
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).files[0].file).toBe(DNS_OFF);
  });

  it("flags win over environment variables, which win over the configuration file", () => {
    const cwd = tempDir();
    cpSync(join(ROOT, DNS_OFF), join(cwd, "t.yaml"));
    writeFileSync(join(cwd, ".ssm-doctor.yaml"), "failOn: never\n");
    expect(run(["lint", "t.yaml"], { cwd }).code).toBe(0);
    expect(run(["lint", "t.yaml"], { cwd, env: { SSM_DOCTOR_FAIL_ON: "error" } }).code).toBe(1);
    expect(run(["lint", "t.yaml", "--fail-on", "never"], { cwd, env: { SSM_DOCTOR_FAIL_ON: "error" } }).code).toBe(0);
    cpSync(join(ROOT, GOOD), join(cwd, "good.yaml"));
    expect(run(["lint", "good.yaml"], { cwd, env: { SSM_DOCTOR_QUIET: "0" } }).stdout).toContain("✓ rEc2Instance");
    expect(run(["lint", "good.yaml", "--quiet"], { cwd, env: { SSM_DOCTOR_QUIET: "0" } }).stdout).not.toContain("✓ rEc2Instance");
  });

  it.each([
    ["SSM_DOCTOR_FAIL_ON", "sometimes"],
    ["SSM_DOCTOR_COLOR", "rainbow"],
    ["SSM_DOCTOR_DHMC", "perhaps"],
    ["SSM_DOCTOR_FORMAT", "yaml"],
    ["SSM_DOCTOR_CHECK", "SD999"],
    ["SSM_DOCTOR_QUIET", "maybe"],
    ["SSM_DOCTOR_STRICT", "2"],
  ])("an invalid %s is exit 2 naming the variable", (name, value) => {
    const r = run(["lint", GOOD], { env: { [name]: value } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(name);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("check takes its options from the environment too", () => {
    const help = run(["check", "--help"]).stdout;
    for (const name of ["SSM_DOCTOR_FORMAT", "SSM_DOCTOR_REGION", "SSM_DOCTOR_CONFIG", "SSM_DOCTOR_CHECK", "SSM_DOCTOR_QUIET"])
      expect(help).toContain(name);
    const r = run(["check", "--instance", "i-0123456789abcdef0"], { env: { SSM_DOCTOR_FAIL_ON: "loud" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SSM_DOCTOR_FAIL_ON");
  });
});

describe("help text", () => {
  /** The description: the lines between "Usage:" and the first section heading. */
  function descriptionParagraphs(help: string): string[][] {
    const lines = help.split("\n");
    const end = lines.findIndex((l) => /^(Arguments|Options):$/.test(l));
    return lines
      .slice(1, end)
      .join("\n")
      .trim()
      .split(/\n\s*\n/)
      .map((p) => p.split("\n"));
  }

  it.each([["lint"], ["check"]])(
    "%s --help: no doubled defaults, --debug listed, descriptions wrapped whole, examples at the end",
    (command) => {
      const help = run([command, "--help"]).stdout;
      expect(help).not.toMatch(/\(default: ([^)]*)\) \(default: \1\)/);
      expect(help).not.toContain("(default: [])");
      expect(help).toMatch(/^ {2}--debug +show stack traces/m);
      // Wrapped by the help formatter, not by hand: only a paragraph's last line may be short.
      for (const paragraph of descriptionParagraphs(help))
        for (const line of paragraph.slice(0, -1)) expect(line.length, `"${line}" ends a line mid-sentence`).toBeGreaterThanOrEqual(60);
      const examples = help.indexOf("\nExamples:\n");
      expect(examples).toBeGreaterThan(help.indexOf("\nOptions:\n"));
      expect(help.slice(examples)).toMatch(new RegExp(`\\n {2}ssm-doctor ${command} `));
    },
  );

  it.each(["--help", "rules --help", "explain --help"])("ssm-doctor %s: descriptions wrapped whole", (args) => {
    const help = run(args.split(" ")).stdout;
    for (const paragraph of descriptionParagraphs(help))
      for (const line of paragraph.slice(0, -1)) expect(line.length, `"${line}" ends a line mid-sentence`).toBeGreaterThanOrEqual(60);
  });

  it("check --help shows each default once", () => {
    const help = run(["check", "--help"]).stdout;
    expect(help.match(/\(default: 16\)/g)).toHaveLength(1);
    expect(help.match(/\(default: 10\)/g)).toHaveLength(1);
  });
});

describe("-q does what its help says", () => {
  it("prints only instances that will not connect, errors and warnings, and the summary", () => {
    expect(run(["lint", "--help"]).stdout.replace(/\s+/g, " ")).toContain(
      "-q, --quiet human format: print only the instances that will not connect, errors and warnings, and the summary line",
    );
    const r = run(["lint", GOOD, WRONG_REGION, AZ_WARNING, DNS_OFF, "--quiet"]);
    expect(r.code).toBe(1);
    const instanceLines = r.stdout.split("\n").filter((l) => /^ {2}[✓✗!?~] /.test(l));
    expect(instanceLines).toHaveLength(1);
    expect(instanceLines[0]).toMatch(/^ {2}✗ rEc2Instance \(instance, fixtures\/cloudformation\/seed-000\/private-dns-off\.yaml:/);
    expect(r.stdout).not.toContain(`${GOOD}\n`);
    expect(r.stdout).not.toContain(`${WRONG_REGION}\n`);
    expect(r.stdout).not.toMatch(/^ {2}(unknown|note|info)\b/m);
    expect(r.stdout).toMatch(/^ {2}warning SD204 /m);
    expect(r.stdout).toMatch(/^ {2}error {3}SD402 /m);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^4 instances: /);
  });
});

describe("a suppressed failure is shown as suppressed, never as passed", () => {
  it("human: its own mark, explained in a legend", () => {
    const r = run(["lint", SUPPRESSED]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("      ~ HTTPS 443 allowed on every hop");
    expect(r.stdout).not.toContain("✓ HTTPS 443 allowed on every hop");
    expect(r.stdout).toContain("~ suppressed: fails, but a suppression with a reason accepts it");
    expect(r.stdout).toMatch(/^ {2}~ rEc2Instance .*: Session Manager should connect if the suppressed findings are right$/m);
    expect(r.stdout).toContain("1 instance: 0 will connect, 0 will not, 0 unknown, 1 relying on suppressions");
    // A report with nothing suppressed has no legend.
    expect(run(["lint", GOOD]).stdout).not.toContain("~ suppressed");
  });

  it("Markdown and JUnit: suppressed, not passed", () => {
    const md = run(["lint", SUPPRESSED, "--format", "markdown"]).stdout;
    expect(md).toContain("| 🔕 | HTTPS 443 allowed on every hop | suppressed: fails, accepted by a suppression with a reason |");
    const junit = run(["lint", SUPPRESSED, "--format", "junit"]).stdout;
    expect(junit).toMatch(
      /name="rEc2Instance: HTTPS 443 allowed on every hop"[^>]*>\s*<skipped message="suppressed \(resource Metadata\): egress goes through the inspection proxy/,
    );
    const report = JSON.parse(run(["lint", SUPPRESSED, "--format", "json"]).stdout);
    expect(report.files[0].instances[0].status).toBe("suppressed");
    expect(report.summary).toMatchObject({ connect: 0, suppressedInstances: 1, suppressed: 1 });
  });
});
