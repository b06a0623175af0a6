/** Launch settings: what an instance, a launch template or a launch configuration says about the instances it starts. */
import type { Origin } from "../origin.js";
import type { Unknown, Value, ValueList } from "../value.js";
import type { ImageSource, Ref } from "../world.js";

/** Launch settings found at one level (instance, launch template, launch configuration); undefined = not set there. */
export interface LaunchSettings {
  image?: Value<ImageSource>;
  userData?: Value<string | null>;
  subnets?: ValueList<Ref>;
  securityGroups?: ValueList<Ref>;
  associatePublicIp?: Value<boolean | null>;
  privateIp?: Value<string>;
  instanceProfile?: Value<Ref | null>;
  httpEndpoint?: Value<"enabled" | "disabled">;
  httpTokens?: Value<"optional" | "required">;
  metadataOrigin?: Origin;
}

/** Everything a launch from a launch template that cannot be known would decide is unknown for the same reason. */
export function unknownLaunchSettings(reason: Unknown): LaunchSettings {
  return {
    image: reason,
    userData: reason,
    securityGroups: reason,
    associatePublicIp: reason,
    instanceProfile: reason,
    httpEndpoint: reason,
    httpTokens: reason,
  };
}

/** Launch settings stack: an instance's own settings win over its launch template's, setting by setting. */
export function mergeLaunchSettings<Settings extends object>(own: Settings, launched: Settings | undefined): Settings {
  if (!launched) return own;
  const out = { ...launched };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
