/**
 * Every format, for a failing and a passing fixture, against a committed snapshot (the version string
 * normalized), plus the escaping each format owes its consumer.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { escapeData, escapeProperty, formatGithub, workflowCommand } from "../../src/report/github.js";
import { type FileResult, FORMATS, render } from "../../src/report/index.js";
import { escapeXml, formatJunit } from "../../src/report/junit.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { escapeMarkdown } from "../../src/report/markdown-finding.js";
import { lintText } from "../helpers/lint.js";

const ROOT = join(import.meta.dirname, "../..");
const EXT: Record<string, string> = { human: "txt", json: "json", sarif: "sarif", github: "txt", markdown: "md", junit: "xml" };

function lint(path: string, options: Parameters<typeof lintText>[2] = {}): FileResult {
  const file = relative(ROOT, join(ROOT, path));
  return { file, result: lintText(file, readFileSync(join(ROOT, path), "utf8"), options) };
}

/**
 * The SARIF snapshot leaves out the rule descriptors and rule indexes, which change with every rule
 * added (sarif.test.ts checks them, and the docs test their text).
 */
function stable(format: string, text: string): string {
  if (format !== "sarif") return text;
  const sarif = JSON.parse(text);
  for (const run of sarif.runs) {
    run.tool.driver.rules = "(one descriptor per rule)";
    for (const result of run.results) delete result.ruleIndex;
  }
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function renderAll(format: (typeof FORMATS)[number], results: FileResult[]): string {
  return render(format, results, {
    rules: RULES,
    tool: { name: "ssm-doctor", version: "0.0.0-test" },
    color: false,
    quiet: false,
    verbose: false,
  });
}

const CASES = {
  failing: "examples/broken-private-subnet.yaml",
  passing: "examples/private-subnet-endpoints.yaml",
} as const;

describe.each(Object.entries(CASES))("%s fixture", (name, path) => {
  const results = [lint(path)];
  it.each([...FORMATS])("%s matches its snapshot", async (format) => {
    const text = renderAll(format, results);
    // A passing input gives no workflow commands at all; every other format says something.
    if (name === "passing" && format === "github") expect(text).toBe("");
    else expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(ROOT);
    await expect(stable(format, text)).toMatchFileSnapshot(`__snapshots__/${name}.${format}.${EXT[format]}`);
  });
});

describe("json", () => {
  it("carries each instance's paths hop by hop: verdict, resource and evidence, as codes and in words", () => {
    const report = JSON.parse(renderAll("json", [lint(CASES.failing)]));
    const paths = report.files[0].instances[0].paths;
    expect(paths.map((p: { service: string; verdict: string }) => `${p.service}:${p.verdict}`)).toEqual(["ssm:fail", "ssmmessages:fail"]);
    const ssm = paths[0];
    expect(ssm).toMatchObject({ route: "endpoint", routeText: "endpoint SsmEndpoint", endpoint: "SsmEndpoint" });
    expect(ssm.hops[0]).toMatchObject({
      id: "endpoint-type",
      label: "type",
      verdict: "fail",
      resource: { key: "SsmEndpoint", name: "SsmEndpoint" },
      evidence: [{ code: "endpoint-type", text: "SsmEndpoint: type Gateway" }],
      unknowns: [],
    });
    const dns = paths[1].hops.find((h: { id: string }) => h.id === "vpc-dns-hostnames");
    expect(dns).toMatchObject({ verdict: "fail", resource: { key: "Vpc" }, evidence: [{ text: "Vpc: EnableDnsHostnames is false" }] });
  });
});

describe("github workflow commands", () => {
  it("escapes data: % CR LF", () => {
    expect(escapeData("100% sure\r\nnext")).toBe("100%25 sure%0D%0Anext");
  });

  it("escapes properties: also : and ,", () => {
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("builds a command with escaped properties and message, leaving out empty ones", () => {
    expect(workflowCommand("error", { file: "dir,x/t:1.yaml", line: 3, col: undefined, title: "SD301 x" }, "a\nb")).toBe(
      "::error file=dir%2Cx/t%3A1.yaml,line=3,title=SD301 x::a%0Ab",
    );
  });

  it("writes one command per unsuppressed finding, with the level, position and rule as title", () => {
    const failing = lint(CASES.failing);
    const lines = formatGithub([failing], { rules: RULES }).trimEnd().split("\n");
    expect(lines).toHaveLength(failing.result.findings.length);
    expect(lines[0]).toMatch(
      /^::error file=examples\/broken-private-subnet\.yaml,line=12,endLine=15,title=SD401 vpc-dns-disabled::Vpc has EnableDnsHostnames false/,
    );
    for (const line of lines) expect(line).not.toMatch(/\n|\r/);
  });

  it("gives columns only for a single-line region, and notices for unknowns", () => {
    const text = readFileSync(join(ROOT, "fixtures/cloudformation/seed-000/good.yaml"), "utf8").replace(
      /ImageId: .*/,
      "ImageId: ami-0123456789abcdef0",
    );
    const result = lintText("t.yaml", text);
    const out = formatGithub([{ file: "t.yaml", result }], { rules: RULES });
    expect(out).toMatch(/^::notice file=t\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=SD103 image-without-agent::/m);
  });

  it("leaves out suppressed findings and warns about expired suppressions", () => {
    const suppressed = lint("fixtures/cloudformation/suppressions/metadata-ignore.yaml");
    expect(formatGithub([suppressed], { rules: RULES })).toBe("");
    const expired = lint("fixtures/cloudformation/seed-000/private-dns-off.yaml", {
      suppressions: [{ ruleId: "SD402", reason: "until the migration", expires: "2025-06-30", source: ".ssm-doctor.yaml" }],
    });
    const out = formatGithub([expired], { rules: RULES });
    expect(out).toContain(
      "::warning title=ssm-doctor%3A expired suppression::The suppression of SD402 in .ssm-doctor.yaml expired on 2025-06-30",
    );
    expect(out).toMatch(/^::error file=.*title=SD402 endpoint-private-dns-off::/m);
  });
});

describe("markdown", () => {
  it("escapes names from the input: no HTML, no links, no table breaks", () => {
    expect(escapeMarkdown("<img src=x onerror=alert(1)> [x](http://evil) a|b *c*")).toBe(
      "&lt;img src=x onerror=alert(1)&gt; \\[x\\](http://evil) a\\|b \\*c\\*",
    );
  });

  it("shows the five prerequisites per instance and folds the fix into <details>", () => {
    const md = formatMarkdown([lint(CASES.failing)], { rules: RULES });
    expect(md).toContain("| ✅ | SSM Agent | pass |");
    expect(md).toContain("| ❌ | IAM permissions | fail |");
    expect(md).toContain("`examples/broken-private-subnet.yaml:12:3`");
    expect(md).toContain("<details><summary>Evidence and fix</summary>");
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it("caps the findings written in full and says how many more", () => {
    const md = formatMarkdown([lint(CASES.failing)], { rules: RULES, maxFindings: 2 });
    expect(md.match(/<details><summary>Evidence/g)).toHaveLength(2);
    expect(md).toContain("… and 3 more findings");
  });

  it("shows what was checked: each service's path hop by hop, with the resource and why", () => {
    const md = formatMarkdown([lint(CASES.failing)], { rules: RULES });
    expect(md).toContain("<details><summary>Path hop by hop</summary>");
    expect(md).toContain("- ❌ ssm via endpoint SsmEndpoint");
    expect(md).toContain("  - ❌ type (SsmEndpoint): SsmEndpoint: type Gateway");
    expect(md).toMatch(/ {2}- ❌ VPC DNS hostnames \(Vpc\): Vpc: EnableDnsHostnames is false/);
  });
});

describe("junit", () => {
  it("escapes XML and drops characters XML cannot hold", () => {
    expect(escapeXml(`a<b>&"c'\u0001\uD800`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
  });

  it("has one suite per file and one case per instance and prerequisite; failures for fails, skipped for unknowns", () => {
    const xml = formatJunit([lint(CASES.failing), lint(CASES.passing)], { rules: RULES });
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    expect(xml).toContain('<testsuites name="ssm-doctor" tests="10" failures="4" errors="0" skipped="0">');
    expect(xml).toMatch(/<failure message="[^"]+" type="SD503">/);
    const text = readFileSync(join(ROOT, "fixtures/cloudformation/seed-000/good.yaml"), "utf8").replace(
      /ImageId: .*/,
      "ImageId: ami-0123456789abcdef0",
    );
    const unknown = formatJunit([{ file: "t.yaml", result: lintText("t.yaml", text) }], { rules: RULES });
    expect(unknown).toMatch(/name="rEc2Instance: SSM Agent" file="t.yaml">\n\s+<skipped message="Whether the image of rEc2Instance/);
  });
});
