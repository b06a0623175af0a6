/**
 * Route 53 Resolver rules that send a service's name to DNS servers outside the VPC resolver. The resolver answers a
 * query by the most specific domain among its rules and private hosted zones, a rule winning a tie; a FORWARD (or
 * DELEGATE) rule sends the query to the servers it names, whose answer the input does not show.
 */
import { isKnown, type Ref, type ResolverRule, type UnknownReason, type World } from "../../model/index.js";
import type { Evidence } from "../evidence.js";
import type { ServiceId } from "../services.js";
import { undecided } from "../verdict.js";
import { type Hop, hop, membership } from "./hops.js";

export interface Forwarding {
  /**
   * A rule for the service's own name: it outranks an interface endpoint's private DNS and a private hosted zone of
   * that name. A rule for a parent domain (amazonaws.com, ".") loses to both, and takes only the public name.
   */
  exact: boolean;
  hop: Hop;
}

/** Rule types that hand the query to other servers; SYSTEM and RECURSIVE keep it with the VPC resolver. */
const FORWARDING_TYPES = new Set(["FORWARD", "DELEGATE"]);

/**
 * How many labels of the service's name `<svc>.<region>.amazonaws.com` a rule's domain covers: 4 for the name
 * itself, fewer for a parent domain, 0 for the root ".", undefined when the domain does not cover the name. Without
 * the region, any region label is taken to match (the rule may then take the name; never a pass by guessing).
 */
export function coverage(domain: string, service: ServiceId, region: string | undefined): number | undefined {
  if (domain === ".") return 0;
  const labels = domain.split(".");
  const name = [service, region ?? labels[labels.length - 3] ?? "", "amazonaws", "com"];
  if (labels.length > name.length) return undefined;
  const tail = name.slice(name.length - labels.length);
  return tail.every((l, i) => l === labels[i]) ? labels.length : undefined;
}

/** The forwarding rule that takes the service's name for the VPC, or may, as a DNS hop; undefined when none can. */
export function forwardingOf(world: World, vpc: Ref, service: ServiceId): Forwarding | undefined {
  if (world.resolverRules.size === 0) return undefined;
  const region = isKnown(world.assumptions.region) ? world.assumptions.region.value : undefined;
  const name = `${service}.${region ?? "<region>"}.amazonaws.com`;
  // The most specific rule known to apply, whose type decides; rules that may apply at least as specifically add doubt.
  let winner: { rule: ResolverRule; labels: number; forwards: boolean } | undefined;
  const maybe: { rule: ResolverRule; labels: number | undefined; reason: UnknownReason }[] = [];
  for (const rule of world.resolverRules.values()) {
    const associated = membership(rule.vpcs, vpc);
    if (associated === "no") continue;
    const domain = rule.domainName;
    const labels = isKnown(domain) ? coverage(domain.value, service, region) : undefined;
    if (isKnown(domain) && labels === undefined) continue;
    const type = rule.ruleType;
    if (associated === "yes" && labels !== undefined && isKnown(type) && !rule.conditional) {
      const forwards = FORWARDING_TYPES.has(type.value);
      if (!winner || labels > winner.labels || (labels === winner.labels && forwards)) winner = { rule, labels, forwards };
      continue;
    }
    if (isKnown(type) && !FORWARDING_TYPES.has(type.value)) continue;
    const why = !isKnown(domain)
      ? domain.reason
      : !isKnown(type)
        ? type.reason
        : associated === "maybe"
          ? associationReason(rule)
          : (rule.conditional ?? associationReason(rule));
    maybe.push({
      rule,
      labels,
      reason: {
        code: why.code,
        message: `${rule.name} may send ${name} to DNS servers outside the VPC resolver: ${why.message}`,
        ...(why.decide ? { decide: why.decide } : {}),
      },
    });
  }
  const forwards = winner?.forwards ? winner : undefined;
  const doubts = maybe.filter((m) => !winner || m.labels === undefined || m.labels >= winner.labels);
  if (!forwards && doubts.length === 0) return undefined;
  const reasons: UnknownReason[] = doubts.map((d) => d.reason);
  const evidence: Evidence[] = [];
  if (forwards) {
    const { rule } = forwards;
    const domain = isKnown(rule.domainName) ? rule.domainName.value : "";
    const targets = isKnown(rule.targets) ? rule.targets.value : [];
    reasons.unshift({
      code: "outside",
      message: `the Route 53 Resolver rule ${rule.name} sends ${name} to the DNS servers ${targets.length > 0 ? targets.join(", ") : "it names"}, whose answer is not visible here`,
      decide: `check that those servers answer ${name} with the address the agent should reach, or add a SYSTEM rule for ${name}`,
    });
    evidence.push({ code: "resolver-rule-forwards", args: { rule: rule.name, domain, targets }, origin: rule.origin });
  }
  const exact = (forwards?.labels ?? 0) >= 4 || doubts.some((d) => d.labels === undefined || d.labels >= 4);
  const subject = (forwards ?? doubts[0]!).rule.key;
  return { exact, hop: hop("custom-dns", undecided(reasons, evidence), subject) };
}

function associationReason(rule: ResolverRule): UnknownReason {
  const vpcs = rule.vpcs;
  if (!isKnown(vpcs)) return vpcs.reason;
  const open = vpcs.value.find((v) => !isKnown(v));
  return open && !isKnown(open) ? open.reason : { code: "outside", message: `which VPCs use ${rule.name} is not known` };
}
