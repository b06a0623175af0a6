/** The Default Host Management Configuration: the service setting that names the role for instances without a profile. */
import type * as SSM from "@aws-sdk/client-ssm";
import { DHMC_SETTING_ID } from "../../../model/index.js";
import type { Caller, Outcome } from "../caller.js";
import type { Sdk } from "../sdk.js";

export interface DhmcReads {
  /** null: the setting was never set. */
  dhmc: Outcome<SSM.ServiceSetting | null>;
}

export function readDhmcSetting(caller: Caller, ssm: SSM.SSMClient, sdk: Sdk["ssm"]): Promise<DhmcReads["dhmc"]> {
  return caller.attempt("ssm:GetServiceSetting", async () => {
    try {
      const r = await caller.call("ssm:GetServiceSetting", () =>
        ssm.send(new sdk.GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID })),
      );
      return r.ServiceSetting ?? null;
    } catch (e) {
      if ((e as Error).name === "ServiceSettingNotFound") return null;
      throw e;
    }
  });
}
