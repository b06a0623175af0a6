/** Attachments that name their role by count.index: which role is not in the plan JSON, so no role is without them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "./helpers.js";

// fixtures/terraform/count-indexed-attachments: two roles made by count, each given AmazonSSMManagedInstanceCore
// by an attachment naming aws_iam_role.instance[count.index]; the instance's profile names the first role.
const text = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/count-indexed-attachments/plan.json"), "utf8");

describe("role attachments picked by count.index", () => {
  it("each candidate role gets a policy that is not known, never none", () => {
    const world = load(text);
    for (const i of [0, 1]) {
      const role = world.roles.get(`aws_iam_role.instance[${i}]`)!;
      expect(role.managedPolicies).toMatchObject({ kind: "known", value: [] });
      expect(role.inlinePolicies).toHaveLength(1);
      expect(role.inlinePolicies[0]).toMatchObject({
        name: "attached by aws_iam_role_policy_attachment.core[0]",
        document: {
          kind: "unknown",
          reason: {
            code: "unresolved",
            message:
              "aws_iam_role_policy_attachment.core[0] and 1 more like it attach policies to one of the 2 instances of aws_iam_role.instance, picked by count.index, and the plan JSON does not say which: this role may be one",
          },
        },
      });
    }
  });
});
