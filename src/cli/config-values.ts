/** The checks a value given both in the configuration and as a flag must pass, with their messages. */
import { closestRegion, isKnownRegion } from "./regions.js";

/** What is wrong with a region (one the installed SDK's partition data does not know); undefined when nothing is. */
export function regionProblem(region: string): string | undefined {
  return isKnownRegion(region) ? undefined : `not a known AWS region (closest: ${closestRegion(region)})`;
}

export const AGENT_VERSION = /^\d+(\.\d+){2,3}$/;
export const AGENT_VERSION_EXPECTED = "expected an SSM Agent version such as 3.3.40.0";
