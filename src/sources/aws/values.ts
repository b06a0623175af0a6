/**
 * What every live builder shares: origins and ARNs of the account's resources, names from Name tags, and why a
 * value is unknown when the call that reads it failed (naming the permission that would decide it).
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import { known, type Origin, type Unknown, unknown, type Value } from "../../model/index.js";
import type { CallFailure, Outcome } from "./caller.js";
import type { AccountReads } from "./collect/index.js";

/** Why a value is unknown when the call that reads it failed. */
export function failed(f: CallFailure): Unknown {
  if (f.kind === "denied") return unknown("access-denied", `the caller may not call ${f.operation} (${f.code})`, `grant ${f.operation}`);
  if (f.kind === "timeout")
    return unknown("outside", `${f.operation} timed out`, `run again, or raise --timeout; the caller needs ${f.operation}`);
  return unknown("outside", `${f.operation} failed: ${f.code}: ${f.message}`, `run again; the caller needs ${f.operation}`);
}

/** The value of a read: `otherwise` when it was not made, unknown when it failed. */
export function outcomeValue<T, U>(o: Outcome<T> | undefined, f: (t: T) => U, otherwise: Value<U>): Value<U> {
  if (!o) return otherwise;
  return o.ok ? known(f(o.value)) : failed(o.failure);
}

/** "id (Name tag)", or the id alone. */
export function named(id: string, tags?: EC2.Tag[]): string {
  const name = tags?.find((t) => t.Key === "Name")?.Value;
  return name ? `${id} (${name})` : id;
}

/** Where the account's resources are: origins and ARNs in its partition, region and account. */
export interface LiveScope {
  partition: string;
  region: string;
  account: string;
  origin(id: string, arn?: string): Origin;
  ec2Arn(kind: string, id: string): string;
}

export function liveScope({ partition, region, identity }: AccountReads): LiveScope {
  return {
    partition,
    region,
    account: identity.account,
    origin: (id, arn) => (arn ? { source: "live", id, arn } : { source: "live", id }),
    ec2Arn: (kind, id) => `arn:${partition}:ec2:${region}:${identity.account}:${kind}/${id}`,
  };
}
