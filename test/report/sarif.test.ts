/**
 * SARIF for GitHub code scanning: every fixture and corpus template gives SARIF that validates against
 * the OASIS 2.1.0 schema and holds no absolute path; rules, results, regions, related locations,
 * suppressions, notifications and the per-run cap are as DESIGN section 6 lists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { repoPathMapper } from "../../src/cli/output.js";
import type { RunResult } from "../../src/engine/run.js";
import { known } from "../../src/model/index.js";
import { fullRegion, SARIF_SCHEMA, toSarif } from "../../src/report/sarif.js";
import { lintText } from "../helpers/lint.js";
import { absolutePaths, sarifValidator } from "../helpers/sarif.js";
import { lintPlanText } from "../helpers/terraform.js";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "fixtures/cloudformation");
const CORPUS = join(ROOT, "../shared/corpus/cfn");
const TOOL = { name: "ssm-doctor", version: "0.0.0-test" };
const validate = sarifValidator();
const mapper = repoPathMapper(ROOT, ROOT);
const FORBIDDEN = [ROOT, "/work/", tmpdir()];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.(ya?ml|json|template)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Lint a file named as a user in the repository root would name it (relative to ROOT). */
function lintRelative(abs: string, options: Parameters<typeof lintText>[2] = {}): { file: string; result: RunResult } {
  const file = relative(ROOT, abs);
  const text = readFileSync(abs, "utf8");
  const dhmc = /#\s*dhmc:\s*(enabled|disabled)/.exec(text)?.[1];
  return { file, result: lintText(file, text, { ...(dhmc ? { dhmc: known({ enabled: dhmc === "enabled" }) } : {}), ...options }) };
}

function sarifOf(results: { file: string; result: RunResult }[], maxResultsPerRun?: number) {
  return toSarif(results, { rules: RULES, tool: TOOL, repoPath: mapper, ...(maxResultsPerRun ? { maxResultsPerRun } : {}) });
}

const fixtureFiles = walk(FIXTURES).sort();
const corpusFiles = existsSync(CORPUS) ? walk(CORPUS).sort() : [];

describe("SARIF validates and holds no absolute path", () => {
  it("has fixtures and corpus files to check", () => {
    expect(fixtureFiles.length).toBeGreaterThan(30);
    expect(corpusFiles.length).toBeGreaterThan(20);
  });

  it("the validator rejects invalid SARIF (so a pass means something)", () => {
    const sarif = sarifOf([lintRelative(join(ROOT, "examples/broken-private-subnet.yaml"))]);
    const broken = JSON.parse(JSON.stringify(sarif));
    broken.runs[0].results[0].level = "fatal";
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].bogus = true;
    expect(validate(broken).length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtureFiles.map((f) => [relative(FIXTURES, f), f]))("fixture %s", (_name, abs) => {
    const sarif = sarifOf([lintRelative(abs)]);
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, FORBIDDEN)).toEqual([]);
    for (const result of sarif.runs.flatMap((r) => r.results)) {
      const uri = result.locations[0]?.physicalLocation?.artifactLocation;
      expect(uri?.uriBaseId).toBe("%SRCROOT%");
      expect(uri?.uri).toBe(relative(ROOT, abs));
    }
  });

  it.each(corpusFiles.map((f) => [relative(CORPUS, f), f]))("corpus %s", (_name, abs) => {
    const sarif = sarifOf([lintRelative(abs)]);
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, FORBIDDEN)).toEqual([]);
    // The corpus lies outside the repository root: the path stays as given, and a notification says so.
    if (sarif.runs[0]!.results.length > 0) {
      const notes = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.descriptor.id);
      expect(notes).toContain("outside-repository-root");
    }
  });
});

const TF_FIXTURES = join(ROOT, "fixtures/terraform");
const TF_CORPUS = join(ROOT, "../shared/corpus/tfplan");
const planCases = readdirSync(TF_FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(TF_FIXTURES, e.name, "plan.json")))
  .map((e) => e.name)
  .sort();
const corpusPlans = existsSync(TF_CORPUS) ? walk(TF_CORPUS).sort() : [];

