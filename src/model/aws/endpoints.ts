/** VPC endpoint types, as EC2 names them. */
import type { EndpointType } from "../world.js";

export const ENDPOINT_TYPES: readonly EndpointType[] = ["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"];

/** The type an endpoint gets when its input names none. */
export const DEFAULT_ENDPOINT_TYPE: EndpointType = "Gateway";

/** The endpoint type a written value names, whatever its case; undefined when it names none. */
export function endpointTypeNamed(text: unknown): EndpointType | undefined {
  return typeof text === "string" ? ENDPOINT_TYPES.find((type) => type.toLowerCase() === text.toLowerCase()) : undefined;
}
