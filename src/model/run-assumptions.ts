/**
 * What a run assumes about the account that its input cannot show, each with where it comes from: the
 * region (--region, the input's own, or unknown), Default Host Management Configuration (--dhmc, the
 * configuration, the input, the account) and the SSM Agent version where an instance reports none
 * (--agent-version, the configuration, else the latest known). The caller states them in a source's
 * options, the source settles them and puts them on the World; analysis reads them only from there.
 */
import type { Origin } from "./origin.js";
import type { Value } from "./value.js";

/** Default Host Management Configuration as the run sees it. */
export interface DhmcSetting {
  readonly enabled: boolean;
  /** The role name the setting names, when known. */
  readonly roleName?: string;
  readonly origin?: Origin;
}

export interface RunAssumptions {
  readonly region: Value<string>;
  readonly dhmc: Value<DhmcSetting>;
  readonly agentVersion: Value<string>;
}

/** What the caller states before a source reads its input (the command line and the configuration). */
export interface StatedAssumptions {
  /** --region: wins over the input's own. */
  region?: string;
  /** --dhmc or the configuration; a known statement wins over the input's setting. */
  dhmc?: Value<DhmcSetting>;
  /** --agent-version or the configuration. */
  agentVersion?: string;
}
