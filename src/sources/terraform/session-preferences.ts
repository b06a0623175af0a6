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
