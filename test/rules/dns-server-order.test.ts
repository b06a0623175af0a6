/**
 * A DHCP option set's DNS servers are asked in the order listed, the next only when one does not answer: the first
 * decides. Before, the VPC resolver anywhere in the list counted as the instances' resolver, so a corporate server
 * listed first (which answers amazonaws.com its own way) passed without SD403.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const BAD = readFileSync(
  join(import.meta.dirname, "../../fixtures/cloudformation/custom-dns-servers/bad-on-premises-dns-servers.yaml"),
  "utf8",
);

function withServers(servers: string): string {
  const text = BAD.replace("DomainNameServers: [10.10.0.10, 10.10.0.11]", `DomainNameServers: [${servers}]`);
  expect(text).not.toBe(BAD);
  return text;
}

const lint = (servers: string) => lintText("dhcp.yaml", withServers(servers), { region: "us-east-1" });

describe("the DNS servers of a DHCP option set", () => {
  it.each(["10.10.0.10, AmazonProvidedDNS", "10.10.0.10, 10.0.0.2", "10.10.0.10, 169.254.169.253"])(
    "%s: a server of its own first, the VPC resolver after it: SD403 warns",
    (servers) => {
      const result = lint(servers);
      expect(result.instances.map((i) => i.status)).toEqual(["warn"]);
      expect(result.findings.map((f) => f.ruleId)).toEqual(["SD403"]);
    },
  );

  it.each(["AmazonProvidedDNS, 10.10.0.10", "10.0.0.2, 10.10.0.10"])("%s: the VPC resolver first: no finding", (servers) => {
    const result = lint(servers);
    expect(result.findings).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
