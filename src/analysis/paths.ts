/**
 * The per-instance, per-service path from the agent to a service: which way the traffic goes
 * (interface endpoint, private hosted zone, or the internet through NAT/IGW) and a verdict with
 * evidence for every hop. Computed once per instance and shared by all rules.
 *
 * The pieces live in `paths/`, one file per part of the way:
 * - `hops.ts`: the shapes (hop ids, hops, service paths) and the small helpers every piece uses;
 * - `placements.ts`: an instance's subnets, each with one path per required service;
 * - `service-path.ts`: which of the ways below the agent takes for one service;
 * - `endpoint-path.ts`: through an interface or gateway VPC endpoint in the instance's VPC;
 * - `internet-path.ts`: through the subnet's route to a NAT gateway, an internet gateway or a declared hub;
 * - `hub-path.ts` and `hubs.ts`: centralised endpoints and egress in a hub VPC (declared in .ssm-doctor.yaml);
 * - `hosted-zones.ts`: private hosted zones that take a service's name over;
 * - `endpoints.ts`: the VPC endpoints of a VPC for a service, indexed once per world;
 * - `dns.ts`: the VPC resolver, endpoint private DNS and DHCP options with DNS servers of their own;
 * - `routes.ts`: where a route table sends a public address;
 * - `network-acl-legs.ts` and `security-group-hops.ts`: the ACL and security group hops of a connection.
 */
export { customDnsServers } from "./paths/dns.js";
export { endpointsFor } from "./paths/endpoints.js";
export type { Hop, HopId, InstanceSide, Placement, PolicyCheck, RouteKind, ServicePath } from "./paths/hops.js";
export { lookup } from "./paths/hops.js";
export { hostedZoneFor, undecidedHostedZones } from "./paths/hosted-zones.js";
export { placementsOf } from "./paths/placements.js";
export { servicePath } from "./paths/service-path.js";
