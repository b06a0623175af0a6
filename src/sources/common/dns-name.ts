/** DNS names and Resolver rules as every source reads them. */
import { type Element, known, type Ref, type ResolverRule, type Unknown, unknown, type Value } from "../../model/index.js";

/** A domain name as Resolver rules compare them: lower case, without the trailing dot; the root stays ".". */
export function dnsName(name: string): string {
  const n = name.trim().toLowerCase();
  return n === "." || n === "" ? "." : n.replace(/\.$/, "");
}

/**
 * The rule an association names when that rule is not in the input (one shared from another account, by id): a rule
 * of its own, keyed by the association, whose domain and type are not known. `input`: "template", "plan".
 */
export function ruleOutsideInput(association: Element, rule: Unknown, vpc: Value<Ref> | undefined, input: string): ResolverRule {
  return {
    ...association,
    domainName: unknown(
      rule.reason.code,
      `the rule it associates is not in this ${input} (${rule.reason.message})`,
      'if its domain covers the service\'s name (".", "amazonaws.com", …), the DNS servers it forwards to answer it',
      rule.origin,
    ),
    ruleType: unknown(rule.reason.code, "the type of the rule it associates is not known"),
    targets: known([]),
    vpcs: known(vpc ? [vpc] : []),
  };
}
