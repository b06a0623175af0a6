/**
 * The JSON report written in pieces is the text JSON.stringify(report, null, 2) gives, byte for byte: for every
 * shape JSON.stringify treats specially, at every depth the pieces are cut to, and for the reports of fixtures.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { type FileResult, render, renderPieces } from "../../src/report/index.js";
import { jsonPieces } from "../../src/report/json-pieces.js";
import { lintText } from "../helpers/lint.js";

const ROOT = join(import.meta.dirname, "../..");

const SHAPES: [string, unknown][] = [
  ["empty object", {}],
  ["empty array", []],
  ["empty containers inside", { a: [], b: {}, c: [[], {}] }],
  ["what an array writes as null", [undefined, () => 1, Symbol("s"), null, Number.NaN, Number.POSITIVE_INFINITY]],
  ["what an object leaves out", { u: undefined, f: () => 1, s: Symbol("s"), kept: 0 }],
  ["toJSON", { when: new Date(0), custom: { toJSON: (key: string) => ({ key }) } }],
  ["a class instance and a null prototype", { map: new Map([[1, 2]]), bare: Object.assign(Object.create(null), { x: 1 }) }],
  ["strings that need escapes", { 'k"ey\n': ["a\nb", "\u2028", "✓ → ✗", "\\"] }],
  ["deep nesting", { a: { b: { c: { d: { e: { f: [1, { g: [2, 3] }] } } } } } }],
  ["scalars", 5],
  ["a string", "text"],
  ["null", null],
];

describe("jsonPieces", () => {
  it.each(SHAPES)("%s: the same text as JSON.stringify at every depth", (_, value) => {
    for (const depth of [0, 1, 2, 3, 4, 8]) expect([...jsonPieces(value, depth)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("any JSON value, nested to any depth: the same text as JSON.stringify at every depth the pieces are cut to", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        for (const depth of [0, 1, 2, 3, 5, 9]) expect([...jsonPieces(value, depth)].join("")).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it("a large document is made while it is written: the first pieces come before its last elements are laid out", () => {
    let laidOut = 0;
    const instance = (i: number) => ({
      toJSON: () => {
        laidOut++;
        return { key: `i-${i}`, paths: [{ hops: ["x".repeat(900)] }] };
      },
    });
    const value = { files: [{ instances: Array.from({ length: 3000 }, (_, i) => instance(i)) }] };
    const pieces = jsonPieces(value);
    const first = pieces.next();
    expect(first.done).toBe(false);
    expect(laidOut).toBeGreaterThan(0);
    expect(laidOut).toBeLessThan(3000);
    const text = [first.value as string, ...pieces].join("");
    expect(laidOut).toBe(3000);
    expect(text).toBe(JSON.stringify(value, null, 2));
  });

  it("an object given as shared is the same text wherever it stands, at any depth and indentation", () => {
    const hops = [{ id: "route", evidence: [{ code: "x", arguments: { a: 1 } }] }, [], {}];
    const empty: unknown[] = [];
    const value = { a: [hops, { hops, more: [hops] }], b: hops, c: [empty, empty], d: { toJSON: () => hops } };
    const shared = new WeakSet<object>([hops, empty]);
    for (const depth of [0, 1, 2, 3, 4, 8]) expect([...jsonPieces(value, depth, shared)].join("")).toBe(JSON.stringify(value, null, 2));
  });
});

describe("renderPieces", () => {
  const context = { rules: RULES, tool: { name: "ssm-doctor", version: "test" }, color: false, quiet: false, verbose: false };
  const results: FileResult[] = ["examples/broken-private-subnet.yaml", "examples/private-subnet-endpoints.yaml"].map((file) => ({
    file,
    result: lintText(file, readFileSync(join(ROOT, file), "utf8")),
  }));

  it("a fleet's instances and findings are made as they are written, not all before the first piece", () => {
    const lines = ["Resources:", "  Vpc:", "    Type: AWS::EC2::VPC", "    Properties: { CidrBlock: 10.0.0.0/16 }"];
    lines.push("  Subnet:", "    Type: AWS::EC2::Subnet", "    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/20 }");
    for (let i = 0; i < 1500; i++)
      lines.push(`  App${i}:`, "    Type: AWS::EC2::Instance", "    Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet }");
    const result = lintText("fleet.yaml", `${lines.join("\n")}\n`);
    // Each instance counts when its report entry is made (its checks are read for it, and only for it).
    let made = 0;
    const instances = result.instances.map((i) =>
      Object.defineProperty({ ...i }, "checks", {
        enumerable: true,
        get: () => {
          made++;
          return i.checks;
        },
      }),
    );
    const fleet: FileResult[] = [{ file: "fleet.yaml", result: { ...result, instances } }];
    const pieces = renderPieces("json", fleet, context)[Symbol.iterator]();
    const first = pieces.next();
    expect(first.done).toBe(false);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(instances.length / 2);
    const rest: string[] = [];
    for (let p = pieces.next(); !p.done; p = pieces.next()) rest.push(p.value);
    expect(made).toBe(instances.length);
    expect(first.value + rest.join("")).toBe(render("json", fleet, context));
  });

  it("the JSON report in pieces is render's text; every other format is render's text in one piece", () => {
    expect([...renderPieces("json", results, context)].join("")).toBe(render("json", results, context));
    for (const format of ["human", "sarif", "github", "markdown", "junit"] as const)
      expect([...renderPieces(format, results, context)]).toEqual([render(format, results, context)]);
  });
});
