/**
 * Every CloudFormation fixture carries its expectations as `# expect: SDxxx` comments on the offending
 * line; the set of (rule, line) of failing findings must match exactly. Files without expectations must
 * lint clean (no errors or warnings).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { known } from "../../src/model/index.js";
import { actualFindings, expectedFromComments, lintFile } from "../helpers/lint.js";

const ROOT = join(import.meta.dirname, "../../fixtures/cloudformation");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const files = walk(ROOT).sort();

describe("CloudFormation fixtures", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(10);
  });
  for (const file of files) {
    const name = relative(ROOT, file);
    it(name, () => {
      const text = readFileSync(file, "utf8");
      // Directives a fixture may carry: "# region: us-east-1", "# dhmc: enabled|disabled".
      const region = /#\s*region:\s*([a-z0-9-]+)/.exec(text)?.[1];
      const dhmc = /#\s*dhmc:\s*(enabled|disabled)/.exec(text)?.[1];
      const result = lintFile(file, {
        ...(region ? { region } : {}),
        ...(dhmc ? { dhmc: known({ enabled: dhmc === "enabled" }) } : {}),
      });
      expect(actualFindings(result.findings)).toEqual(expectedFromComments(text));
    });
  }
});
