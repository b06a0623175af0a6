/**
 * Base64 user data: cloud-init inflates gzip before reading it, so a compressed script must be read inflated, and
 * bytes that are not text must be unknown, never an empty script that passes.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeBase64UserData } from "../../../src/sources/common/user-data.js";
import { lintText } from "../../helpers/lint.js";

const SCRIPT = "#!/bin/bash\nsystemctl disable --now amazon-ssm-agent\n";
const b64 = (bytes: Buffer) => bytes.toString("base64");

describe("base64 user data", () => {
  it("is its text, plain or gzip-compressed", () => {
    expect(decodeBase64UserData(b64(Buffer.from(SCRIPT)))).toEqual({ text: SCRIPT });
    expect(decodeBase64UserData(b64(gzipSync(SCRIPT)))).toEqual({ text: SCRIPT });
    expect(decodeBase64UserData("naïve text, not base64")).toBeUndefined();
  });

  it("is unreadable, with the reason, when it is binary or a broken gzip stream", () => {
    expect(decodeBase64UserData(b64(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x90, 0xa0])))).toEqual({ unreadable: "binary data, not text" });
    const broken = gzipSync(SCRIPT).subarray(0, 12);
    expect(decodeBase64UserData(b64(broken))).toMatchObject({ unreadable: expect.stringContaining("gzip-compressed") });
    // A U+FFFD the text itself holds is text.
    expect(decodeBase64UserData(b64(Buffer.from("echo \uFFFD\n")))).toEqual({ text: "echo \uFFFD\n" });
  });

  it("in a template: a gzip script that disables the agent fails SD103; unreadable bytes are unknown user data", () => {
    const template = (userData: string) => `
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      UserData: ${userData}
`;
    const gz = lintText("ud.yaml", template(b64(gzipSync(SCRIPT))), { region: "us-east-1" });
    expect(gz.findings.filter((f) => f.ruleId === "SD103").map((f) => f.verdict)).toEqual(["fail"]);
    const binary = lintText("ud.yaml", template(b64(Buffer.from([0xff, 0xfe, 0x00, 0x81]))), { region: "us-east-1" });
    const userData = binary.analysis.instances[0]!.instance.userData;
    expect(userData.kind === "unknown" && userData.reason.message).toBe("UserData is binary data, not text, which ssm-doctor cannot read");
  });
});
