/** Small builders for model objects used by the analysis tests. */
import {
  assumedAgentVersion,
  defaulted,
  emptyWorld,
  known,
  type NetworkAcl,
  type NetworkAclEntry,
  type Origin,
  type Peer,
  type Ref,
  type SecurityGroup,
  type SecurityGroupRule,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
  type World,
} from "../../src/model/index.js";

export function origin(id: string): Origin {
  return { source: "cloudformation", file: "template.yaml", id };
}

export const COND: UnknownReason = { code: "condition", message: "exists only when IsProd" };

export function list<T>(items: T[]): ValueList<T> {
  return known(items.map((i) => known(i)));
}

export function ranges(...cidrs: string[]): Value<string[]> {
  return known(cidrs);
}

export const UNKNOWN_RANGES: Value<string[]> = unknown("computed", "the endpoint's addresses are known after apply");

/** "10.0.0.0/16" → cidr peer; "sg:x" → security group reference; "pl:x" → prefix list; "v6:…" → IPv6. */
export function peer(spec: string | Value<Peer>): Value<Peer> {
  if (typeof spec !== "string") return spec;
  if (spec.startsWith("sg:")) return known({ kind: "security-group", group: known(spec.slice(3)) });
  if (spec.startsWith("pl:")) return known({ kind: "prefix-list", id: known(spec.slice(3)) });
  if (spec.startsWith("v6:")) return known({ kind: "cidr6", cidr: spec.slice(3) });
  return known({ kind: "cidr", cidr: spec });
}

export function rule(
  direction: "ingress" | "egress",
  protocol: string | Value<string>,
  from: number | Value<number>,
  to: number | Value<number>,
  to_: string | Value<Peer>,
  extra: Partial<SecurityGroupRule> = {},
): SecurityGroupRule {
  return {
    direction,
    protocol: typeof protocol === "string" ? known(protocol) : protocol,
    fromPort: typeof from === "number" ? known(from) : from,
    toPort: typeof to === "number" ? known(to) : to,
    peer: peer(to_),
    origin: origin(`rule-${direction}-${typeof protocol === "string" ? protocol : "x"}-${String(from)}`),
    ...extra,
  };
}

export const egress = (protocol: string, from: number, to: number, p: string, extra: Partial<SecurityGroupRule> = {}) =>
  rule("egress", protocol, from, to, p, extra);
export const ingress = (protocol: string, from: number, to: number, p: string, extra: Partial<SecurityGroupRule> = {}) =>
  rule("ingress", protocol, from, to, p, extra);

export function group(key: Ref, rules: SecurityGroupRule[], extra: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    key,
    name: key,
    origin: origin(key),
    vpc: known("rVpc"),
    ingress: rules.filter((r) => r.direction === "ingress"),
    egress: rules.filter((r) => r.direction === "egress"),
    rulesComplete: defaulted(true),
    egressManagement: { mode: "inline" },
    isDefault: false,
    ...extra,
  };
}

export function world(...groups: SecurityGroup[]): World {
  const w = emptyWorld("cloudformation", ["template.yaml"], {
    region: known("us-east-1"),
    dhmc: defaulted({ enabled: false }),
    agentVersion: assumedAgentVersion(undefined),
  });
  for (const g of groups) w.securityGroups.set(g.key, g);
  return w;
}

export function entry(
  ruleNumber: number | Value<number>,
  egress: boolean,
  action: "allow" | "deny" | Value<"allow" | "deny">,
  cidr: string | Value<{ kind: "ipv4" | "ipv6"; cidr: string }>,
  protocol: string | Value<string> = "tcp",
  ports: [number, number] | null | Value<{ from: number; to: number } | null> = null,
  extra: Partial<NetworkAclEntry> = {},
): NetworkAclEntry {
  const portRange: Value<{ from: number; to: number } | null> =
    ports === null ? known(null) : Array.isArray(ports) ? known({ from: ports[0], to: ports[1] }) : ports;
  return {
    ruleNumber: typeof ruleNumber === "number" ? known(ruleNumber) : ruleNumber,
    egress,
    protocol: typeof protocol === "string" ? known(protocol) : protocol,
    action: typeof action === "string" ? known(action) : action,
    cidr: typeof cidr === "string" ? known({ kind: cidr.includes(":") ? "ipv6" : "ipv4", cidr }) : cidr,
    portRange,
    origin: origin(`entry-${egress ? "out" : "in"}-${typeof ruleNumber === "number" ? ruleNumber : "x"}`),
    ...extra,
  };
}

export function acl(entries: NetworkAclEntry[], extra: Partial<NetworkAcl> = {}): NetworkAcl {
  return {
    key: "rAcl",
    name: "rAcl",
    origin: origin("rAcl"),
    vpc: known("rVpc"),
    entries,
    entriesComplete: true,
    isDefault: false,
    ...extra,
  };
}

/** Every address of a CIDR in a small space (prefix ≥ 20), for oracles. */
export function addressesOf(base: number, prefix: number): number[] {
  const size = 2 ** (32 - prefix);
  if (size > 4096) throw new Error("too many addresses for an oracle");
  return Array.from({ length: size }, (_, i) => base + i);
}

/** Matches evidence data (a rule, an ACL entry, a route target) that `read` writes as `text`. */
export function readsAs<T>(read: (facts: T) => string, text: string) {
  return { asymmetricMatch: (facts: T) => read(facts) === text, toString: () => `readsAs(${text})`, toAsymmetricMatcher: () => text };
}
