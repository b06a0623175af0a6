/**
 * The Mermaid paths of the Markdown report are valid Mermaid: checked with mermaid's own parser
 * (mermaid.parse, the flowchart grammar GitHub's renderer uses). mermaid needs a DOM for its HTML
 * sanitiser even to parse, so the test gives it one from jsdom; @mermaid-js/parser does not cover
 * flowcharts (its grammars are info, packet, pie, architecture, gitGraph, radar, treemap).
 */
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { compareRuns } from "../../src/engine/baseline.js";
import type { RunResult } from "../../src/engine/run.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { instancePathChart, mermaidText } from "../../src/report/mermaid.js";
import { lintFile } from "../helpers/lint.js";

type Mermaid = { parse(text: string, options?: { suppressErrors?: boolean }): Promise<unknown> };
let mermaid: Mermaid;

beforeAll(async () => {
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import("mermaid")).default as unknown as Mermaid;
});

/** Throws with mermaid's own message when the text is not a valid diagram. */
async function parse(text: string): Promise<void> {
  await mermaid.parse(text);
}

function charts(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

/** The same result with the instance renamed to `name` (names come from the input: addresses, tags). */
function renamed(result: RunResult, name: string): RunResult {
  const a = result.analysis.instances[0]!;
  return {
    ...result,
    analysis: { ...result.analysis, instances: [{ ...a, instance: { ...a.instance, name } }] },
  };
}

describe("Mermaid path charts", () => {
  it("the parser rejects a broken chart (so the checks below mean something)", async () => {
    await expect(parse('flowchart LR\n  a["x " y"] --> b')).rejects.toThrow(/Parse error/);
  });

  it("every failing instance of the broken example gets a valid chart with the failing stages red", async () => {
    const result = lintFile("examples/broken-private-subnet.yaml");
    const md = formatMarkdown([{ file: "examples/broken-private-subnet.yaml", result }], { rules: RULES });
    const found = charts(md);
    expect(found.length).toBe(result.instances.filter((i) => i.status === "fail").length);
    for (const chart of found) await parse(chart);
    expect(found[0]).toMatch(/class [a-z,]*dns[a-z,]* fail/);
    // A fleet's summary stays bounded: no more charts than maxCharts.
    expect(charts(formatMarkdown([{ file: "x.yaml", result }], { rules: RULES, maxCharts: 0 }))).toEqual([]);
  });

  it("in a change review the hop the change broke is marked new, and the chart parses", async () => {
    const base = lintFile("fixtures/diff/cloudformation/egress-kept.yaml");
    const change = lintFile("fixtures/diff/cloudformation/egress-dropped.yaml");
    const baseline = compareRuns({ file: "a", result: base }, { file: "b", result: change });
    expect(baseline.hopBreaks.map((b) => b.hop)).toEqual(["instance-sg-egress", "instance-sg-egress"]);
    const chart = instancePathChart(change, "rEc2Instance", baseline.hopBreaks)!;
    await parse(chart);
    expect(chart).toContain('sg["NEW: security groups<br/>rSecurityGroupEc2Instance"]');
    expect(chart).toContain("class sg fail");
    expect(chart).toContain("class sg new");
    expect(chart).toContain('iam["IAM"]');
  });

  it("hostile names from the input cannot break the graph or inject HTML", async () => {
    const result = lintFile("fixtures/cloudformation/instance-egress-blocked/bad-egress-wrong-port.yaml");
    for (const name of [
      'app"] --> x["pwned',
      "<img src=x onerror=alert(1)>",
      "a`b`c ${x} #35; &amp; |pipe| {curly} (paren) [bracket]",
      "line\nbreak\r\nand\ttab",
      'aws_instance.web["key; with %% comment"]',
      "ünïcødé ✓ 名前",
      "x".repeat(500),
    ]) {
      const chart = instancePathChart(renamed(result, name), result.analysis.instances[0]!.instance.key)!;
      await parse(chart);
      const label = /i\["([^"]*)"\]/.exec(chart)![1]!;
      expect(label).not.toMatch(/[<>"`\n[\]{}|]/);
      expect(label.length).toBeLessThan(400);
    }
    expect(mermaidText('a"b')).toBe("a#34;b");
  });
});
