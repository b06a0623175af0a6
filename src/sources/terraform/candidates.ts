/**
 * Resources that attach something to an element the plan does not name (a rule to a group, a policy to a role, a
 * subnet to a route table) because its reference picks by count.index or each.key, or is otherwise one of several:
 * each element it may name is told so, instead of the resource being dropped and the element looking complete.
 * The resources of one count or for_each share their candidates (Reader.configuredKeys answers once for them), so
 * the candidates are walked once per resource block: a fleet of n resources over n elements costs n, not n².
 */
import { type NetworkAclEntry, type Origin, type Ref, type Route, type Unknown, unknown } from "../../model/index.js";
import type { TfResource } from "./plan-index.js";
import { AFTER_APPLY, type ElementKind, type FoundKeys, type Path, type Reader } from "./reader.js";

/**
 * Whether a resource's reference at `path` is computed and the configuration does not lead to the elements it may
 * name: a data source read at apply (`data.aws_network_acls.x.ids[0]`), a local, an expression not followed. Such a
 * resource may name any element of the plan of that kind. A literal id (or a variable's) is an element outside the
 * plan; one of several elements of the plan is told to those elements (Candidates).
 */
export function leadsNowhere(reader: Reader, resource: TfResource, path: Path, kind: ElementKind, configured?: FoundKeys): boolean {
  const raw = reader.raw(resource, path);
  // A known value, or a list whose members are all known: literal ids, elements outside the plan.
  if (
    raw.kind === "value" &&
    !(Array.isArray(raw.value) && raw.value.some((_, i) => reader.raw(resource, [...path, i]).kind === "unknown"))
  )
    return false;
  const found = configured ?? reader.configuredKeys(resource, path, kind);
  if (!found) return true;
  if (found.keys.length > 1) return false;
  return found.reasons.length > 0 || (found.keys.length === 0 && found.literals.length === 0);
}

/** What each candidate element is told. */
export interface Candidacy {
  /** The first such resource, and how many there are. */
  readonly first: string;
  count: number;
  readonly origin: Origin;
  /** "one of the 40 instances of aws_security_group.app, picked by count.index" */
  readonly among: string;
}

/**
 * What a candidate element is told: "aws_x.y[0] and 39 more like it {action} {among}, and the plan JSON does not
 * say which: this {element} may be one".
 */
export function candidacyText(c: Candidacy, action: string, element: string, like = " like it"): string {
  const resources = c.count > 1 ? `${c.first} and ${c.count - 1} more${like}` : c.first;
  return `${resources} ${c.count > 1 ? action : thirdPerson(action)} ${c.among}, and the plan JSON does not say which: this ${element} may be one`;
}

/** "add routes to" → "adds routes to", "attach policies to" → "attaches policies to": the verb for one resource. */
function thirdPerson(action: string): string {
  const space = action.indexOf(" ");
  const verb = space === -1 ? action : action.slice(0, space);
  return `${verb}${/(ch|sh|s|x|z)$/.test(verb) ? "es" : "s"}${action.slice(verb.length)}`;
}

export class Candidates {
  private readonly byAnswer = new Map<object, Map<string, Candidacy>>();
  private readonly byKey = new Map<string, Map<Ref, Candidacy>>();
  /** By variant: resources whose reference the configuration does not lead to, which every element is told. */
  private readonly anywhere = new Map<string, Candidacy>();

  constructor(
    private readonly reader: Reader,
    /** The elements in words: "security groups", "roles". */
    private readonly noun: string,
    /**
     * Whether a resource whose reference leads nowhere (a data source read at apply, a local) may name any element:
     * off where the caller says so in its own way (subnets' associations, network ACL entries).
     */
    private readonly nowhere = true,
  ) {}

  /**
   * A resource whose reference at `path` is not one element. In a list, only the members an iteration value
   * picks are in doubt (`listed`); a single reference may be any of its keys. `variant` keeps apart what one
   * element is told for different reasons (a group's ingress and egress). A reference the configuration does not
   * lead to may name any element of the plan: every element is told.
   */
  add(resource: TfResource, path: Path, kind: ElementKind, listed = false, variant = ""): void {
    const found = this.reader.configuredKeys(resource, path, kind);
    const keys = !found ? [] : listed ? found.picked.flatMap((p) => p.keys) : found.keys;
    if (!found || keys.length < 2) {
      if (this.nowhere && leadsNowhere(this.reader, resource, path, kind, found)) this.addAnywhere(resource, path, kind, listed, variant);
      return;
    }
    let told = this.byAnswer.get(found);
    if (!told) {
      told = new Map();
      this.byAnswer.set(found, told);
    }
    const seen = told.get(variant);
    if (seen) {
      seen.count++;
      return;
    }
    const picked =
      found.picked.length === 1 && !found.picked[0]!.chosen && found.picked[0]!.keys.length === keys.length ? found.picked[0] : undefined;
    const among = picked
      ? `one of the ${picked.keys.length} instances of ${picked.ref}, picked by ${picked.by}`
      : `one of ${keys.length} ${this.noun} (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""})`;
    const candidacy: Candidacy = { first: resource.address, count: 1, origin: this.reader.origin(resource, path), among };
    told.set(variant, candidacy);
    let byElement = this.byKey.get(variant);
    if (!byElement) {
      byElement = new Map();
      this.byKey.set(variant, byElement);
    }
    for (const key of keys) if (!byElement.has(key)) byElement.set(key, candidacy);
  }

  private addAnywhere(resource: TfResource, path: Path, kind: ElementKind, listed: boolean, variant: string): void {
    const seen = this.anywhere.get(variant);
    if (seen) {
      seen.count++;
      return;
    }
    const value = listed ? this.reader.refList(resource, path, kind) : this.reader.ref(resource, path, kind);
    const reason = value?.kind === "unknown" ? value.reason : this.reader.computedReason(resource, path);
    const one = this.noun.replace(/s$/, "");
    this.anywhere.set(variant, {
      first: resource.address,
      count: 1,
      origin: this.reader.origin(resource, path),
      among: `${/^[aeiou]/i.test(one) ? "an" : "a"} ${one} the plan does not name (${reason.message})`,
    });
  }

  /** What an element is told, if anything. */
  of(key: Ref, variant = ""): Candidacy | undefined {
    return this.byKey.get(variant)?.get(key) ?? this.anywhere.get(variant);
  }

  /**
   * The element's value that such resources may set, as not known: "aws_route.x[0] and 1 more like it add routes to
   * one of the 2 instances of aws_route_table.private, picked by count.index, and the plan JSON does not say which:
   * this route table may be one". Undefined when no such resource may name the element.
   */
  unknownFor(key: Ref, action: string, element: string, variant = ""): Told | undefined {
    const c = this.of(key, variant);
    return c ? (unknown("unresolved", candidacyText(c, action, element), AFTER_APPLY, c.origin) as Told) : undefined;
  }
}

/** A value that is not known, and where what makes it so stands. */
export type Told = Unknown & { readonly origin: Origin };

/** A route that may be anything: its destination and target are not known, for the reason `why` gives. */
export function unknownRoute(why: Told): Route {
  return { destination: why, target: why, origin: why.origin };
}

/** A network ACL entry in one direction that may be anything: number, action, protocol, ports and CIDR are `why`. */
export function unknownAclEntry(why: Told, egress: boolean): NetworkAclEntry {
  return { ruleNumber: why, egress, protocol: why, action: why, cidr: why, portRange: why, origin: why.origin };
}