describe("SARIF of Terraform plans validates and holds no absolute path", () => {
  it("has plan fixtures and corpus plans to check", () => {
    expect(planCases.length).toBeGreaterThan(20);
    expect(corpusPlans.length).toBeGreaterThan(20);
  });

  it.each(planCases)("fixture %s with --tf-root points into main.tf", (name) => {
    const dir = join(TF_FIXTURES, name);
    const file = relative(ROOT, join(dir, "plan.json"));
    const result = lintPlanText(file, readFileSync(join(dir, "plan.json"), "utf8"), { tfRoot: relative(ROOT, dir), cwd: ROOT });
    const sarif = sarifOf([{ file, result }]);
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, FORBIDDEN)).toEqual([]);
    expect(sarif.runs.every((r) => r.automationDetails.id === "ssm-doctor/terraform/")).toBe(true);
    for (const result of sarif.runs.flatMap((r) => r.results)) {
      expect(result.locations[0]?.physicalLocation?.artifactLocation?.uri).toMatch(/\.tf$/);
    }
  });

  it.each(corpusPlans.map((f) => [relative(TF_CORPUS, f), f]))("corpus %s", (_name, abs) => {
    const file = relative(ROOT, abs);
    let result: RunResult;
    try {
      result = lintPlanText(file, readFileSync(abs, "utf8"));
    } catch (e) {
      // A malformed input is exit 2 before any report (tested in test/corpus/terraform.test.ts).
      expect((e as Error).name).toBe("InputError");
      return;
    }
    const sarif = sarifOf([{ file, result }]);
    expect(validate(sarif)).toEqual([]);
    expect(absolutePaths(sarif, FORBIDDEN)).toEqual([]);
  });
});

