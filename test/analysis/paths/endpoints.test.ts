/**
 * The VPC endpoints of a VPC for a service (src/analysis/paths/endpoints.ts), and the three kinds of
 * doubt about the others: why an endpoint might be one of them (undecided), the subset that might take the
 * service's name over (takeover), and the subset whose security groups are not known (groupsUnknown).
 */
import { describe, expect, it } from "vitest";
import { endpointsFor } from "../../../src/analysis/paths.js";
import { known, unknown } from "../../../src/model/index.js";
import { addEndpoint, smallWorld } from "./small-world.js";

describe("endpointsFor", () => {
  it("finds the endpoints of the VPC for the service, and no other", () => {
    const world = smallWorld();
    const first = addEndpoint(world, "vpce-ssm-1", "ssm");
    const second = addEndpoint(world, "vpce-ssm-2", "ssm");
    addEndpoint(world, "vpce-logs", "logs");
    addEndpoint(world, "vpce-other", "ssm", { vpc: known("vpc-other") });
    addEndpoint(world, "vpce-partner", "ssm", { serviceName: known("com.partner.vpce.ssm") });
    expect(endpointsFor(world, "vpc", "ssm")).toEqual({ endpoints: [first, second], undecided: [], takeover: [], groupsUnknown: [] });
    expect(endpointsFor(world, "vpc", "kms").endpoints).toEqual([]);
  });

  it("counts an endpoint whose VPC is not known as undecided for its service, and as a takeover when it may serve private DNS", () => {
    const world = smallWorld();
    const vpc = unknown("parameter", "VpcId is a parameter");
    addEndpoint(world, "vpce-ssm", "ssm", { vpc });
    addEndpoint(world, "vpce-ssm-no-dns", "ssm", { vpc, privateDnsEnabled: known(false) });
    addEndpoint(world, "vpce-ssm-gateway", "ssm", { vpc, endpointType: known("Gateway") });
    addEndpoint(world, "vpce-ssm-type", "ssm", { vpc, endpointType: unknown("computed", "type later") });
    const found = endpointsFor(world, "vpc", "ssm");
    expect(found.endpoints).toEqual([]);
    expect(found.undecided).toEqual([vpc.reason, vpc.reason, vpc.reason, vpc.reason]);
    expect(found.takeover).toEqual([vpc.reason, vpc.reason]); // the interface endpoint, and the one of unknown type
    expect(found.groupsUnknown).toEqual([]);
    expect(endpointsFor(world, "vpc", "ssmmessages").undecided).toEqual([]);
  });

  it("counts an endpoint whose service name is not known as undecided for every service", () => {
    const world = smallWorld();
    const serviceName = unknown("parameter", "ServiceName is a parameter");
    addEndpoint(world, "vpce-any", "ssm", { serviceName });
    for (const service of ["ssm", "kms"] as const) {
      expect(endpointsFor(world, "vpc", service)).toEqual({
        endpoints: [],
        undecided: [serviceName.reason],
        takeover: [serviceName.reason],
        groupsUnknown: [],
      });
    }
  });

  it("counts an endpoint that exists only under a condition as undecided", () => {
    const world = smallWorld();
    const conditional = { code: "condition" as const, message: "exists only when UseEndpoints" };
    addEndpoint(world, "vpce-ssm", "ssm", { conditional });
    expect(endpointsFor(world, "vpc", "ssm")).toMatchObject({ endpoints: [], undecided: [conditional], takeover: [conditional] });
  });

  it("says why the security groups are not known of an undecided endpoint whose groups are not known", () => {
    const world = smallWorld();
    const unreadable = unknown("access-denied", "ec2:DescribeVpcEndpoints was denied");
    addEndpoint(world, "vpce-ssm", "ssm", { vpc: unreadable, securityGroups: unreadable });
    expect(endpointsFor(world, "vpc", "ssm").groupsUnknown).toEqual([unreadable.reason]);
  });
});
