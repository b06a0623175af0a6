/**
 * Systems Manager settings a plan can carry: Default Host Management Configuration (an
 * aws_ssm_service_setting of /ssm/managed-instance/default-ec2-instance-management-role) and the
 * Session Manager preferences (an aws_ssm_document named SSM-SessionManagerRunShell, type Session).
 */
import { parse as parseYaml } from "yaml";
import { type DhmcSetting, defaulted, known, type SessionPreferences, unknown, type Value } from "../../model/index.js";
import type { Reader } from "./reader.js";
import { isObject, type Json } from "./types.js";

const DHMC_SETTING = "/ssm/managed-instance/default-ec2-instance-management-role";
const SESSION_DOCUMENT_NAME = "SSM-SessionManagerRunShell";

/** The DHMC setting when the plan sets it; undefined when it does not. */
export function dhmcOf(r: Reader): Value<DhmcSetting> | undefined {
  for (const resource of r.index.ofType("aws_ssm_service_setting")) {
    const id = r.raw(resource, ["setting_id"]);
    if (id.k !== "value" || typeof id.v !== "string" || !id.v.endsWith(DHMC_SETTING)) continue;
    const origin = r.origin(resource);
    const value = r.str(resource, ["setting_value"]);
    if (value.kind !== "known") return { ...value, origin };
    const role = value.value.trim();
    const enabled = role !== "" && role !== "$None";
    return known({ enabled, ...(enabled ? { roleName: role } : {}), origin }, origin);
  }
  return undefined;
}

function contentOf(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    try {
      return parseYaml(text, { maxAliasCount: 10 }) as Json;
    } catch {
      return undefined;
    }
  }
}

/** The session preferences document, when the plan has one. */
export function sessionPreferencesOf(r: Reader): Value<SessionPreferences | null> | undefined {
  const documents = r.index.ofType("aws_ssm_document").map((resource) => {
    const name = r.raw(resource, ["name"]);
    const type = r.raw(resource, ["document_type"]);
    const kind =
      name.k === "value" && name.v === SESSION_DOCUMENT_NAME
        ? "named"
        : type.k === "value" && typeof type.v === "string" && type.v.toLowerCase() === "session"
          ? "typed"
          : undefined;
    return { resource, kind };
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
  const parsed = contentOf(content.v);
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
  const s3Encryption = flag("s3EncryptionEnabled");
  const cloudWatchEncryption = flag("cloudWatchEncryptionEnabled");
  return known(
    {
      ...r.base(resource),
      s3BucketName: text("s3BucketName"),
      cloudWatchLogGroupName: text("cloudWatchLogGroupName"),
      kmsKeyId: text("kmsKeyId"),
      ...(s3Encryption ? { s3EncryptionEnabled: s3Encryption } : {}),
      ...(cloudWatchEncryption ? { cloudWatchEncryptionEnabled: cloudWatchEncryption } : {}),
    },
    origin,
  );
}
