/**
 * The JSON report's paths are shared by instances whose paths read the same (json-paths.ts). Sharing must never
 * give an instance another's paths: every instance's array is its own paths' JSON, and two instances that differ
 * in any one word of their paths get two arrays.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import type { InstanceAnalysis } from "../../src/analysis/world-analysis.js";
import type { RunResult } from "../../src/engine/run.js";
import { known } from "../../src/model/index.js";
import { render, renderPieces } from "../../src/report/index.js";
import { jsonPaths, sharedPaths } from "../../src/report/json-paths.js";
import { lintFile } from "../helpers/lint.js";

const ROOT = join(import.meta.dirname, "../..");
const TOOL = { name: "ssm-doctor", version: "test" };

/** A result whose analysis holds `a` and a copy of it (deep, no object shared) under another key, changed by `change`. */
function withCopy(result: RunResult, a: InstanceAnalysis, change: (copy: InstanceAnalysis) => void): RunResult {
  const copy = structuredClone(a);
  copy.instance = { ...copy.instance, key: `${a.instance.key}-copy` };
  change(copy);
  return { ...result, analysis: { ...result.analysis, instances: [a, copy] } };
}

/** The paths the shared arrays give the instance and its copy. */
function pathsOf(result: RunResult, a: InstanceAnalysis) {
  const paths = sharedPaths(result, new WeakSet());
  return [paths(a.instance.key), paths(`${a.instance.key}-copy`)] as const;
}

describe("shared paths", () => {
  const result = lintFile(join(ROOT, "examples/broken-private-subnet.yaml"));
  const a = result.analysis.instances.find((x) => x.placements.some((p) => p.paths.some((q) => q.hops.some((h) => h.evidence.length > 0))));
  if (!a) throw new Error("the example has no instance with evidence on its paths");

  it("an instance and an unchanged deep copy share one array, their own paths", () => {
    const r = withCopy(result, a, () => {});
    const [mine, theirs] = pathsOf(r, a);
    expect(theirs).toBe(mine);
    expect(mine).toEqual(jsonPaths(r, a.instance.key));
  });

  // Each change touches one value the paths' text is made of; with it, the copy's text differs.
  const hopOf = (x: InstanceAnalysis) => x.placements.flatMap((p) => p.paths).flatMap((p) => p.hops);
  const withEvidence = (x: InstanceAnalysis) => hopOf(x).find((h) => h.evidence.length > 0)!;
  const changes: [string, (copy: InstanceAnalysis) => void][] = [
    ["a hop's verdict", (c) => Object.assign(hopOf(c)[0]!, { verdict: hopOf(c)[0]!.verdict === "pass" ? "fail" : "pass" })],
    ["a hop's resource", (c) => Object.assign(hopOf(c)[0]!, { subject: "sg-0somethingelse" })],
    ["a hop's id (and label)", (c) => Object.assign(hopOf(c)[0]!, { id: "custom-dns" })],
    [
      "an evidence argument",
      (c) => {
        const e = withEvidence(c).evidence[0]!;
        const args = e.args as unknown as Record<string, unknown>;
        const key = Object.keys(args).find((k) => typeof args[k] === "string")!;
        Object.assign(e, { args: { ...args, [key]: `${args[key]}-changed` } });
      },
    ],
    ["an unknown reason's message", (c) => Object.assign(hopOf(c)[0]!, { unknowns: [{ code: "outside", message: "not seen" }] })],
    ["an unknown reason's decision", (c) => Object.assign(hopOf(c)[0]!, { unknowns: [{ code: "outside", message: "", decide: "x" }] })],
    ["a path's verdict", (c) => Object.assign(c.placements[0]!.paths[0]!, { verdict: "unknown" })],
    ["a path's endpoint", (c) => Object.assign(c.placements[0]!.paths[0]!, { endpoint: "vpce-0other" })],
    ["a path's route", (c) => Object.assign(c.placements[0]!.paths[0]!, { route: "none" })],
    ["the subnet", (c) => Object.assign(c.placements[0]!, { subnet: known("subnet-0other") })],
    ["one more path", (c) => c.placements[0]!.paths.push(structuredClone(c.placements[0]!.paths[0]!))],
  ];

  /** The copy's paths read differently; the shared arrays must be two, each the instance's own. */
  function expectTwo(r: RunResult, x: InstanceAnalysis) {
    const copyKey = `${x.instance.key}-copy`;
    expect(jsonPaths(r, copyKey)).not.toEqual(jsonPaths(r, x.instance.key));
    const [mine, theirs] = pathsOf(r, x);
    expect(theirs).not.toBe(mine);
    expect(mine).toEqual(jsonPaths(r, x.instance.key));
    expect(theirs).toEqual(jsonPaths(r, copyKey));
  }

  it.each(changes)("%s: two arrays, each the instance's own paths", (_, change) => expectTwo(withCopy(result, a, change), a));

  it("instances of other subnets are not compared; a later instance like the first still shares its array", () => {
    const other = structuredClone(a);
    other.instance = { ...other.instance, key: `${a.instance.key}-other` };
    Object.assign(other.placements[0]!, { subnet: known("subnet-0other") });
    const near = structuredClone(a);
    near.instance = { ...near.instance, key: `${a.instance.key}-near` };
    Object.assign(hopOf(near)[0]!, { verdict: hopOf(near)[0]!.verdict === "pass" ? "fail" : "pass" });
    const same = structuredClone(a);
    same.instance = { ...same.instance, key: `${a.instance.key}-same` };
    const r = { ...result, analysis: { ...result.analysis, instances: [a, other, near, same] } };
    const shared = new WeakSet<object>();
    const paths = sharedPaths(r, shared);
    const [first, second, third, fourth] = [a, other, near, same].map((x) => paths(x.instance.key));
    expect(second).not.toBe(first);
    expect(third).not.toBe(first);
    expect(fourth).toBe(first);
    expect(shared.has(first!)).toBe(true);
    expect(shared.has(second!)).toBe(false);
    for (const x of [a, other, near, same]) expect(paths(x.instance.key)).toEqual(jsonPaths(r, x.instance.key));
  });

  it("a reason with an empty decision and one without: two arrays (the text is the same, the decision is not)", () => {
    const base = structuredClone(a);
    Object.assign(hopOf(base)[0]!, { unknowns: [{ code: "outside", message: "m" }] });
    expectTwo(
      withCopy(result, base, (c) => Object.assign(hopOf(c)[0]!.unknowns![0]!, { decide: "" })),
      base,
    );
  });
});

describe("the JSON report with shared paths", () => {
  const context = { rules: RULES, tool: TOOL, color: false, quiet: false, verbose: false };
  const dir = join(ROOT, "fixtures/cloudformation");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".json"))
    .map((f) => join(dir, f));

  it.each(files)("%s: every instance's paths are its own, and the pieces are render's text", (file) => {
    const result = lintFile(file);
    const paths = sharedPaths(result, new WeakSet());
    for (const i of result.instances) expect(paths(i.key)).toEqual(jsonPaths(result, i.key));
    const results = [{ file, result }];
    expect([...renderPieces("json", results, context)].join("")).toBe(render("json", results, context));
  });
});
