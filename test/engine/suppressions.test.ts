/**
 * Suppressions and severity overrides in the engine: inline (CloudFormation Metadata, and element
 * suppressions as the Terraform source fills them), configuration entries with globs and expiry, and
 * what a suppressed finding does to the run and the checklist.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { runRules, shouldFail } from "../../src/engine/run.js";
import { unknown } from "../../src/model/index.js";
import { loadCloudFormation } from "../../src/sources/cloudformation/index.js";
import { lintFile } from "../helpers/lint.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/cloudformation");
const PRIVATE_DNS_OFF = join(FIXTURES, "seed-000/private-dns-off.yaml");
const config = (entry: { ruleId: string; resource?: string; expires?: string }) => ({
  suppressions: [{ reason: "handled by the hub VPC", source: ".ssm-doctor.yaml", ...entry }],
});

describe("inline suppressions", () => {
  it("CloudFormation Metadata suppresses the finding with its reason: the run passes, the finding stays", () => {
    const result = lintFile(join(FIXTURES, "suppressions/metadata-ignore.yaml"));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: "SD301",
      suppression: {
        kind: "inSource",
        source: "resource Metadata",
        reason: "egress goes through the inspection proxy, opened by the network team",
        origin: expect.objectContaining({ pointer: "/Resources/rSecurityGroupEc2Instance/Metadata/ssm-doctor/ignore/0" }),
      },
    });
    expect(shouldFail(result.findings, "note", true)).toBe(false);
    // The hop the user vouched for does not fail the checklist, nor does it pass: it shows as suppressed.
    expect(result.instances[0]!.status).toBe("suppressed");
    const network = result.instances[0]!.checks.find((c) => c.prerequisite === "network")!;
    expect(network.status).toBe("suppressed");
    expect(network.findings).toEqual([result.findings[0]!.fingerprint]);
    expect(new Set(result.instances[0]!.checks.filter((c) => c.prerequisite !== "network").map((c) => c.status))).toEqual(
      new Set(["pass"]),
    );
  });

  it("without the Metadata entry the same template fails", () => {
    const result = lintFile(join(FIXTURES, "seed-000/instance-egress-wrong-port.yaml"));
    expect(shouldFail(result.findings, "error", false)).toBe(true);
    expect(result.instances[0]!.status).toBe("fail");
  });

  it("honours element suppressions as a Terraform source would fill them (by rule id or name)", () => {
    const text = readFileSync(PRIVATE_DNS_OFF, "utf8");
    const world = loadCloudFormation("t.yaml", text, { dhmc: unknown("outside", "static") });
    for (const ruleId of ["SD402", "endpoint-private-dns-off"]) {
      const patched = {
        ...world,
        source: "terraform" as const,
        vpcEndpoints: new Map(
          [...world.vpcEndpoints].map(([k, e]) => [k, { ...e, suppressions: [{ ruleId, reason: "hub DNS", origin: e.origin }] }]),
        ),
      };
      const result = runRules(patched, RULES, { today: "2026-01-01" });
      const sd402 = result.findings.filter((f) => f.ruleId === "SD402");
      expect(sd402.length).toBeGreaterThan(0);
      expect(sd402.every((f) => f.suppression?.source === "# ssm-doctor:ignore comment" && f.suppression.kind === "inSource")).toBe(true);
    }
  });
});

describe("configuration suppressions", () => {
  it("an entry with a reason suppresses; the run passes", () => {
    const result = lintFile(PRIVATE_DNS_OFF, config({ ruleId: "SD402" }));
    expect(result.findings.map((f) => f.suppression)).toEqual([
      { reason: "handled by the hub VPC", source: ".ssm-doctor.yaml", kind: "external" },
    ]);
    expect(shouldFail(result.findings, "error", false)).toBe(false);
    expect(result.expiredSuppressions).toEqual([]);
  });

  it("matches the resource by logical id glob, and not another resource", () => {
    expect(lintFile(PRIVATE_DNS_OFF, config({ ruleId: "SD402", resource: "rSsm*Endpoint" })).findings[0]!.suppression).toBeDefined();
    expect(lintFile(PRIVATE_DNS_OFF, config({ ruleId: "SD402", resource: "rOther*" })).findings[0]!.suppression).toBeUndefined();
  });

  it("an entry expiring today or later still suppresses", () => {
    const result = lintFile(PRIVATE_DNS_OFF, { ...config({ ruleId: "SD402", expires: "2026-01-01" }), today: "2026-01-01" });
    expect(result.findings[0]!.suppression).toBeDefined();
  });

  it("an expired entry stops suppressing and is reported", () => {
    const result = lintFile(PRIVATE_DNS_OFF, { ...config({ ruleId: "SD402", expires: "2025-12-31" }), today: "2026-01-01" });
    expect(result.findings[0]!.suppression).toBeUndefined();
    expect(shouldFail(result.findings, "error", false)).toBe(true);
    expect(result.expiredSuppressions).toEqual([
      expect.objectContaining({ ruleId: "SD402", expires: "2025-12-31", source: ".ssm-doctor.yaml" }),
    ]);
  });
});

describe("configuration suppressions, many of them", () => {
  const entry = (ruleId: string, resource: string | undefined, reason: string, expires?: string) => ({
    ruleId,
    reason,
    source: ".ssm-doctor.yaml",
    ...(resource !== undefined ? { resource } : {}),
    ...(expires ? { expires } : {}),
  });
  // Hundreds of entries for other rules and other resources, by id and by name, before the ones that match.
  const others = Array.from({ length: 300 }, (_, i) =>
    i % 3 === 0
      ? entry("SD301", "rSsmVpcEndpoint", `other rule ${i}`)
      : i % 3 === 1
        ? entry("endpoint-private-dns-off", `rOther${i}*`, `other resource ${i}`)
        : entry("SD402", `rSsmVpcEndpoint${i}`, `longer name ${i}`),
  );

  it("the first entry in the file's order that names the rule and matches the resource suppresses; expired ones before it are reported in order", () => {
    const suppressions = [
      ...others,
      entry("SD402", "rSsm*", "expired first", "2025-06-30"),
      entry("endpoint-private-dns-off", "rSsmVpcEndpoint", "expired second", "2025-12-31"),
      entry("endpoint-private-dns-off", "rSsm?pcEndpoint", "the one that counts"),
      entry("SD402", undefined, "never reached"),
    ];
    const result = lintFile(PRIVATE_DNS_OFF, { suppressions, today: "2026-01-01" });
    expect(result.findings[0]!.suppression).toEqual({ reason: "the one that counts", source: ".ssm-doctor.yaml", kind: "external" });
    expect(result.expiredSuppressions.map((e) => e.reason)).toEqual(["expired first", "expired second"]);
  });

  it("a resource without * or ? is the whole name, its dots and brackets as written", () => {
    const only = (resource: string) => lintFile(PRIVATE_DNS_OFF, { suppressions: [...others, entry("SD402", resource, "exact")] });
    expect(only("rSsmVpcEndpoint").findings[0]!.suppression).toBeDefined();
    expect(only("rSsmVpcEndpoin").findings[0]!.suppression).toBeUndefined();
    expect(only("rSsm.pcEndpoint").findings[0]!.suppression).toBeUndefined();
    expect(only("rSsm[V]pcEndpoint").findings[0]!.suppression).toBeUndefined();
    expect(only("rSsm*").findings[0]!.suppression).toBeDefined();
  });
});

describe("severity overrides", () => {
  it("turn an error into a warning, which --fail-on error lets pass and --fail-on warning does not", () => {
    const result = lintFile(PRIVATE_DNS_OFF, { severities: { SD402: "warning" } });
    expect(result.findings.map((f) => f.severity)).toEqual(["warning"]);
    expect(shouldFail(result.findings, "error", false)).toBe(false);
    expect(shouldFail(result.findings, "warning", false)).toBe(true);
  });

  it("accept a rule name, and off removes the rule", () => {
    expect(lintFile(PRIVATE_DNS_OFF, { severities: { "endpoint-private-dns-off": "note" } }).findings[0]!.severity).toBe("note");
    expect(lintFile(PRIVATE_DNS_OFF, { severities: { SD402: "off" } }).findings).toEqual([]);
  });

  it("--fail-on never never fails; note fails on notes", () => {
    const result = lintFile(PRIVATE_DNS_OFF, { severities: { SD402: "note" } });
    expect(shouldFail(result.findings, "never", true)).toBe(false);
    expect(shouldFail(result.findings, "note", false)).toBe(true);
  });
});
