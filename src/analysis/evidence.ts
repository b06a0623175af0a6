/**
 * Evidence: what an analysis or a rule saw, as data. Each code is defined once here with its arguments, so a
 * producer with a wrong code or argument does not compile; src/report/evidence.ts writes the words for
 * every code (and TypeScript checks that it covers them all).
 */
import type { Origin, RouteTarget } from "../model/index.js";
import type { PortRange } from "./ports.js";
import type { ServiceId } from "./services.js";

export type Direction = "egress" | "ingress";

/**
 * An attribute that findings name, by a neutral id; the report names it as the input does
 * (PrivateDnsEnabled in CloudFormation, private_dns_enabled in Terraform).
 */
export type AttributeId = "privateDnsEnabled" | "vpcEndpointType" | "enableDnsHostnames" | "enableDnsSupport" | "httpTokens";

/**
 * The traffic a security group rule or an ACL entry matches: `protocol` null when not known, "all" for all
 * traffic; `ports` for a protocol with ports: a range, every port ("all"), not known, or none (from > to).
 */
export interface TrafficFacts {
  protocol: string | null;
  ports?: PortRange | "all" | "unknown" | "none";
}

/** The other end of a rule or entry; `kind: "unknown"` when not known (`of` says what kind of peer it is, when known). */
export type PeerFacts =
  | { kind: "cidr" | "group" | "prefix-list"; value: string }
  | { kind: "default-group"; vpc: string }
  | { kind: "unknown"; of?: "group" | "prefix-list" };

/** A security group rule as evidence names it. */
export interface SecurityGroupRuleFacts {
  direction: Direction;
  traffic: TrafficFacts;
  peer: PeerFacts;
  conditional: boolean;
}

/** A network ACL entry as evidence names it (`number`, `action` null when not known), or the implicit final deny. */
export type NetworkAclEntryFacts =
  | {
      kind: "entry";
      number: number | null;
      action: "allow" | "deny" | null;
      egress: boolean;
      traffic: TrafficFacts;
      peer: PeerFacts;
      conditional: boolean;
    }
  | { kind: "implicit-deny" };

/** Where a route sends traffic: the kind of target and its id (null when not known), or the input's own words. */
export type RouteTargetFacts =
  | { kind: Exclude<RouteTarget["kind"], "other">; id: string | null }
  | { kind: "other"; description: string; blackhole?: boolean };

/** What a declared hub is taken to do, at its word. */
export type HubClaim =
  | { kind: "endpoint"; service: ServiceId }
  | { kind: "egress"; via: RouteTargetFacts; fromSpokes: boolean }
  | { kind: "hosted-zone"; service: ServiceId };

