/**
 * Session Manager preferences a plan can carry: an aws_ssm_document named SSM-SessionManagerRunShell
 * (or of type Session). Its content's inputs decide whether S3 / CloudWatch Logs / KMS endpoints and
 * permissions matter.
 */
import {
  defaulted,
  known,
  type SessionPreferences,
  sessionDocumentKind,
  sessionPreferencesFrom,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { parseDocumentText } from "../common/document-text.js";
import type { Reader } from "./reader.js";
import { isObject } from "./types.js";

/** The session preferences document, when the plan has one. */
export function buildSessionPreferences(reader: Reader): Value<SessionPreferences | null> | undefined {
  const documents = reader.index.ofType("aws_ssm_document").map((resource) => {
    const name = reader.raw(resource, ["name"]);
    const type = reader.raw(resource, ["document_type"]);
    return {
      resource,
      kind: sessionDocumentKind(name.kind === "value" ? name.value : undefined, type.kind === "value" ? type.value : undefined),
    };
  });
  const chosen = documents.find((d) => d.kind === "named") ?? documents.find((d) => d.kind === "typed");
  if (!chosen) return undefined;
  const { resource } = chosen;
  const origin = reader.origin(resource);
  const content = reader.raw(resource, ["content"]);
  if (content.kind !== "value" || typeof content.value !== "string") {
    const reason =
      content.kind === "sensitive"
        ? `the content of ${resource.address} is sensitive`
        : reader.computedReason(resource, ["content"]).message;
    return unknown(content.kind === "sensitive" ? "unsupported" : "computed", reason, undefined, origin);
  }
  const parsed = parseDocumentText(content.value)?.value;
  const inputs = isObject(parsed) && isObject(parsed.inputs) ? parsed.inputs : undefined;
  if (!inputs) return unknown("unresolved", `the content of ${resource.address} has no inputs`, undefined, origin);
  const at = reader.origin(resource, ["content"]);
  const text = (name: string): Value<string | null> => {
    const v = inputs[name];
    if (v === undefined) return defaulted(null);
    if (v === null || (typeof v === "string" && v.trim() === "")) return known(null, at);
    return known(String(v), at);
  };
  const flag = (name: string): Value<boolean> | undefined => {
    const v = inputs[name];
    return v === undefined ? undefined : known(v === true || v === "true", at);
  };
  return known(sessionPreferencesFrom(reader.base(resource), { text, flag }), origin);
}

/** aws_cloudwatch_log_group: where session logs may go, and whether a KMS key encrypts them. */
export function buildLogGroups(reader: Reader, world: World): void {
  for (const resource of reader.index.ofType("aws_cloudwatch_log_group")) {
    // Whether a key is set decides, not which: one known only after apply (aws_kms_key.x.arn) is still a key.
    const key = reader.raw(resource, ["kms_key_id"]);
    const configured = reader.configured(resource, ["kms_key_id"]);
    const kmsKeyId: Value<string | null> =
      key.kind === "null" && configured !== true
        ? defaulted(null)
        : key.kind === "unknown" && configured === true
          ? known("the key kms_key_id names, known after apply", reader.origin(resource, ["kms_key_id"]))
          : reader.str(resource, ["kms_key_id"]);
    world.logGroups.set(reader.keyOf(resource), { ...reader.base(resource), logGroupName: reader.str(resource, ["name"]), kmsKeyId });
  }
}
