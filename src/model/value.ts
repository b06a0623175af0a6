/**
 * Every attribute of the model is a Value: either known (set explicitly in the input, or the
 * documented default of the service/tool) or unknown with the reason and what would decide it.
 * "Unknown is an answer": analysis never turns an unknown into a guess.
 */
import type { Origin } from "./origin.js";

export type UnknownCode =
  | "computed" // computed at apply / create time
  | "parameter" // a template parameter without a value
  | "unresolved" // an intrinsic or expression we cannot evaluate
  | "outside" // an existing resource passed by id, or a resource not in this input
  | "access-denied" // live: the caller may not read it
  | "condition" // depends on a condition we cannot evaluate
  | "unsupported"; // a construct this tool does not model

export interface UnknownReason {
  code: UnknownCode;
  /** Short, user-facing: why the value is not known ("SubnetId is the parameter PrivateSubnet without a default"). */
  message: string;
  /** What would decide it ("pass --parameters PrivateSubnet=subnet-…"). */
  decide?: string;
}

export type Provenance = "explicit" | "default";

export interface Known<T> {
  readonly kind: "known";
  readonly value: T;
  readonly provenance: Provenance;
  /** Where the value was set (attribute-level location); absent for defaults. */
  readonly origin?: Origin;
}

export interface Unknown {
  readonly kind: "unknown";
  readonly reason: UnknownReason;
  /** Where the unresolvable expression stands, when it stands somewhere. */
  readonly origin?: Origin;
}

export type Value<T> = Known<T> | Unknown;

export function known<T>(value: T, origin?: Origin): Known<T> {
  return origin ? { kind: "known", value, provenance: "explicit", origin } : { kind: "known", value, provenance: "explicit" };
}

export function defaulted<T>(value: T): Known<T> {
  return { kind: "known", value, provenance: "default" };
}

export function unknown(code: UnknownCode, message: string, decide?: string, origin?: Origin): Unknown {
  const reason: UnknownReason = decide ? { code, message, decide } : { code, message };
  return origin ? { kind: "unknown", reason, origin } : { kind: "unknown", reason };
}

export function isKnown<T>(v: Value<T>): v is Known<T> {
  return v.kind === "known";
}

/** The value if known, else undefined. */
export function knownValue<T>(v: Value<T> | undefined): T | undefined {
  return v && v.kind === "known" ? v.value : undefined;
}

export function mapValue<T, U>(v: Value<T>, f: (t: T) => U): Value<U> {
  return v.kind === "known" ? { ...v, value: f(v.value) } : v;
}

/** A list where the list itself or single items may be unknown (e.g. SecurityGroupIds: [!Ref A, !Ref Param]). */
export type ValueList<T> = Value<Value<T>[]>;

/**
 * Placeholder kept inside known strings where the deployment region stands (CloudFormation
 * `${AWS::Region}` when --region was not given). Analysis treats it as "the deployment's region".
 */
export const DEPLOYMENT_REGION = "${AWS::Region}";

/** A marker left inside raw JSON documents (IAM policies) where a part could not be resolved. */
export interface UnresolvedPart {
  readonly $unresolved: UnknownReason;
}

export function unresolvedPart(reason: UnknownReason): UnresolvedPart {
  return { $unresolved: reason };
}

export function isUnresolvedPart(x: unknown): x is UnresolvedPart {
  return typeof x === "object" && x !== null && "$unresolved" in x;
}
