/**
 * The duplicate-key scan (json-duplicate-keys.ts) notes where the outer containers of a plan end; the plan's
 * positions (terraform/positions.ts) jump over them with that note instead of scanning them again. The notes
 * must be exactly the containers' ends, and a position found with them the same as one found without.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ContainerEnds, findDuplicateKey } from "../../../src/sources/common/json-duplicate-keys.js";
import { PlanPositions } from "../../../src/sources/terraform/positions.js";

/** Start → end (exclusive) of every container down to `depth`, found by parsing each candidate slice. */
function containersOf(text: string, depth: number): Map<number, number> {
  const found = new Map<number, number>();
  const stack: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") stack.push(i);
    else if (c === "}" || c === "]") {
      const start = stack.pop()!;
      if (stack.length < depth) found.set(start, i + 1);
    }
  }
  return found;
}

// Values whose strings hold brackets, quotes and escapes, so a scan that miscounts them fails.
const tricky = fc.oneof(fc.string(), fc.constantFrom("{", "}", "[", "]", '"', "\\", '\\"}', 'a"b{c'));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tricky,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("ends of the outer containers", () => {
  it("are the ends of every object and array down to the depth asked, whatever the layout", () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 2), (value, depth, indent) => {
        const text = JSON.stringify({ resource_changes: [value, { v: value }] }, null, indent);
        const record: ContainerEnds = { depth, ends: new Map() };
        expect(findDuplicateKey(text, 0, text.length, record)).toBeUndefined();
        expect(record.ends).toEqual(containersOf(text, depth));
      }),
      { numRuns: 300 },
    );
  });

  it("count from where the plan starts, after log lines", () => {
    const plan = JSON.stringify({ resource_changes: [{ a: [1] }, { b: "}" }] });
    const text = `[command]terraform show -json {x}\n${plan}\n::debug::{done}\n`;
    const from = text.indexOf("\n") + 1;
    const record: ContainerEnds = { depth: 3, ends: new Map() };
    findDuplicateKey(text, from, from + plan.length, record);
    expect([...record.ends].map(([s, e]) => text.slice(s, e)).sort()).toEqual(
      [plan, '[{"a":[1]},{"b":"}"}]', '{"a":[1]}', '{"b":"}"}'].sort(),
    );
  });

  it("give the same positions as a scan of the text", () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 2), (values, indent) => {
        const text = JSON.stringify(
          { format_version: "1.2", resource_changes: values.map((after) => ({ change: { after } })) },
          null,
          indent,
        );
        const record: ContainerEnds = { depth: 3, ends: new Map() };
        findDuplicateKey(text, 0, text.length, record);
        const pointers = [
          "",
          "/format_version",
          "/resource_changes",
          ...values.flatMap((_, i) => [`/resource_changes/${i}`, `/resource_changes/${i}/change/after`]),
        ];
        const withEnds = new PlanPositions(text, 0, record.ends);
        const scanning = new PlanPositions(text, 0);
        for (const pointer of [...pointers].reverse()) expect(withEnds.region(pointer)).toEqual(scanning.region(pointer));
      }),
      { numRuns: 200 },
    );
  });

  it("are not needed to find a repeated key, and a repeated key is still found with them", () => {
    const text = '{"resource_changes":[{"a":1,"a":2}]}';
    expect(findDuplicateKey(text, 0, text.length, { depth: 3, ends: new Map() })).toEqual({ key: "a", offset: text.lastIndexOf('"a"') });
  });
});
