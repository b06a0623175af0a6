/**
 * The plan index makes one resource per planned entry, every one of the same shape: what an entry does not
 * say is undefined. These tests hold what each field is read from, for resource_changes and for the data
 * sources of prior_state, and that a non-string action is left out as before.
 */
import { describe, expect, it } from "vitest";
import { PlanIndex } from "../../../src/sources/terraform/plan-index.js";
import type { RawPlan } from "../../../src/sources/terraform/types.js";

const provider_name = "registry.terraform.io/hashicorp/aws";

const plan = {
  format_version: "1.2",
  terraform_version: "1.6.0",
  resource_changes: [
    {
      address: 'module.a["k"].aws_security_group.sg[0]',
      module_address: 'module.a["k"]',
      mode: "managed",
      type: "aws_security_group",
      name: "sg",
      index: 0,
      provider_name,
      change: {
        actions: ["create"],
        after: { name: "web", arn: "arn:aws:ec2:sg" },
        after_unknown: { id: true },
        after_sensitive: {},
      },
      unknown_reasons: { id: { code: "computed", message: "m" } },
    },
    {
      address: "aws_vpc.v",
      mode: "managed",
      type: "aws_vpc",
      name: "v",
      provider_name,
      change: { actions: ["no-op", 7], after: { id: "vpc-1" } },
    },
    { address: "aws_vpc.gone", mode: "managed", type: "aws_vpc", name: "gone", provider_name, change: { actions: ["delete"] } },
  ],
  prior_state: {
    values: {
      root_module: {
        resources: [
          { address: "data.aws_region.r", mode: "data", type: "aws_region", name: "r", provider_name, values: { name: "eu-west-1" } },
        ],
      },
    },
  },
  configuration: {
    root_module: {
      resources: [{ address: "aws_vpc.v", mode: "managed", type: "aws_vpc", name: "v", expressions: {} }],
      module_calls: {
        a: { module: { resources: [{ address: "aws_security_group.sg", mode: "managed", type: "aws_security_group", name: "sg" }] } },
      },
    },
  },
} as unknown as RawPlan;

describe("PlanIndex", () => {
  const index = new PlanIndex(plan);

  it("reads a resource change into every field, and an absent one as undefined", () => {
    const sg = index.byAddress.get('module.a["k"].aws_security_group.sg[0]')!;
    expect(sg).toMatchObject({
      mode: "managed",
      type: "aws_security_group",
      name: "sg",
      index: 0,
      module: [{ name: "a", index: "k" }],
      configModule: "module.a",
      values: { name: "web", arn: "arn:aws:ec2:sg" },
      unknown: { id: true },
      unknownReasons: { id: { code: "computed", message: "m" } },
      sensitive: {},
      valuesPointer: "/resource_changes/0/change/after",
      pointer: "/resource_changes/0",
      absentIsUnknown: false,
      actions: ["create"],
      config: { name: "sg" },
    });
    const vpc = index.byAddress.get("aws_vpc.v")!;
    expect(vpc.index).toBeUndefined();
    expect(vpc.unknown).toBeUndefined();
    expect(vpc.unknownReasons).toBeUndefined();
    expect(vpc.sensitive).toBeUndefined();
    expect(vpc.actions).toEqual(["no-op"]);
    expect(vpc.config).toMatchObject({ name: "v" });
    expect(index.byAddress.has("aws_vpc.gone")).toBe(false);
  });

  it("indexes ids, ARNs, names and module instances", () => {
    expect(index.byIdentifier("vpc-1").map((r) => r.address)).toEqual(["aws_vpc.v"]);
    expect(index.byIdentifier("arn:aws:ec2:sg").map((r) => r.address)).toEqual(['module.a["k"].aws_security_group.sg[0]']);
    expect(index.byName("aws_security_group", "web")).toHaveLength(1);
    const scope = index.scopes.get("module.a")!;
    expect(index.instancesOf(scope, [{ name: "a", index: "k" }], "managed", "aws_security_group", "sg")).toHaveLength(1);
    expect(index.instancesOf(scope, [{ name: "a" }], "managed", "aws_security_group", "sg", 0)).toHaveLength(1);
    expect(index.resources.map((r) => r.address)).toEqual(['module.a["k"].aws_security_group.sg[0]', "aws_vpc.v"]);
  });

  it("reads a data source of prior_state as read, with its pointer", () => {
    const region = index.byAddress.get("data.aws_region.r")!;
    expect(region).toMatchObject({
      mode: "data",
      actions: ["read"],
      pointer: "/prior_state/values/root_module/resources/0",
      absentIsUnknown: false,
    });
    expect(region.valuesPointer).toBe("/prior_state/values/root_module/resources/0/values");
  });
});
