import { describe, expect, it } from "vitest";
import { AGENT_ACTIONS, assumedAgentVersion, LATEST_KNOWN_AGENT_VERSION, REQUIRED_ACTIONS } from "../../../src/model/index.js";

describe("the agent's required actions", () => {
  it("name each service's own actions", () => {
    for (const [service, actions] of Object.entries(REQUIRED_ACTIONS)) {
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions) expect(action.startsWith(`${service}:`)).toBe(true);
    }
    expect(REQUIRED_ACTIONS.ssm).toEqual(["ssm:UpdateInstanceInformation"]);
    expect(REQUIRED_ACTIONS.kms).toEqual(["kms:Decrypt"]);
  });

  it("all together, once each, are what a live run simulates", () => {
    expect(AGENT_ACTIONS).toEqual(Object.values(REQUIRED_ACTIONS).flat());
    expect(new Set(AGENT_ACTIONS).size).toBe(AGENT_ACTIONS.length);
    expect(AGENT_ACTIONS).toContain("ssmmessages:OpenDataChannel");
    expect(AGENT_ACTIONS).toContain("ec2messages:GetMessages");
  });
});

describe("assumedAgentVersion", () => {
  it("is the stated version, set explicitly", () => {
    expect(assumedAgentVersion("3.2.582.0")).toEqual({ kind: "known", value: "3.2.582.0", provenance: "explicit" });
  });

  it("is the latest known release, as a default, when none is stated", () => {
    expect(assumedAgentVersion(undefined)).toEqual({ kind: "known", value: LATEST_KNOWN_AGENT_VERSION, provenance: "default" });
    expect(assumedAgentVersion("")).toMatchObject({ provenance: "default" });
  });
});
