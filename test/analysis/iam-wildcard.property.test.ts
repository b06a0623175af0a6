import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionMatches, evaluateActions, wildcardMatch } from "../../src/analysis/iam.js";
import { known } from "../../src/model/index.js";

/** Oracle: the textbook translation of an IAM glob to a regular expression. */
function oracle(pattern: string, text: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, caseInsensitive ? "is" : "s").test(text);
}

// Small alphabets so that matches happen often; ":" and case changes included.
const chars = fc.constantFrom("a", "b", "A", "s", "S", "m", ":", "*", "?", ".", "-");
const textChars = fc.constantFrom("a", "b", "A", "s", "S", "m", ":", ".", "-", "*", "?");

describe("wildcard matching (property)", () => {
  it("agrees with a regex oracle, case-insensitive and case-sensitive", () => {
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 10 }), fc.string({ unit: textChars, maxLength: 12 }), fc.boolean(), (p, t, ci) => {
        expect(wildcardMatch(p, t, ci)).toBe(oracle(p, t, ci));
      }),
      { numRuns: 3000 },
    );
  });

  it("a pattern matches every text obtained by filling its wildcards", () => {
    const piece = fc.string({ unit: fc.constantFrom("a", "b", "s", ":"), maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.constantFrom("*", "?", "")), { maxLength: 5 }),
        fc.array(piece, { minLength: 5, maxLength: 5 }),
        (parts, fills) => {
          let pattern = "";
          let text = "";
          parts.forEach(([lit, wild], i) => {
            pattern += lit + wild;
            const fill = fills[i] ?? "";
            text += lit + (wild === "*" ? fill : wild === "?" ? (fill[0] ?? "x") : "");
          });
          expect(actionMatches(pattern, text.toUpperCase())).toBe(true);
        },
      ),
    );
  });

  it("an Allow of pattern P allows exactly the actions P matches", () => {
    const action = fc.tuple(
      fc.constantFrom("ssm", "ssmmessages", "ec2messages", "s3"),
      fc.string({ unit: fc.constantFrom("a", "B", "c"), minLength: 1, maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("s", "m", "e", "c", "2", ":", "*", "?", "a", "B"), maxLength: 8 }),
        action,
        (p, [svc, name]) => {
          const a = `${svc}:${name}`;
          const [r] = evaluateActions(
            [{ name: "p", kind: "identity", document: known({ Statement: [{ Effect: "Allow", Action: p, Resource: "*" }] }) }],
            [a],
          );
          expect(r?.decision).toBe(oracle(p, a, true) ? "allowed" : "implicit-deny");
        },
      ),
    );
  });
});
