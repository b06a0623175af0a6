/**
 * A private hosted zone of a parent domain of the services' names (amazonaws.com, <region>.amazonaws.com) answers
 * every name under it for its VPCs, NXDOMAIN for one it has no record of. Before, only zones named exactly
 * <svc>.<region>.amazonaws.com were seen, and the internet path passed under such a zone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const TEXT = readFileSync(
  join(import.meta.dirname, "../../fixtures/cloudformation/custom-dns-servers/parent-domain-private-zone.yaml"),
  "utf8",
);
const lint = (text: string, region = "us-east-1") => lintText("zone.yaml", text, { region });

describe("a private hosted zone of a parent domain of the service names", () => {
  it.each(["amazonaws.com", "us-east-1.amazonaws.com"])("%s leaves the way to the service unknown, and says why", (name) => {
    const text = TEXT.replace("      Name: amazonaws.com\n", `      Name: ${name}\n`);
    expect(text).toContain(`      Name: ${name}\n`);
    const result = lint(text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(JSON.stringify(result.findings)).toContain(`answers every name under ${name}, ssm.us-east-1.amazonaws.com included`);
  });

  it("a zone of another domain, or of another region, changes nothing", () => {
    for (const [name, region] of [
      ["example.com", "us-east-1"],
      ["eu-west-1.amazonaws.com", "us-east-1"],
    ] as const) {
      const text = TEXT.replace("      Name: amazonaws.com\n", `      Name: ${name}\n`);
      expect(lint(text, region).instances.map((i) => i.status)).toEqual(["pass"]);
    }
  });
});
