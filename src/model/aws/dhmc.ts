/**
 * Default Host Management Configuration: the Systems Manager service setting that names the role instances
 * without an instance profile are managed with. Static inputs rarely set it; the account decides.
 */
import type { Origin } from "../origin.js";
import type { DhmcSetting } from "../run-assumptions.js";
import { known, unknown, type Value } from "../value.js";

export const DHMC_SETTING_ID = "/ssm/managed-instance/default-ec2-instance-management-role";

/** What a static input says about DHMC when it sets nothing and the user did not say either. */
export const DHMC_NOT_IN_INPUT: Value<DhmcSetting> = unknown(
  "outside",
  "static input cannot see the account's Default Host Management Configuration",
  "set dhmc: enabled|disabled in .ssm-doctor.yaml",
);

/** The setting's value (a role name; empty, "$None" or "None" when off) → the DHMC setting. */
export function dhmcOfSettingValue(settingValue: string | undefined, origin: Origin): DhmcSetting {
  const role = settingValue?.trim() ?? "";
  const enabled = role !== "" && role !== "$None" && role !== "None";
  return enabled ? { enabled, roleName: role, origin } : { enabled, origin };
}

/** `enabled` / `disabled` as the user states it (--dhmc, configuration); undefined for anything else. */
export function dhmcStated(setting: string | undefined): Value<DhmcSetting> | undefined {
  if (setting === "enabled") return known({ enabled: true });
  if (setting === "disabled") return known({ enabled: false });
  return undefined;
}

/**
 * Which DHMC a static run assumes: what the user states for certain, else what the input sets, else what
 * the user left unknown, else DHMC_NOT_IN_INPUT.
 */
export function assumedDhmc(stated: Value<DhmcSetting> | undefined, inInput?: Value<DhmcSetting>): Value<DhmcSetting> {
  return (stated?.kind === "known" ? stated : undefined) ?? inInput ?? stated ?? DHMC_NOT_IN_INPUT;
}
