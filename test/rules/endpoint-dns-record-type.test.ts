/**
 * An interface endpoint whose private DNS publishes AAAA records only (DnsOptions.DnsRecordIpType ipv6): an IPv4
 * lookup of the service's name gets no address. The tool checks the IPv4 way, so that path is unknown; before, the
 * record type was not read and it passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initHclParser } from "../../src/sources/terraform-config/load.js";
import { lintText } from "../helpers/lint.js";
import { lintConfigurationText } from "../helpers/terraform.js";

beforeAll(async () => {
  await initHclParser();
});

const TEXT = readFileSync(
  join(import.meta.dirname, "../../fixtures/cloudformation/endpoint-private-dns-off/unknown-ipv6-only-records.yaml"),
  "utf8",
);
const lint = (text: string) => lintText("records.yaml", text, { region: "us-east-1" });

describe("DnsRecordIpType of an interface endpoint", () => {
  it("ipv6: the service's path is unknown, with what decides it", () => {
    const result = lint(TEXT);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const ssm = result.analysis.instances[0]!.placements[0]!.paths.find((p) => p.service === "ssm")!;
    expect(ssm.verdict).toBe("unknown");
    expect(JSON.stringify(result.findings)).toContain("publishes its private DNS name with IPv6 (AAAA) records only");
  });

  it("ipv4, dualstack or service-defined: unchanged", () => {
    for (const type of ["ipv4", "dualstack", "service-defined"]) {
      const text = TEXT.replace("DnsRecordIpType: ipv6", `DnsRecordIpType: ${type}`);
      expect(
        lint(text).instances.map((i) => i.status),
        type,
      ).toEqual(["pass"]);
    }
  });

  it('in a Terraform configuration: dns_options { dns_record_ip_type = "ipv6" } is unknown; left to the provider, unchanged', () => {
    const base = readFileSync(join(import.meta.dirname, "../../fixtures/terraform/good-private-endpoints/main.tf"), "utf8");
    const status = (text: string) => lintConfigurationText(text).instances.map((i) => i.status);
    const ipv6 = base.replace(
      "  private_dns_enabled = true\n",
      '  private_dns_enabled = true\n\n  dns_options {\n    dns_record_ip_type = "ipv6"\n  }\n',
    );
    expect(ipv6).toContain("dns_record_ip_type");
    expect(status(ipv6)).toEqual(["unknown"]);
    expect(status(base)).toEqual(["pass"]);
  });
});
