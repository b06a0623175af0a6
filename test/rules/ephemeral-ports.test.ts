/**
 * The replies to the agent's connections come back on the ephemeral ports of the instance's operating system: Linux
 * 32768-60999, Windows (and macOS) 49152-65535. A network ACL that admits only one system's ports passes for it, fails
 * for the other, and is unknown while the image does not say which system it runs. Before, every instance needed
 * 32768-65535, so an ACL with exactly Linux's range failed an Amazon Linux instance.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/nacl-blocks-https/good-custom-acls.yaml"), "utf8");
const AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const WINDOWS = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base";

/** The fixture with both ACLs' reply entries (instance subnet in, endpoint subnet out) narrowed to `from`-`to`. */
function template(from: number, to: number, image: "al2023" | "windows" | "literal"): string {
  const ranges = "      PortRange:\n        From: 1024\n        To: 65535\n";
  expect(GOOD.split(ranges)).toHaveLength(3);
  let text = GOOD.replaceAll(ranges, `      PortRange:\n        From: ${from}\n        To: ${to}\n`);
  if (image === "windows") text = text.replace(`Default: ${AL2023}`, `Default: ${WINDOWS}`);
  if (image === "literal") text = text.replace("ImageId: !Ref pLatestAmiId", "ImageId: ami-0123456789abcdef0");
  expect(text).not.toBe(GOOD);
  return text;
}

const lint = (text: string) => lintText("acls.yaml", text, { region: "us-east-1" });
const statusOf = (text: string) => lint(text).instances.map((i) => i.status);
const failingRules = (text: string) => [
  ...new Set(
    lint(text)
      .findings.filter((f) => f.verdict === "fail")
      .map((f) => f.ruleId),
  ),
];

describe("an ACL that admits the replies of one operating system only", () => {
  it("admits Linux's range: passes Amazon Linux, fails Windows", () => {
    expect(statusOf(template(32768, 60999, "al2023"))).toEqual(["pass"]);
    expect(failingRules(template(32768, 60999, "windows"))).toEqual(["SD304"]);
  });

  it("admits the Windows range: passes Windows, fails Amazon Linux", () => {
    expect(statusOf(template(49152, 65535, "windows"))).toEqual(["pass"]);
    expect(failingRules(template(49152, 65535, "al2023"))).toEqual(["SD304"]);
  });

  it("is unknown for an image whose system is not known, and says what decides", () => {
    const result = lint(template(32768, 60999, "literal"));
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    const text = JSON.stringify(result.findings);
    expect(text).toContain(
      "inbound replies on the ephemeral ports of Linux (32768-60999) allowed, of Windows or macOS (49152-65535) denied; the instance's operating system decides",
    );
  });

  it("fails every system when it admits neither, and passes every system when it admits both", () => {
    expect(failingRules(template(1024, 32767, "literal"))).toEqual(["SD304"]);
    // The literal image leaves the agent unknown (SD103), but no ACL finding stands.
    expect(lint(template(32768, 65535, "literal")).findings.filter((f) => f.ruleId === "SD304")).toEqual([]);
  });
});
