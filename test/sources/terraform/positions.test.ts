import { describe, expect, it } from "vitest";
import { PlanPositions } from "../../../src/sources/terraform/positions.js";
import { load, plan } from "./helpers.js";

describe("plan positions", () => {
  const text = JSON.stringify(
    {
      format_version: "1.2",
      resource_changes: [
        { address: "a", change: { after: { x: 1, "a/b": { "~y": [10, 20] } } } },
        { address: "b", change: { after: { z: "}" } } },
      ],
    },
    null,
    2,
  );
  const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("finds members and elements, in any order, from the cache or not", () => {
    const positions = new PlanPositions(text, 0);
    expect(positions.region("/resource_changes/1/change/after/z")?.startLine).toBe(lineOf('"z": "}"'));
    expect(positions.region("/resource_changes/0/change/after/x")?.startLine).toBe(lineOf('"x": 1'));
    expect(positions.region("/resource_changes/0/change/after/a~1b/~0y/1")?.startLine).toBe(lineOf("20"));
    expect(positions.region("/resource_changes/1")?.startLine).toBe(lineOf('"address": "b"') - 1);
  });

  it("falls back to the nearest ancestor for a pointer that is not there (a computed value)", () => {
    const positions = new PlanPositions(text, 0);
    expect(positions.region("/resource_changes/0/change/after/missing")?.startLine).toBe(lineOf('"after": {'));
  });

  it("counts lines and columns in the whole file when the plan starts after log lines", () => {
    const wrapped = `[command]/usr/bin/terraform show -json tfplan\n${JSON.stringify({ resource_changes: [{ address: "a", change: { after: { x: 1 } } }] })}\n::debug::done\n`;
    const positions = new PlanPositions(wrapped, wrapped.indexOf("{"));
    const region = positions.region("/resource_changes/0/change/after/x")!;
    expect(region.startLine).toBe(2);
    expect(wrapped.split("\n")[1]!.slice(region.startColumn - 1, region.startColumn + 4)).toBe('"x":1');
  });
});

describe("a plan wrapped in CI log lines", () => {
  it("is extracted, with a note, and findings point at the right line", () => {
    const inner = plan({
      changes: [{ address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" }, unknown: { subnet_id: true } }],
    }).replace(/\n\s*/g, "");
    const text = `[command]/home/runner/work/_temp/terraform-bin show -json plan.tfplan\n${inner}\n::debug::Terraform exited with code 0.\n::debug::stdout: ${inner}\n`;
    const world = load(text);
    expect(world.notes.find((n) => n.code === "plan-extracted")?.message).toMatch(/from line 2 and ignored the other 3 lines/);
    const origin = world.instances.get("aws_instance.a")!.origin;
    expect(world.locate!(origin)?.startLine).toBe(2);
  });
});
