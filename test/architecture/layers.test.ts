/**
 * The layering holds: model < analysis < sources and engine < rules and report < cli. Nothing imports
 * from a layer above its own, no two files import each other (directly or around a loop), and the CLI
 * reaches the sources only through their registry, src/sources/index.ts. Every import counts: static,
 * type-only, re-exports and dynamic import().
 */
import { describe, expect, it } from "vitest";
import { type Import, importsOf, sourceFiles } from "./source-files.js";

/** What each layer may import (besides src/data and files outside src/ and rules/, such as package.json). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  model: ["model"],
  analysis: ["model", "analysis"],
  // Shared AWS facts live in the model, so a source never needs the analysis.
  sources: ["model", "sources"],
  engine: ["model", "analysis", "engine"],
  rules: ["model", "analysis", "engine", "rules"],
  report: ["model", "analysis", "engine", "report"],
  cli: ["model", "analysis", "sources", "engine", "rules", "report", "cli"],
};

/** The layer a file belongs to: `src/<layer>/…` or `rules/…`; undefined outside the layers (package.json). */
function layerOf(path: string): string | undefined {
  if (path.startsWith("rules/")) return "rules";
  const match = /^src\/([^/]+)\//.exec(path);
  return match?.[1];
}

const show = (i: Import) => `${i.from}:${i.line} -> ${i.target ?? i.specifier}`;

const imports = sourceFiles().flatMap(importsOf);
const internal = imports.filter((i) => i.target !== undefined && layerOf(i.target) !== undefined);

describe("layers", () => {
  it("finds the imports it checks", () => {
    // A parse that silently found nothing would pass every test below.
    expect(internal.length).toBeGreaterThan(400);
    expect(internal.some((i) => i.from === "src/cli/main.ts" && i.target === "rules/index.ts")).toBe(true);
  });

  it("no import runs from a lower layer to a higher one", () => {
    const upward = internal.filter((i) => {
      const from = layerOf(i.from)!;
      const to = layerOf(i.target!)!;
      if (to === "data") return false;
      const allowed = MAY_IMPORT[from];
      if (!allowed) throw new Error(`${i.from}: ${from} is not a known layer; add it to MAY_IMPORT`);
      return !allowed.includes(to);
    });
    expect(upward.map((i) => `${show(i)}: ${layerOf(i.from)} may not import ${layerOf(i.target!)}`)).toEqual([]);
  });

  it("the CLI reaches the sources only through src/sources/index.ts", () => {
    const direct = internal.filter(
      (i) => i.from.startsWith("src/cli/") && i.target!.startsWith("src/sources/") && i.target !== "src/sources/index.ts",
    );
    expect(direct.map((i) => `${show(i)}: import it from src/sources/index.ts`)).toEqual([]);
  });
});

describe("cycles", () => {
  const cycles = importCycles(internal);

  it("no files import each other, directly or around a loop", () => {
    expect(cycles.map((cycle) => cycle.loop.map(show).join("\n  "))).toEqual([]);
  });
});

interface Cycle {
  /** Files that reach each other through imports (a strongly connected component of the import graph). */
  files: string[];
  /** One loop through them, as the chain of imports that closes it. */
  loop: Import[];
}

/** The groups of files that import each other, around a loop (Tarjan's strongly connected components). */
function importCycles(edges: readonly Import[]): Cycle[] {
  const out = new Map<string, Import[]>();
  for (const edge of edges) {
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const { target } of out.get(file) ?? []) {
      if (!index.has(target!)) {
        connect(target!);
        low.set(file, Math.min(low.get(file)!, low.get(target!)!));
      } else if (onStack.has(target!)) low.set(file, Math.min(low.get(file)!, index.get(target!)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    components.push(component);
  };
  for (const file of [...out.keys()].sort()) if (!index.has(file)) connect(file);

  return components
    .filter((component) => component.length > 1 || (out.get(component[0]!) ?? []).some((e) => e.target === component[0]))
    .map((component) => ({ files: component.sort(), loop: loopThrough(component, out) }));
}

/** The shortest chain of imports from the component's first file back to it, staying inside the component. */
function loopThrough(component: readonly string[], out: ReadonlyMap<string, Import[]>): Import[] {
  const start = component[0]!;
  const members = new Set(component);
  const via = new Map<string, Import>();
  const queue = [start];
  search: while (queue.length > 0) {
    const file = queue.shift()!;
    for (const edge of out.get(file) ?? []) {
      const target = edge.target!;
      if (!members.has(target) || via.has(target)) continue;
      via.set(target, edge);
      if (target === start) break search;
      queue.push(target);
    }
  }
  const chain: Import[] = [];
  for (let file = start; ; ) {
    const edge = via.get(file)!;
    chain.unshift(edge);
    file = edge.from;
    if (file === start) return chain;
  }
}
