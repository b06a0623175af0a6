/** The Session Manager preferences: the inputs of the session document (logging destinations, KMS key). */
import {
  known,
  type Origin,
  SESSION_DOCUMENT_NAME,
  type SessionPreferences,
  sessionPreferencesFrom,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { sessionDocumentInputs, sessionFlag } from "./collect/session-preferences.js";
import { failed, type LiveScope } from "./values.js";

export function sessionPreferencesOf(
  reads: AccountReads,
  { origin, partition, region, account }: LiveScope,
): Value<SessionPreferences | null> {
  const documentOrigin = origin(SESSION_DOCUMENT_NAME, `arn:${partition}:ssm:${region}:${account}:document/${SESSION_DOCUMENT_NAME}`);
  if (!reads.sessionDocument.ok) return { ...failed(reads.sessionDocument.failure), origin: documentOrigin };
  if (reads.sessionDocument.value === null) return known(null); // no preferences saved: no logging, no KMS
  return parseSessionDocument(reads.sessionDocument.value, documentOrigin);
}

function parseSessionDocument(content: string, o: Origin): Value<SessionPreferences | null> {
  const inputs = sessionDocumentInputs(content);
  if (!inputs) return unknown("unsupported", `${SESSION_DOCUMENT_NAME} is not JSON`, undefined, o);
  const text = (k: string): Value<string | null> => {
    const v = inputs[k];
    return known(typeof v === "string" && v.trim() !== "" ? v : null);
  };
  const flag = (k: string): Value<boolean> | undefined => {
    const v = sessionFlag(inputs, k);
    return v === undefined ? undefined : known(v);
  };
  return known(sessionPreferencesFrom({ key: SESSION_DOCUMENT_NAME, name: SESSION_DOCUMENT_NAME, origin: o }, { text, flag }), o);
}

/** The log group the preferences name, when it was read: its KMS key, or a stand-in whose name is not known. */
export function buildLogGroups(world: World, reads: AccountReads, { origin, partition, region, account }: LiveScope): void {
  const read = reads.logGroup;
  if (!read) return;
  if (!read.group.ok) {
    world.logGroups.set(read.name, {
      key: read.name,
      name: read.name,
      origin: origin(read.name),
      logGroupName: failed(read.group.failure),
      kmsKeyId: failed(read.group.failure),
    });
    return;
  }
  const group = read.group.value;
  if (!group) return;
  world.logGroups.set(read.name, {
    key: read.name,
    name: read.name,
    origin: origin(read.name, group.arn ?? `arn:${partition}:logs:${region}:${account}:log-group:${read.name}`),
    logGroupName: known(read.name),
    kmsKeyId: known(group.kmsKeyId ?? null),
  });
}
