/**
 * A CDK cloud assembly's manifest passes values to each stack's parameters at deployment
 * (AwsCloudFormationStackProperties.parameters). They were ignored and the template's defaults used: here the
 * default PublicIp "true" gave the instance a public address, while the deployment passes "false".
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../../rules/index.js";
import { runRules } from "../../../src/engine/run.js";
import { loadCdkOut } from "../../../src/sources/cloudformation/index.js";

const CDK = join(import.meta.dirname, "../../../fixtures/sources/cloudformation/cdk-parameters/cdk.out");

const statuses = (parameters?: Record<string, string>) =>
  loadCdkOut(CDK, parameters ? { parameters } : {}).map(({ world }) =>
    runRules(world, RULES, { today: "2026-01-01" }).instances.map((i) => i.status),
  );

describe("the parameters a CDK manifest passes to a stack", () => {
  it("are the values of the stack's parameters", () => {
    expect(statuses()).toEqual([["fail"]]);
  });

  it("give way to the ones the user passes", () => {
    expect(statuses({ PublicIp: "true" })).toEqual([["pass"]]);
  });
});
