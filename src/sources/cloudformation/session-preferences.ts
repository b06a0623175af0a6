/**
 * Session Manager preferences: an AWS::SSM::Document named SSM-SessionManagerRunShell (or of type
 * Session). Content.inputs decides whether S3 / CloudWatch Logs / KMS endpoints and permissions matter.
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
import type { Json } from "./positions.js";
import type { Template } from "./template.js";
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

function isSessionDocument(template: Template, resource: ResourceInfo): "named" | "typed" | undefined {
  const name = template.prop(resource, "Name");
  const type = template.prop(resource, "DocumentType");
  return sessionDocumentKind(name.kind === "scalar" ? name.value : undefined, type.kind === "scalar" ? type.value : undefined);
}

/** Content as a mapping; JSON or YAML text is parsed first. */
function contentOf(template: Template, resource: ResourceInfo): Evaluated {
  const pointer = template.propertyPointer(resource, "Content");
  const content = template.prop(resource, "Content");
  if (content.kind !== "scalar" || typeof content.value !== "string") return content;
  const parsed = parseDocumentText(content.value);
  if (!parsed)
    return {
      kind: "unknown",
      reason: { code: "unresolved", message: "the session document's Content is neither JSON nor YAML" },
      at: pointer,
    };
  return template.evaluator.evaluate(parsed.value as Json, pointer, { label: "Content" });
}

export function buildSessionPreferences(template: Template): Value<SessionPreferences | null> | undefined {
  const candidates = template
    .ofType(ResourceType.ssmDocument)
    .map((resource) => ({ resource, kind: isSessionDocument(template, resource) }));
  const chosen = candidates.find((c) => c.kind === "named") ?? candidates.find((c) => c.kind === "typed");
  if (!chosen) return undefined;
  const { resource } = chosen;
  const origin = template.origin(resource.pointer);
  const inputsEv = template.member(contentOf(template, resource), "inputs");
  const pointer = `${template.propertyPointer(resource, "Content")}/inputs`;
  const text = (name: string): Value<string | null> => {
    const ev = template.member(inputsEv, name);
    if (ev.kind === "none") return defaulted(null);
    // A bucket, log group or key created by the template: its name is known only after deployment, but
    // it is certainly set, which is what decides the extra endpoints and permissions.
    if (ev.kind === "ref") return known(`${ev.id} (created by this template)`, template.origin(ev.at ?? `${pointer}/${name}`));
    const value = template.str(ev, name, `${pointer}/${name}`);
    if (value.kind === "known" && value.value.trim() === "") return known(null, value.origin);
    if (ev.kind === "scalar" && ev.value === null) return known(null, template.origin(ev.at ?? pointer));
    return value;
  };
  const flag = (name: string): Value<boolean> | undefined => {
    const ev = template.member(inputsEv, name);
    return ev.kind === "none" ? undefined : template.bool(ev, name, `${pointer}/${name}`);
  };
  const preferences: SessionPreferences = sessionPreferencesFrom(template.base(resource), { text, flag });
  if (resource.conditional) {
    return unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, origin);
  }
  return known(preferences, origin);
}

/** CloudWatch Logs log groups: where session logs may go, and whether a KMS key encrypts them. */
export function buildLogGroups(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.logGroup)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const nameProp = template.prop(resource, "LogGroupName");
    const logGroupName =
      nameProp.kind === "none"
        ? unknown(
            "computed",
            `${resource.id} has no LogGroupName: CloudFormation names it at deploy time`,
            undefined,
            template.origin(resource.pointer),
          )
        : template.str(nameProp, "LogGroupName", pointer("LogGroupName"));
    // Whether a key is set decides, not which: a reference to any key (GetAtt Arn of an AWS::KMS::Key, a parameter)
    // is one; only a condition that may leave the property out leaves it open.
    const keyProp = template.prop(resource, "KmsKeyId");
    const keyAt = pointer("KmsKeyId");
    const kmsKeyId: Value<string | null> =
      keyProp.kind === "none"
        ? defaulted(null)
        : keyProp.kind === "scalar"
          ? template.str(keyProp, "KmsKeyId", keyAt)
          : keyProp.kind === "unknown" && keyProp.reason.code === "condition"
            ? template.unknownFrom(keyProp, "KmsKeyId", keyAt)
            : known(keyProp.kind === "ref" ? keyProp.id : "the key KmsKeyId names", template.origin(keyProp.at ?? keyAt));
    world.logGroups.set(resource.id, { ...template.base(resource), logGroupName, kmsKeyId });
  }
}
