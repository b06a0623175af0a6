/** The shapes of a path (hop ids, hops, service paths, placements) and the helpers every piece of it uses. */
import {
  type Instance,
  isKnown,
  known,
  knownValue,
  type Ref,
  type Subnet,
  unknown,
  type Value,
  type ValueList,
  type Vpc,
  type VpcEndpoint,
} from "../../model/index.js";
import type { ReplyPorts } from "../ports.js";
import type { ServiceId } from "../services.js";
import type { Check, Verdict } from "../verdict.js";

export type HopId =
  | "subnet"
  | "endpoint-type"
  | "endpoint-region"
  | "endpoint-state"
  | "endpoint-policy"
  | "vpc-dns-support"
  | "vpc-dns-hostnames"
  | "endpoint-private-dns"
  | "custom-dns"
  | "hosted-zone"
  | "route"
  | "nat-gateway"
  | "internet-gateway"
  | "public-ip"
  | "instance-sg-egress"
  | "endpoint-sg-ingress"
  | "nacl-instance-outbound"
  | "nacl-instance-inbound"
  | "nacl-endpoint-inbound"
  | "nacl-endpoint-outbound"
  | "nacl-nat-inbound"
  | "nacl-nat-outbound"
  /** Centralised endpoints: what lies behind the hub's attachment (its endpoint security group, policy, ACLs). */
  | "hub-endpoint"
  /** Centralised egress: the hub's way from the attachment to the internet. */
  | "hub-egress"
  /** VPC Block Public Access on the internet gateway the way leaves by. */
  | "block-public-access";

export interface Hop extends Check {
  id: HopId;
  /** The element responsible for this hop (where a fix would go). */
  subject?: Ref;
}

export type RouteKind = "endpoint" | "gateway-endpoint" | "hosted-zone" | "internet" | "none" | "unknown";

export interface ServicePath {
  service: ServiceId;
  route: RouteKind;
  endpoint?: Ref;
  hops: Hop[];
  verdict: Verdict;
}

export interface Placement {
  subnet: Value<Ref>;
  paths: ServicePath[];
}

/** The instance's end of every path: the instance, the subnet it runs in, and that subnet's VPC. */
export interface InstanceSide {
  instance: Instance;
  subnet: Subnet;
  vpc: Vpc;
  /** Where the instance's address lies: its private IP, else its subnet. */
  ranges: Value<string[]>;
  /** The ports its connections take replies on, by the operating system its image runs. */
  replyPorts: ReplyPorts;
}

/** Judges an endpoint's policy against the actions the agent needs (the caller knows how: IAM evaluation). */
export type PolicyCheck = (endpoint: VpcEndpoint, actions: readonly string[]) => Check | undefined;

/** A hop of the path; `subject` is where a fix would go. */
export function hop(id: HopId, check: Check, subject?: Ref): Hop {
  return subject ? { id, subject, ...check } : { id, ...check };
}

/** A path fails when one hop fails, is unknown when one is unknown, and passes otherwise. */
export function verdictOf(hops: Hop[]): Verdict {
  if (hops.some((h) => h.verdict === "fail")) return "fail";
  if (hops.some((h) => h.verdict === "unknown")) return "unknown";
  return "pass";
}

const rank: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

/** The best of several alternative paths: pass over unknown over fail. */
export function bestPath(paths: ServicePath[]): ServicePath {
  return paths.reduce((a, b) => (rank[b.verdict] < rank[a.verdict] ? b : a));
}

/** The element a reference names, or why it is not known (the reference is not, or it points outside the input). */
export function lookup<Element>(map: Map<Ref, Element>, ref: Value<Ref>, what: string): Value<Element> {
  if (!isKnown(ref)) return ref;
  const element = map.get(ref.value);
  return element ? known(element) : unknown("outside", `${what} ${ref.value} is not defined in this input`);
}

/** Whether a list of references names `key`: known to ("yes"), perhaps (an item or the list not known), or not. */
export function membership(list: ValueList<Ref>, key: Ref): "yes" | "maybe" | "no" {
  if (!isKnown(list)) return "maybe";
  if (list.value.some((v) => isKnown(v) && v.value === key)) return "yes";
  return list.value.some((v) => !isKnown(v)) ? "maybe" : "no";
}

/** The first known security group of a list: the subject of a security group hop. */
export function firstGroup(groups: ValueList<Ref>): Ref | undefined {
  const list = knownValue(groups);
  if (!list) return undefined;
  for (const g of list) if (isKnown(g)) return g.value;
  return undefined;
}
