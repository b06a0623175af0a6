import { describe, expect, it } from "vitest";
import {
  assumedDhmc,
  DHMC_NOT_IN_INPUT,
  DHMC_SETTING_ID,
  dhmcOfSettingValue,
  dhmcStated,
  known,
  type Origin,
  unknown,
} from "../../../src/model/index.js";

const origin: Origin = { source: "live", id: DHMC_SETTING_ID };

describe("the DHMC setting", () => {
  it("is the service setting of the default EC2 instance management role", () => {
    expect(DHMC_SETTING_ID).toBe("/ssm/managed-instance/default-ec2-instance-management-role");
  });

  it("is on when its value names a role (trimmed), off when empty, $None or None", () => {
    expect(dhmcOfSettingValue(" service-role/DhmcRole ", origin)).toEqual({ enabled: true, roleName: "service-role/DhmcRole", origin });
    for (const off of [undefined, "", "  ", "$None", "None"]) expect(dhmcOfSettingValue(off, origin)).toEqual({ enabled: false, origin });
  });

  it("reads what the user states: enabled, disabled, or nothing", () => {
    expect(dhmcStated("enabled")).toEqual(known({ enabled: true }));
    expect(dhmcStated("disabled")).toEqual(known({ enabled: false }));
    expect(dhmcStated("unknown")).toBeUndefined();
    expect(dhmcStated(undefined)).toBeUndefined();
  });
});

describe("assumedDhmc", () => {
  const inInput = known({ enabled: true, roleName: "FromThePlan" });
  const unsure = unknown("outside", "the user does not know");

  it("takes a known statement over the input's setting", () => {
    expect(assumedDhmc(known({ enabled: false }), inInput)).toEqual(known({ enabled: false }));
  });

  it("takes the input's setting over an unknown statement", () => {
    expect(assumedDhmc(unsure, inInput)).toBe(inInput);
    expect(assumedDhmc(undefined, inInput)).toBe(inInput);
  });

  it("keeps an unknown statement, else says a static input cannot see the account's setting", () => {
    expect(assumedDhmc(unsure)).toBe(unsure);
    expect(assumedDhmc(undefined)).toBe(DHMC_NOT_IN_INPUT);
    expect(DHMC_NOT_IN_INPUT).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", decide: "set dhmc: enabled|disabled in .ssm-doctor.yaml" },
    });
  });
});
