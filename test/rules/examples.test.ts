/**
 * Every rule is proven by its own examples: for each source kind it applies to, its bad input (a whole
 * template, configuration or account scenario under rules/examples/<rule-name>/) gives findings of that
 * rule only and its good input gives none, run by the RuleTester through the sources and the engine.
 */
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import type { Rule } from "../../src/engine/rule.js";
import type { SourceKind } from "../../src/model/index.js";
import { exampleProblems } from "../helpers/rule-tester.js";

const KINDS: SourceKind[] = ["cloudformation", "terraform", "live"];

/**
 * Kinds a rule applies to where no input can make it fail, so no bad example exists. Each is a question for
 * the rule's `appliesTo`, which also names the kinds in SARIF's rule tags and `rules --format json`.
 */
const NO_FAILING_INPUT: Record<string, Partial<Record<SourceKind, string>>> = {
  SD103: { live: "check does not read images; an instance without the agent shows as never registered (SD101)" },
};

const exampleKinds = (rule: Rule): SourceKind[] => rule.meta.appliesTo.filter((kind) => !NO_FAILING_INPUT[rule.meta.id]?.[kind]);

describe.each(RULES.map((r) => [`${r.meta.id} ${r.meta.name}`, r] as const))("%s", (_name, rule) => {
  it("has examples for exactly the source kinds it applies to", () => {
    const withExamples = KINDS.filter((kind) => rule.examples[kind]);
    expect(withExamples, `rules/examples/${rule.meta.name}/`).toEqual(KINDS.filter((kind) => exampleKinds(rule).includes(kind)));
  });

  for (const kind of exampleKinds(rule)) {
    it(`${kind}: the bad example gives ${rule.meta.id} and nothing else`, async () => {
      expect(await exampleProblems(rule, kind, "bad")).toEqual([]);
    });
    it(`${kind}: the good example gives no finding`, async () => {
      expect(await exampleProblems(rule, kind, "good")).toEqual([]);
    });
  }
});
