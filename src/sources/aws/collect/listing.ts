/**
 * What every EC2 collector shares: the client, the SDK's commands, the VPCs of the selected instances, and one
 * way to list a resource kind by id filters, every page, a failure kept as an Outcome.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import { type Caller, chunks, type Outcome } from "../caller.js";
import type { Operation } from "../operations.js";
import type { Sdk } from "../sdk.js";

/** Filter values per EC2 filter. */
export const FILTER_VALUES = 200;

export interface Ec2Reader {
  caller: Caller;
  ec2: EC2.EC2Client;
  /** The SDK's command classes, loaded once. */
  sdk: Sdk["ec2"];
  /** The VPCs of the selected instances: every network read is filtered by them. */
  vpcIds: string[];
}

export const succeeded = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** One Outcome for several reads of the same kind: the first failure, or every value. */
export function allOutcomes<T>(outcomes: Outcome<T[]>[]): Outcome<T[]> {
  const failed = outcomes.find((o) => !o.ok);
  if (failed) return failed;
  return succeeded(outcomes.flatMap((o) => (o.ok ? o.value : [])));
}

/** The NextToken parameter of a request, when there is one. */
export const nextToken = (token: string | undefined) => (token ? { NextToken: token } : {});

/** One filter set per FILTER_VALUES ids. */
export function idFilters(name: string, ids: string[]): EC2.Filter[][] {
  return chunks(ids, FILTER_VALUES).map((values) => [{ Name: name, Values: values }]);
}

/** One page's request: the id filters and, after the first page, the token. */
export interface Ec2ListRequest {
  Filters: EC2.Filter[];
  NextToken?: string;
}

/** Every page of `operation` for each filter set, all sets at once; nothing to filter by reads nothing. */
export async function listEc2<Page extends { NextToken?: string }, Item>(
  caller: Caller,
  operation: Operation,
  filterSets: EC2.Filter[][],
  send: (request: Ec2ListRequest) => Promise<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Outcome<Item[]>> {
  if (filterSets.length === 0) return succeeded<Item[]>([]);
  const outcomes = await Promise.all(
    filterSets.map((filters) =>
      caller.attempt(operation, async () =>
        (
          await caller.pages(
            operation,
            (token) => send({ Filters: filters, ...nextToken(token) }),
            (page) => page.NextToken,
          )
        ).flatMap((page) => items(page) ?? []),
      ),
    ),
  );
  return allOutcomes(outcomes);
}
