/** SD103: user data that removes or stops the preinstalled SSM Agent, with no later command starting it again. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");

/** good.yaml (Amazon Linux 2023, which ships the agent) with user data on its instance. */
function withUserData(script: string): string {
  const text = GOOD.replace(
    /( {2}rEc2Instance:\n {4}Type: AWS::EC2::Instance\n {4}Properties:\n)/,
    `$1      UserData:\n        Fn::Base64: |\n${script
      .split("\n")
      .map((l) => `          ${l}`)
      .join("\n")}\n`,
  );
  expect(text).toContain("UserData");
  return text;
}

describe("user data and the preinstalled agent", () => {
  it("removing it fails SD103, naming the command", () => {
    const result = lintText(
      "removed.yaml",
      withUserData("#!/bin/bash\nsystemctl disable --now amazon-ssm-agent\ndnf remove -y amazon-ssm-agent"),
    );
    expect(result.instances.map((i) => i.status)).toEqual(["fail"]);
    const finding = result.findings.find((f) => f.ruleId === "SD103");
    expect(finding?.verdict).toBe("fail");
    expect(finding?.messageId).toBe("agentStopped");
    expect(finding?.args).toMatchObject({ command: "dnf remove -y amazon-ssm-agent" });
  });

  it("restarting it passes", () => {
    const result = lintText(
      "restarted.yaml",
      withUserData(
        "#!/bin/bash\nsystemctl stop amazon-ssm-agent\necho '{}' > /etc/amazon/ssm/amazon-ssm-agent.json\nsystemctl start amazon-ssm-agent",
      ),
    );
    expect(result.findings.filter((f) => f.ruleId === "SD103")).toEqual([]);
    expect(result.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
