/**
 * Each rule's examples are whole inputs in rules/examples/<rule-name>/:
 *   cloudformation/bad.yaml, cloudformation/good.yaml   templates
 *   terraform/bad/main.tf, terraform/good/main.tf       configurations (linted without a plan)
 *   live/bad.yaml, live/good.yaml                       fake account scenarios (test/fake-aws; `extends:`
 *                                                       names one of fixtures/accounts)
 * A leading `# region: …`, `# dhmc: enabled|disabled` or (live) `# principal: <arn>` comment is how the
 * input is checked, as with `--region`, `--dhmc` and `--principal`.
 */
import type { RuleExample, RuleExamples } from "../../src/engine/rule.js";
import type { SourceKind } from "../../src/model/index.js";
import { EXAMPLE_FILES } from "./files.js";

/** Where each kind's bad and good input is, under rules/examples/<rule-name>/. */
export const EXAMPLE_PATHS: Record<SourceKind, { bad: string; good: string }> = {
  cloudformation: { bad: "cloudformation/bad.yaml", good: "cloudformation/good.yaml" },
  terraform: { bad: "terraform/bad/main.tf", good: "terraform/good/main.tf" },
  live: { bad: "live/bad.yaml", good: "live/good.yaml" },
};

const KINDS: SourceKind[] = ["cloudformation", "terraform", "live"];

/**
 * The examples of the rule named `name`: every kind whose two inputs exist. `alsoReports` lists, per kind,
 * the other rules its bad input necessarily reports (say why where it is given).
 */
export function examplesOf(name: string, alsoReports: Partial<Record<SourceKind, string[]>> = {}): RuleExamples {
  const examples: RuleExamples = {};
  for (const kind of KINDS) {
    const paths = EXAMPLE_PATHS[kind];
    const bad = `${name}/${paths.bad}`;
    const good = `${name}/${paths.good}`;
    if (!EXAMPLE_FILES.has(bad) || !EXAMPLE_FILES.has(good)) continue;
    // The texts are read when first asked for (`explain`, the docs, the RuleTester), not when the rules load.
    const example: RuleExample = {
      get bad() {
        return EXAMPLE_FILES.get(bad) ?? "";
      },
      get good() {
        return EXAMPLE_FILES.get(good) ?? "";
      },
      files: { bad: `rules/examples/${name}/${paths.bad}`, good: `rules/examples/${name}/${paths.good}` },
      ...(alsoReports[kind] ? { alsoReports: alsoReports[kind] } : {}),
    };
    examples[kind] = example;
  }
  return examples;
}
