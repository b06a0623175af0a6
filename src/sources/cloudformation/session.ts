/**
 * Session Manager preferences: an AWS::SSM::Document named SSM-SessionManagerRunShell (or of type
 * Session). Content.inputs decides whether S3 / CloudWatch Logs / KMS endpoints and permissions matter.
 */
import { parse as parseYaml } from "yaml";
import { defaulted, known, type SessionPreferences, unknown, type Value } from "../../model/index.js";
import type { Json } from "./positions.js";
import type { Template } from "./template.js";
import { type Ev, type ResourceInfo, T } from "./types.js";

export const SESSION_DOCUMENT_NAME = "SSM-SessionManagerRunShell";

function isSessionDocument(t: Template, resource: ResourceInfo): "named" | "typed" | undefined {
  const name = t.prop(resource, "Name");
  if (name.k === "s" && name.v === SESSION_DOCUMENT_NAME) return "named";
  const type = t.prop(resource, "DocumentType");
  return type.k === "s" && String(type.v).toLowerCase() === "session" ? "typed" : undefined;
}

/** Content as a mapping; JSON or YAML text is parsed first. */
function contentOf(t: Template, resource: ResourceInfo): Ev {
  const pointer = t.propertyPointer(resource, "Content");
  const content = t.prop(resource, "Content");
  if (content.k !== "s" || typeof content.v !== "string") return content;
  let parsed: Json;
  try {
    parsed = JSON.parse(content.v) as Json;
  } catch {
    try {
      parsed = parseYaml(content.v, { maxAliasCount: 10 }) as Json;
    } catch {
      return { k: "unk", reason: { code: "unresolved", message: "the session document's Content is neither JSON nor YAML" }, at: pointer };
    }
  }
  return t.evaluator.evaluate(parsed, pointer, { label: "Content" });
}

export function buildSessionPreferences(t: Template): Value<SessionPreferences | null> | undefined {
  const candidates = t.ofType(T.ssmDocument).map((resource) => ({ resource, kind: isSessionDocument(t, resource) }));
  const chosen = candidates.find((c) => c.kind === "named") ?? candidates.find((c) => c.kind === "typed");
  if (!chosen) return undefined;
  const { resource } = chosen;
  const origin = t.origin(resource.pointer);
  const inputsEv = t.member(contentOf(t, resource), "inputs");
  const pointer = `${t.propertyPointer(resource, "Content")}/inputs`;
  const text = (name: string): Value<string | null> => {
    const ev = t.member(inputsEv, name);
    if (ev.k === "none") return defaulted(null);
    // A bucket, log group or key created by the template: its name is known only after deployment, but
    // it is certainly set, which is what decides the extra endpoints and permissions.
    if (ev.k === "ref") return known(`${ev.id} (created by this template)`, t.origin(ev.at ?? `${pointer}/${name}`));
    const value = t.str(ev, name, `${pointer}/${name}`);
    if (value.kind === "known" && value.value.trim() === "") return known(null, value.origin);
    if (ev.k === "s" && ev.v === null) return known(null, t.origin(ev.at ?? pointer));
    return value;
  };
  const flag = (name: string): Value<boolean> | undefined => {
    const ev = t.member(inputsEv, name);
    return ev.k === "none" ? undefined : t.bool(ev, name, `${pointer}/${name}`);
  };
  const s3Encryption = flag("s3EncryptionEnabled");
  const cloudWatchEncryption = flag("cloudWatchEncryptionEnabled");
  const preferences: SessionPreferences = {
    ...t.base(resource),
    s3BucketName: text("s3BucketName"),
    cloudWatchLogGroupName: text("cloudWatchLogGroupName"),
    kmsKeyId: text("kmsKeyId"),
    ...(s3Encryption ? { s3EncryptionEnabled: s3Encryption } : {}),
    ...(cloudWatchEncryption ? { cloudWatchEncryptionEnabled: cloudWatchEncryption } : {}),
  };
  if (resource.conditional) {
    return unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, origin);
  }
  return known(preferences, origin);
}
