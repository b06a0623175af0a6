/**
 * EC2 assigns a public address at launch only to a new primary network interface: an instance launched with an
 * existing interface as eth0 has one only from an Elastic IP. Before, the subnet's MapPublicIpOnLaunch decided, and
 * such an instance passed the internet-gateway path (fixtures/cloudformation/no-route-to-internet/*-network-interface*).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { runRules } from "../../src/engine/run.js";
import { unknown } from "../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../src/sources/terraform-config/load.js";
import { lintText } from "../helpers/lint.js";

const CFN = join(import.meta.dirname, "../../fixtures/cloudformation/no-route-to-internet");
const TF = join(import.meta.dirname, "../../fixtures/terraform/good-public-subnet/main.tf");

beforeAll(async () => {
  await initHclParser();
});

describe("an instance launched with network interfaces of its own", () => {
  const existing = readFileSync(join(CFN, "bad-igw-existing-network-interface.yaml"), "utf8");
  const sd207 = (text: string) => lintText("eni.yaml", text, { region: "us-east-1" }).findings.filter((f) => f.ruleId === "SD207");

  it("an existing interface from outside the template: not known", () => {
    const text = existing.replace(
      "      - NetworkInterfaceId: # expect: SD207\n          Ref: Eni",
      "      - NetworkInterfaceId: eni-0123456789abcdef0",
    );
    expect(text).not.toBe(existing);
    // Its subnet is not known either, so the whole path is.
    const result = lintText("eni.yaml", text, { region: "us-east-1" });
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
  });

  it("two new interfaces: not known whether the subnet's automatic address is given", () => {
    const text = existing
      .replace(
        "      - NetworkInterfaceId: # expect: SD207\n          Ref: Eni\n        DeviceIndex: '0'",
        "      - DeviceIndex: '0'\n        SubnetId: !Ref Subnet\n      - DeviceIndex: '1'\n        SubnetId: !Ref Subnet",
      )
      .replace(" # expect: SD207", "");
    expect(text).toContain("DeviceIndex: '1'");
    const [finding] = sd207(text);
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain("launched with several network interfaces");
  });

  it("Terraform: an aws_network_interface as the primary fails the internet path, unless an Elastic IP is on it", () => {
    const good = readFileSync(TF, "utf8");
    const own = "  subnet_id              = aws_subnet.public.id\n  vpc_security_group_ids = [aws_security_group.instance.id]\n";
    expect(good).toContain(own);
    const withInterface = `${good.replace(own, "  network_interface {\n    network_interface_id = aws_network_interface.app.id\n    device_index         = 0\n  }\n")}
resource "aws_network_interface" "app" {
  subnet_id       = aws_subnet.public.id
  security_groups = [aws_security_group.instance.id]
}
`;
    const lint = (text: string) => {
      const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-eni-"));
      writeFileSync(join(dir, "main.tf"), text);
      const world = loadTerraformConfiguration(dir, { dhmc: unknown("outside", "static input cannot see DHMC"), env: {} });
      return runRules(world, RULES, { today: "2026-01-01" });
    };
    const bare = lint(withInterface);
    expect(bare.instances.map((i) => i.status)).toEqual(["fail"]);
    expect(bare.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD207"]);
    const eip = lint(`${withInterface}
resource "aws_eip" "app" {
  domain            = "vpc"
  network_interface = aws_network_interface.app.id
}
`);
    expect(eip.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
