/**
 * SD104 used to skip an instance whose metadata endpoint setting is not known, so the agent prerequisite passed:
 * `HttpEndpoint: !Ref pImds` with no default read as enabled. Now the setting not known is a note, and the parameter
 * decides.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");

describe("a metadata endpoint setting that is not known", () => {
  const anchor = "      InstanceType: !Ref pInstanceType\n";
  const text = GOOD.replace(anchor, `${anchor}      MetadataOptions:\n        HttpEndpoint: !Ref pImds\n`).replace(
    "\nParameters:\n  # Systems Manager",
    "\nParameters:\n  pImds:\n    Type: String\n    AllowedValues: [enabled, disabled]\n  # Systems Manager",
  );

  it("leaves the agent prerequisite unknown, and names the parameter", () => {
    expect(text).toContain("HttpEndpoint: !Ref pImds");
    expect(text).toContain("  pImds:\n");
    const result = lintText("imds.yaml", text, { region: "us-east-1" });
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const sd104 = result.findings.find((f) => f.ruleId === "SD104");
    expect(sd104?.verdict).toBe("unknown");
    expect(sd104?.messageId).toBe("unknownEndpoint");
    expect(JSON.stringify(sd104)).toContain("pImds");
  });

  it("is decided by the parameter", () => {
    const status = (value: string) =>
      lintText("imds.yaml", text, { region: "us-east-1", parameters: { pImds: value } }).instances.map((i) => i.status);
    expect(status("enabled")).toEqual(["pass"]);
    expect(status("disabled")).toEqual(["fail"]);
  });
});