describe("SARIF content", () => {
  const failing = lintRelative(join(ROOT, "examples/broken-private-subnet.yaml"));
  const sarif = sarifOf([failing]);
  const run = sarif.runs[0]!;

  it("names the schema, version, tool and one run per source kind", () => {
    expect(sarif.$schema).toBe(SARIF_SCHEMA);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    expect(run.automationDetails.id).toBe("ssm-doctor/cloudformation/");
    expect(run.tool.driver).toMatchObject({ name: "ssm-doctor", version: "0.0.0-test", semanticVersion: "0.0.0-test" });
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
  });

  it("describes every rule with help, a help URI to its page, a level, tags and precision", () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.text).toContain(`# ${rule.id} ${rule.name}`);
      expect(rule.help.markdown).toContain("## The fix");
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
      expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
      expect(rule.properties.tags).toContain("session-manager");
      expect(rule.properties.precision).toBe("high");
    }
  });

  it("gives each result its rule index, level, a standalone first sentence, one located primary location and fingerprints", () => {
    expect(run.results.length).toBe(failing.result.findings.length);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.level).toBe("error");
      expect(result.kind).toBe("fail");
      expect(result.message.text).toMatch(/^[A-Z][^\n]*[.:;]/);
      expect(result.locations).toHaveLength(1);
      const region = result.locations[0]!.physicalLocation!.region;
      for (const n of [region.startLine, region.startColumn, region.endLine, region.endColumn]) expect(n).toBeGreaterThanOrEqual(1);
      expect(result.partialFingerprints["ssmDoctor/v1"]).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("adds the affected instance as a related location with an id and a message", () => {
    const sd401 = run.results.find((r) => r.ruleId === "SD401")!;
    expect(sd401.relatedLocations).toEqual([
      expect.objectContaining({
        id: 1,
        message: { text: "affected instance: AppInstance" },
        physicalLocation: expect.objectContaining({ region: expect.objectContaining({ startLine: 80 }) }),
      }),
    ]);
  });

  it("reports an unknown verdict as a note of kind review", () => {
    const text = readFileSync(join(ROOT, "fixtures/cloudformation/seed-000/good.yaml"), "utf8").replace(
      /ImageId: .*/,
      "ImageId: ami-0123456789abcdef0",
    );
    const result = lintText("t.yaml", text);
    const unknown = sarifOf([{ file: "t.yaml", result }]).runs[0]!.results.find((r) => r.properties.verdict === "unknown");
    expect(unknown).toMatchObject({ ruleId: "SD103", level: "note", kind: "review" });
  });

  it("keeps suppressed findings with their justification (inSource for Metadata, external for the config)", () => {
    const inline = sarifOf([lintRelative(join(FIXTURES, "suppressions/metadata-ignore.yaml"))]).runs[0]!.results;
    expect(inline).toHaveLength(1);
    expect(inline[0]!.suppressions).toEqual([
      expect.objectContaining({
        kind: "inSource",
        status: "accepted",
        justification: "egress goes through the inspection proxy, opened by the network team (resource Metadata)",
      }),
    ]);
    expect(inline[0]!.suppressions![0]!.location?.physicalLocation?.artifactLocation.uri).toBe(
      "fixtures/cloudformation/suppressions/metadata-ignore.yaml",
    );
    const external = sarifOf([
      lintRelative(join(FIXTURES, "seed-000/private-dns-off.yaml"), {
        suppressions: [{ ruleId: "SD402", reason: "resolved by the hub VPC's hosted zone", source: ".ssm-doctor.yaml" }],
      }),
    ]).runs[0]!.results;
    expect(external[0]!.suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "resolved by the hub VPC's hosted zone (.ssm-doctor.yaml)" },
    ]);
  });

  it("reports expired suppressions and source notes as notifications", () => {
    const expired = lintRelative(join(FIXTURES, "seed-000/private-dns-off.yaml"), {
      suppressions: [{ ruleId: "SD402", reason: "until the migration", expires: "2025-06-30", source: ".ssm-doctor.yaml" }],
    });
    const sam = lintText("sam.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n");
    const notes = sarifOf([expired, { file: "sam.yaml", result: sam }]).runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes).toContainEqual(
      expect.objectContaining({
        level: "warning",
        descriptor: { id: "expired-suppression" },
        message: { text: expect.stringContaining("expired on 2025-06-30; it no longer applies") },
      }),
    );
    expect(notes).toContainEqual(expect.objectContaining({ level: "warning", descriptor: { id: "sam-transform" } }));
    expect(validate(sarifOf([expired]))).toEqual([]);
  });

  it("keeps at most the cap of results per run, the most severe, and says so", () => {
    const warning = lintRelative(join(FIXTURES, "seed-000/deprecated-policy.yaml"));
    expect(warning.result.findings.map((f) => f.severity)).toContain("warning");
    const capped = sarifOf([warning, failing], 3).runs[0]!;
    expect(capped.results).toHaveLength(3);
    expect(capped.results.every((r) => r.level === "error")).toBe(true);
    expect(capped.invocations[0]!.toolExecutionNotifications).toContainEqual(
      expect.objectContaining({
        descriptor: { id: "results-truncated" },
        message: { text: expect.stringMatching(/the 3 most severe are kept/) },
      }),
    );
  });

  it("keeps a finding that affects 1,200 instances under GitHub's 1,000 locations per result, and names every instance once", () => {
    const instances = Array.from(
      { length: 1200 },
      (_, i) =>
        `  App${i}:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0\n      SubnetId: !Ref Subnet\n`,
    );
    const text = `Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.0.0/20\n${instances.join("")}`;
    const fleet = { file: "fleet.yaml", result: lintText("fleet.yaml", text) };
    const sarif = sarifOf([fleet]);
    expect(validate(sarif)).toEqual([]);
    const noPath = sarif.runs[0]!.results.find((r) => r.ruleId === "SD201")!;
    const related = noPath.relatedLocations!;
    expect(noPath.locations.length + related.length).toBe(1000);
    expect(related.map((l) => l.id)).toEqual(related.map((_, i) => i + 1));
    // The evidence (the route table without a default route) stays; instances fill the rest.
    expect(related.some((l) => !l.message!.text.startsWith("affected instance"))).toBe(true);
    const named = related.filter((l) => l.message!.text.startsWith("affected instance")).length;
    expect(noPath.properties.instances).toHaveLength(1200);
    expect(noPath.properties.instancesWithoutRelatedLocation).toBe(1200 - named);
    // Small findings are untouched: one instance, no such property.
    const one = sarif.runs[0]!.results.find((r) => r.ruleId === "SD501")!;
    expect(one.properties).not.toHaveProperty("instancesWithoutRelatedLocation");
  });

  it("writes one run per source kind with its own automation id", () => {
    const terraform = { ...failing, result: { ...failing.result, world: { ...failing.result.world, source: "terraform" as const } } };
    const sarif2 = sarifOf([failing, terraform]);
    expect(sarif2.runs.map((r) => r.automationDetails.id)).toEqual(["ssm-doctor/cloudformation/", "ssm-doctor/terraform/"]);
    expect(validate(sarif2)).toEqual([]);
  });

  it("names a file outside the root by its base name when it was given as an absolute path", () => {
    const abs = join(tmpdir(), "outside", "template.yaml");
    const result = lintText(abs, readFileSync(join(FIXTURES, "seed-000/private-dns-off.yaml"), "utf8"));
    const sarif = sarifOf([{ file: abs, result }]);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation!.artifactLocation).toEqual({ uri: "template.yaml" });
    expect(absolutePaths(sarif, FORBIDDEN)).toEqual([]);
  });

  it("fills a region: lines and columns at least 1, end not before start", () => {
    expect(fullRegion(undefined)).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(fullRegion({ startLine: 7, startColumn: 0 })).toEqual({ startLine: 7, startColumn: 1, endLine: 7, endColumn: 1 });
    expect(fullRegion({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 2 })).toEqual({
      startLine: 3,
      startColumn: 5,
      endLine: 3,
      endColumn: 5,
    });
  });
});
