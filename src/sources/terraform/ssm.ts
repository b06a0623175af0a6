/**
 * Systems Manager settings a plan can carry: Default Host Management Configuration (an
 * aws_ssm_service_setting of /ssm/managed-instance/default-ec2-instance-management-role) and the
 * Session Manager preferences (an aws_ssm_document named SSM-SessionManagerRunShell, type Session).
 */
import {
  DHMC_SETTING_ID,
  type DhmcSetting,
  defaulted,
  dhmcOfSettingValue,
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

/** The DHMC setting when the plan sets it; undefined when it does not. */
export function dhmcOf(r: Reader): Value<DhmcSetting> | undefined {
  for (const resource of r.index.ofType("aws_ssm_service_setting")) {
    const id = r.raw(resource, ["setting_id"]);
    if (id.k !== "value" || typeof id.v !== "string" || !id.v.endsWith(DHMC_SETTING_ID)) continue;
    const origin = r.origin(resource);
    const value = r.str(resource, ["setting_value"]);
    if (value.kind !== "known") return { ...value, origin };
    return known(dhmcOfSettingValue(value.value, origin), origin);
  }
  return undefined;
}

/** The session preferences document, when the plan has one. */
export function sessionPreferencesOf(r: Reader): Value<SessionPreferences | null> | undefined {
  const documents = r.index.ofType("aws_ssm_document").map((resource) => {
    const name = r.raw(resource, ["name"]);
    const type = r.raw(resource, ["document_type"]);
    return { resource, kind: sessionDocumentKind(name.k === "value" ? name.v : undefined, type.k === "value" ? type.v : undefined) };
  });
  const chosen = documents.find((d) => d.kind === "named") ?? documents.find((d) => d.kind === "typed");
  if (!chosen) return undefined;
  const { resource } = chosen;
  const origin = r.origin(resource);
  const content = r.raw(resource, ["content"]);
  if (content.k !== "value" || typeof content.v !== "string") {
    const reason =
      content.k === "sensitive" ? `the content of ${resource.address} is sensitive` : r.computedReason(resource, ["content"]).message;
    return unknown(content.k === "sensitive" ? "unsupported" : "computed", reason, undefined, origin);
  }
  const parsed = parseDocumentText(content.v)?.value;
  const inputs = isObject(parsed) && isObject(parsed.inputs) ? parsed.inputs : undefined;
  if (!inputs) return unknown("unresolved", `the content of ${resource.address} has no inputs`, undefined, origin);
  const at = r.origin(resource, ["content"]);
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
  return known(sessionPreferencesFrom(r.base(resource), { text, flag }), origin);
}
