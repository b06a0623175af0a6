import { describe, expect, it } from "vitest";
import { normalizeProtocol, portsMeaning } from "../../../src/model/index.js";

describe("normalizeProtocol", () => {
  it("maps the protocol numbers AWS accepts to the model's names", () => {
    expect(["-1", "6", "17", "1", "58"].map(normalizeProtocol)).toEqual(["all", "tcp", "udp", "icmp", "icmpv6"]);
  });

  it("lower-cases and trims names, and keeps other protocols as written", () => {
    expect(normalizeProtocol(" TCP ")).toBe("tcp");
    expect(normalizeProtocol("All")).toBe("all");
    expect(normalizeProtocol("50")).toBe("50");
    expect(normalizeProtocol("esp")).toBe("esp");
  });

  it("does not read names off the object prototype", () => {
    expect(normalizeProtocol("constructor")).toBe("constructor");
    expect(normalizeProtocol("toString")).toBe("tostring");
  });
});

describe("portsMeaning", () => {
  it("says what from/to ports mean for each protocol", () => {
    expect(portsMeaning("tcp")).toBe("port-range");
    expect(portsMeaning("udp")).toBe("port-range");
    expect(portsMeaning("icmp")).toBe("icmp-type-code");
    expect(portsMeaning("icmpv6")).toBe("icmp-type-code");
    expect(portsMeaning("all")).toBe("none");
    expect(portsMeaning("50")).toBe("none");
  });
});
