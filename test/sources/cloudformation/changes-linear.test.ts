/**
 * @aws-cdk/cloudformation-diff reads a collection's `changes` anew for every logical id in forEachDifference and
 * filter (n² questions for n resources); changes.ts gives both methods one reading per call. These tests hold the
 * replacement to the library's contract (removed, added, updated, then the rest; filter keeps what the predicate
 * keeps) and count the readings, which the library's own methods make once per resource.
 */
import * as cfnDiff from "@aws-cdk/cloudformation-diff";
import { describe, expect, it } from "vitest";
import { compareCloudFormation, linearDifferences } from "../../../src/sources/cloudformation/changes.js";

/** The library's collection, counting how often its `changes` are read. */
class Counting extends cfnDiff.DifferenceCollection<unknown, cfnDiff.ResourceDifference> {
  reads = 0;
  override get changes() {
    this.reads++;
    return super.changes;
  }
}
linearDifferences(Counting as unknown as typeof cfnDiff.DifferenceCollection);

const topic = (name: string) => ({ Type: "AWS::SNS::Topic", Properties: { TopicName: name } });

/** 300 topics; the change removes 10, renames 10 (an update) and adds 10, and keeps the rest. */
function templates() {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (let i = 0; i < 300; i++) {
    before[`T${i}`] = topic(`t${i}`);
    if (i >= 10) after[`T${i}`] = topic(i < 20 ? `renamed${i}` : `t${i}`);
  }
  for (let i = 0; i < 10; i++) after[`New${i}`] = topic(`new${i}`);
  return { before: { Resources: before }, after: { Resources: after } };
}

function collection(): Counting {
  const { before, after } = templates();
  const diffs = (cfnDiff.fullDiff(before, after).resources as unknown as { diffs: Record<string, cfnDiff.ResourceDifference> }).diffs;
  return new Counting(diffs);
}

describe("the cloudformation-diff collections, walked once", () => {
  it("forEachDifference: removed, added, updated, each in the collection's order, reading the changes once", () => {
    const c = collection();
    const seen: string[] = [];
    c.forEachDifference((id) => seen.push(id));
    expect(c.reads).toBe(1);
    const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
    expect(seen).toEqual([...range("T", 0, 10), ...range("New", 0, 10), ...range("T", 10, 20)]);
  });

  it("filter keeps what the predicate keeps, in order, reading the changes once", () => {
    const c = collection();
    const kept = c.filter((d) => d?.isAddition === true);
    expect(c.reads).toBe(1);
    expect(kept).toBeInstanceOf(Counting);
    expect(kept.logicalIds).toEqual(Array.from({ length: 10 }, (_, i) => `New${i}`));
  });

  it("a change review of templates of thousands of resources reports every change", async () => {
    const { before, after } = templates();
    for (let i = 300; i < 3000; i++) {
      (before.Resources as Record<string, unknown>)[`T${i}`] = {
        Type: "AWS::EC2::SecurityGroup",
        Properties: { GroupDescription: `g${i}` },
      };
      (after.Resources as Record<string, unknown>)[`T${i}`] = {
        Type: "AWS::EC2::SecurityGroup",
        Properties: { GroupDescription: i % 100 === 0 ? `changed ${i}` : `g${i}` },
      };
    }
    const comparison = await compareCloudFormation(
      { file: "before.json", text: JSON.stringify(before) },
      { file: "after.json", text: JSON.stringify(after) },
    );
    // Topics are not what Session Manager depends on; the 27 groups whose description changed are.
    expect(comparison.changes.map((c) => `${c.action} ${c.resource} ${c.property ?? ""}`)).toEqual(
      Array.from({ length: 27 }, (_, k) => `modified T${300 + k * 100} GroupDescription`),
    );
    expect(comparison.notes).toEqual([]);
  });
});
