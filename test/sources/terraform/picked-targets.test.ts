/** Attachments and associations that name their target by count.index: which one is not in the plan JSON, so no candidate looks complete. */
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

describe("route table associations picked by count.index", () => {
  // fixtures/terraform/count-indexed-route-tables: two subnets made by count, each associated with the table to
  // the internet gateway by aws_route_table_association.public[count.index]; the instance is in the first.
  const plan = readFileSync(join(import.meta.dirname, "../../../fixtures/terraform/count-indexed-route-tables/plan.json"), "utf8");

  it("each candidate subnet's route table is not known, rather than the main table", () => {
    const world = load(plan);
    for (const i of [0, 1])
      expect(world.subnets.get(`aws_subnet.public[${i}]`)!.routeTable).toMatchObject({
        kind: "unknown",
        reason: {
          code: "unresolved",
          message:
            "aws_route_table_association.public[0] and 1 more like it associate route tables with one of the 2 instances of aws_subnet.public, picked by count.index, and the plan JSON does not say which: this subnet may be one",
        },
      });
    // Their network ACL is the default one: no association names a subnet there.
    expect(world.subnets.get("aws_subnet.public[0]")!.networkAcl.kind).toBe("known");
  });
});
