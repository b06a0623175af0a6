/**
 * Network ACL entries whose ACL the input does not name (an AWS::EC2::NetworkAclEntry whose NetworkAclId depends on
 * a condition, an aws_network_acl_rule whose network_acl_id comes from a data source read at apply): dropping them
 * would drop a deny, so each ACL of the input gets, per direction, one entry standing for all of them. Its number,
 * protocol, ports and range are not known; its action is "allow" when every such entry allows (an allow can only
 * turn a deny into a maybe, never break what passes), else not known either. One entry per direction, whatever the
 * number of rules or ACLs: the cost stays linear.
 */
import { known, type NetworkAclEntry, type Origin, type UnknownReason, unknown, type Value } from "../../model/index.js";

type Direction = "ingress" | "egress";

interface Summary {
  readonly first: string;
  readonly origin: Origin;
  readonly reason: UnknownReason;
  count: number;
  allowOnly: boolean;
}

export class UnplacedAclRules {
  private readonly byDirection = new Map<Direction, Summary>();

  /** A rule (`name`: its address or logical id) whose ACL is not known, for `reason`. */
  add(direction: Direction, name: string, origin: Origin, reason: UnknownReason, action: Value<"allow" | "deny">): void {
    const allows = action.kind === "known" && action.value === "allow";
    const seen = this.byDirection.get(direction);
    if (seen) {
      seen.count++;
      seen.allowOnly &&= allows;
    } else this.byDirection.set(direction, { first: name, origin, reason, count: 1, allowOnly: allows });
  }

  /**
   * The entries every ACL of the input gets: "aws_network_acl_rule.x adds egress entries to a network ACL the plan
   * does not name (why): this network ACL may be it". `input` names the input in those words ("plan", "template").
   */
  entries(input: string, decide: string | undefined): NetworkAclEntry[] {
    const out: NetworkAclEntry[] = [];
    for (const [direction, s] of this.byDirection) {
      const rules = s.count > 1 ? `${s.first} and ${s.count - 1} more such entries add` : `${s.first} adds`;
      const why = unknown(
        s.reason.code,
        `${rules} ${direction} entries to a network ACL the ${input} does not name (${s.reason.message}): this network ACL may be it`,
        decide ?? s.reason.decide,
        s.origin,
      );
      out.push({
        ruleNumber: why,
        egress: direction === "egress",
        protocol: why,
        action: s.allowOnly ? known("allow", s.origin) : why,
        cidr: why,
        portRange: why,
        origin: s.origin,
      });
    }
    return out;
  }
}
