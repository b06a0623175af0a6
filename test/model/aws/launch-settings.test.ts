import { describe, expect, it } from "vitest";
import {
  defaulted,
  type ImageSource,
  known,
  type LaunchSettings,
  mergeLaunchSettings,
  unknown,
  unknownLaunchSettings,
} from "../../../src/model/index.js";

describe("mergeLaunchSettings", () => {
  const template: LaunchSettings = {
    image: known<ImageSource>({ kind: "ami-id", id: "ami-template" }),
    userData: known("#!/bin/bash"),
    httpTokens: known<"optional" | "required">("required"),
  };

  it("keeps the instance's own settings when nothing is launched from", () => {
    const own: LaunchSettings = { httpTokens: known<"optional" | "required">("optional") };
    expect(mergeLaunchSettings(own, undefined)).toBe(own);
  });

  it("lets the instance's own settings win, setting by setting, over the template's", () => {
    const merged = mergeLaunchSettings({ httpTokens: known<"optional" | "required">("optional"), privateIp: known("10.0.0.5") }, template);
    expect(merged.httpTokens).toEqual(known("optional"));
    expect(merged.privateIp).toEqual(known("10.0.0.5"));
    expect(merged.userData).toEqual(known("#!/bin/bash"));
    expect(merged.image).toBe(template.image);
  });

  it("does not let a setting the instance leaves undefined hide the template's", () => {
    const merged = mergeLaunchSettings({ userData: undefined, httpEndpoint: defaulted<"enabled" | "disabled">("enabled") }, template);
    expect(merged.userData).toEqual(known("#!/bin/bash"));
    expect(merged.httpEndpoint).toEqual(defaulted("enabled"));
    expect(template).not.toHaveProperty("httpEndpoint");
  });
});

describe("unknownLaunchSettings", () => {
  it("makes every setting a launch template decides unknown for the one reason", () => {
    const reason = unknown("outside", "lt-0abc is not in this input");
    const settings = unknownLaunchSettings(reason);
    expect(Object.keys(settings).sort()).toEqual(
      ["associatePublicIp", "httpEndpoint", "httpTokens", "image", "instanceProfile", "securityGroups", "userData"].sort(),
    );
    for (const value of Object.values(settings)) expect(value).toBe(reason);
  });
});
