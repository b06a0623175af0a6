import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGENT_THRESHOLDS,
  compareVersions,
  isVersion,
  needsEc2Messages,
  regionHasEc2Messages,
  supports,
  thresholdFor,
} from "../../src/analysis/agent-versions.js";
import { DEPLOYMENT_REGION, LATEST_KNOWN_AGENT_VERSION } from "../../src/model/index.js";

describe("compareVersions", () => {
  it.each([
    ["3.3.40.0", "3.3.40.0", 0],
    ["3.3.40.0", "3.3.1142.0", -1],
    ["3.3.1142.0", "3.3.40.0", 1],
    ["2.3.68.0", "2.3.539.0", -1],
    ["3.0.284.0", "2.3.672.0", 1],
    ["3.3.40", "3.3.40.0", 0],
    ["3.3", "3.3.0.0", 0],
    ["3.3.40.1", "3.3.40", 1],
    ["10.0.0.0", "9.9.9.9", 1],
    ["v3.2.582.0", "3.2.582.0", 0],
    ["3.2.1705.0-1.amzn2023", "3.2.1705.0", 0],
  ])("compareVersions(%s, %s) = %d", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it("is a total order consistent with numeric tuples (property)", () => {
    const v = fc.tuple(fc.nat(5), fc.nat(5), fc.nat(2000), fc.nat(3));
    fc.assert(
      fc.property(v, v, (x, y) => {
        const a = x.join(".");
        const b = y.join(".");
        const expected = Math.sign(x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3]);
        expect(compareVersions(a, b)).toBe(expected);
        expect(compareVersions(b, a)).toBe(-expected);
      }),
    );
  });

  it("isVersion", () => {
    expect(isVersion("3.3.40.0")).toBe(true);
    expect(isVersion("2.3.68")).toBe(true);
    expect(isVersion("latest")).toBe(false);
  });
});

describe("thresholds", () => {
  it("hold the documented minimums", () => {
    expect(Object.fromEntries(AGENT_THRESHOLDS.map((t) => [t.feature, t.minimum]))).toEqual({
      "session-manager": "2.3.68.0",
      "kms-encryption": "2.3.539.0",
      "port-forwarding": "2.3.672.0",
      "cloudwatch-streaming": "3.0.284.0",
      dhmc: "3.2.582.0",
      "remote-port-forwarding": "3.1.1374.0",
      "ssmmessages-only": "3.3.40.0",
    });
    for (const t of AGENT_THRESHOLDS) {
      expect(t.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(t.description.length).toBeGreaterThan(0);
    }
  });

  it("supports / thresholdFor", () => {
    expect(supports("3.2.582.0", "dhmc")).toBe(true);
    expect(supports("3.2.581.0", "dhmc")).toBe(false);
    expect(thresholdFor("kms-encryption").minimum).toBe("2.3.539.0");
    expect(AGENT_THRESHOLDS.every((t) => supports(LATEST_KNOWN_AGENT_VERSION, t.feature))).toBe(true);
  });
});

describe("needsEc2Messages", () => {
  it.each([
    ["3.3.40.0", false],
    ["3.3.1142.0", false],
    ["3.3.39.0", true],
    ["3.2.582.0", true],
    ["2.3.68.0", true],
  ])("%s → %s", (v, expected) => {
    expect(needsEc2Messages(v)).toEqual({ kind: "known", value: expected, provenance: "explicit" });
  });

  it("assumes the latest known agent when no version is given", () => {
    expect(needsEc2Messages(undefined)).toMatchObject({ kind: "known", value: false });
  });
});

describe("regionHasEc2Messages", () => {
  it.each([
    ["us-east-1", true],
    ["eu-west-1", true],
    ["ca-west-1", true],
    ["il-central-1", true],
    ["cn-north-1", true],
    ["us-gov-west-1", true],
    ["ap-southeast-5", false],
    ["ap-southeast-7", false],
    ["mx-central-1", false],
    ["ap-east-2", false],
    ["ap-southeast-6", false],
    ["xx-nowhere-9", undefined],
    [DEPLOYMENT_REGION, undefined],
    ["", undefined],
  ])("%s → %s", (region, expected) => {
    expect(regionHasEc2Messages(region)).toBe(expected);
  });
});
