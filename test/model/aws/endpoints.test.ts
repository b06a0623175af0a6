import { describe, expect, it } from "vitest";
import { DEFAULT_ENDPOINT_TYPE, ENDPOINT_TYPES, endpointTypeNamed } from "../../../src/model/index.js";

describe("VPC endpoint types", () => {
  it("lists EC2's five types, and Gateway is the default", () => {
    expect(ENDPOINT_TYPES).toEqual(["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"]);
    expect(DEFAULT_ENDPOINT_TYPE).toBe("Gateway");
  });

  it("reads a written type whatever its case", () => {
    expect(endpointTypeNamed("interface")).toBe("Interface");
    expect(endpointTypeNamed("GATEWAYLOADBALANCER")).toBe("GatewayLoadBalancer");
    expect(endpointTypeNamed("ServiceNetwork")).toBe("ServiceNetwork");
  });

  it("names no type for anything else", () => {
    expect(endpointTypeNamed("Gatewayish")).toBeUndefined();
    expect(endpointTypeNamed("")).toBeUndefined();
    expect(endpointTypeNamed(1)).toBeUndefined();
    expect(endpointTypeNamed(undefined)).toBeUndefined();
  });
});