/** Every evidence code and its arguments. Names are the input's names of the elements involved. */
export interface EvidenceArgs {
  /** `rule`: the rule that allows (absent when not known). */
  "sg-allows": { group: string; rule: SecurityGroupRuleFacts | null };
  /** `rules`: the group's rules in that direction; `ports`: the ports none allows ("443"). */
  "sg-no-match": { group: string; rules: readonly SecurityGroupRuleFacts[]; peer: string; direction: Direction; ports: string };
  "sg-no-groups": { peer: string; direction: Direction; ports: string };
  "sg-partial": { group: string; rule: SecurityGroupRuleFacts | null; peer: string };
  /** `rule`: the entry that decides. */
  "nacl-allows": { acl: string; rule: NetworkAclEntryFacts; direction: "inbound" | "outbound" };
  "nacl-denies": { acl: string; rule: NetworkAclEntryFacts; ports: string; direction: "inbound" | "outbound"; peer: string };
  "nacl-partial": { acl: string; rule: NetworkAclEntryFacts; ports: string; direction: "inbound" | "outbound"; peer: string };
  "iam-allowed-by": { action: string; policy: string; statement: string | number };
  "iam-denied-by": { action: string; policy: string; statement: string | number };
  /** `policies`: the names of the policies evaluated, none when empty. */
  "iam-not-allowed": { action: string; policies: readonly string[] };
  /** An Allow statement names the action, but only for `resources`, which do not cover what the agent calls it on. */
  "iam-allowed-elsewhere": { action: string; policy: string; statement: string | number; resources: readonly string[] };
  /** The boundary by its name, or (`boundaryOf`) by whose boundary it is when its name is not known. */
  "iam-boundary-blocks": { action: string; boundary: string } | { action: string; boundaryOf: string };
  "trust-missing-service": { service: string; principals: readonly string[] };
  "trust-denied": { service: string; statement: string | number };
  "trust-any-principal": { service: string; statement: string | number };
  "trust-condition": { service: string; statement: string | number };
  "vpc-attribute-false": { vpc: string; attribute: "enableDnsHostnames" | "enableDnsSupport"; defaulted?: boolean };
  "endpoint-private-dns-off": { endpoint: string; defaulted?: boolean };
  "endpoint-type": { endpoint: string; type: string; defaulted: boolean; service: ServiceId };
  "endpoint-region": { endpoint: string; region: string; deployment: string };
  "endpoint-state": { endpoint: string; state: string };
  "endpoint-policy-denies": { endpoint: string; actions: readonly string[] };
  "endpoint-azs": { endpoint: string; zones: string; az: string };
  "endpoint-no-subnets": { endpoint: string; service: ServiceId };
  "route-missing": { routeTable: string };
  /** `target`: what the route named, now gone. */
  "route-blackhole": { routeTable: string; target: string };
  "route-default": { routeTable: string };
  "route-to-igw": { routeTable: string; gateway: string };
  "route-elsewhere": { routeTable: string; target: RouteTargetFacts };
  "no-public-ip": { instance: string; setting: "explicit" } | { instance: string; subnet: string; setting: "subnet" };
  "igw-detached": { gateway: string };
  "nat-without-igw": { gateway: string; subnet: string; routeTable: string };
  "nat-subnet-not-public": { routeTable: string; target: string };
  "nat-private": { gateway: string };
  "nat-state": { gateway: string; state: string };
  "gateway-endpoint-not-routed": { endpoint: string; routeTable: string };
  "hosted-zone": { zone: string; name: string };
  "hub-declared": { hub: string; file: string; claim: HubClaim };
  "route-to-hub": { routeTable: string; destination: string; target: RouteTargetFacts };
  "route-no-hub": { routeTable: string; destination: string };
  "route-not-to-hub": { routeTable: string; destination: string; target: RouteTargetFacts; hub: string };
  "custom-dns-servers": { options: string; servers: readonly string[] };
  "resolver-rule-forwards": { rule: string; domain: string; targets: readonly string[] };
  /** `subnetKey`: the subnet as the fix names it. */
  "bpa-blocks": { options: string; mode: string; exit: "internet-gateway" | "nat-gateway"; subnet: string; subnetKey: string };
  "bpa-excluded": { exclusion: string; subnet: string };
  /** `key`: the KMS key that encrypts the group; empty: none. */
  "log-group-encryption": { group: string; key: string };
  "no-instance-profile": { instance: string };
  "imds-tokens": { instance: string; tokens: string };
  "imds-disabled": { instance: string };
  "image-family": { family: string; basis: string };
  "iam-simulated": { action: string; decision: string; principal: string; policies: readonly string[] };
  "agent-ping": { instance: string; ping: string; lastPing: string | null };
  "agent-not-registered": { instance: string };
  "agent-version": { instance: string; version: string };
  "instance-state": { instance: string; state: string };
}

export type EvidenceCode = keyof EvidenceArgs;

/** One piece of evidence: a code, its arguments, and where in the input it stands. */
export type Evidence = {
  [C in EvidenceCode]: { code: C; args: EvidenceArgs[C]; origin?: Origin };
}[EvidenceCode];

/** The arguments of `e` when it is evidence of `code`, else undefined. */
export function argsOf<C extends EvidenceCode>(e: Evidence | undefined, code: C): EvidenceArgs[C] | undefined {
  return e?.code === code ? (e.args as EvidenceArgs[C]) : undefined;
}
