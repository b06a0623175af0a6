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
} from "../../model/index.js";
import { parseDocumentText } from "../common/document-text.js";
import type { Json } from "./positions.js";
import type { Template } from "./template.js";
import { type Ev, type ResourceInfo, T } from "./types.js";

function isSessionDocument(t: Template, resource: ResourceInfo): "named" | "typed" | undefined {
  const name = t.prop(resource, "Name");
  const type = t.prop(resource, "DocumentType");
  return sessionDocumentKind(name.k === "s" ? name.v : undefined, type.k === "s" ? type.v : undefined);
}

/** Content as a mapping; JSON or YAML text is parsed first. */
function contentOf(t: Template, resource: ResourceInfo): Ev {
  const pointer = t.propertyPointer(resource, "Content");
  const content = t.prop(resource, "Content");
  if (content.k !== "s" || typeof content.v !== "string") return content;
  const parsed = parseDocumentText(content.v);
  if (!parsed)
    return { k: "unk", reason: { code: "unresolved", message: "the session document's Content is neither JSON nor YAML" }, at: pointer };
  return t.evaluator.evaluate(parsed.value as Json, pointer, { label: "Content" });
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
  const preferences: SessionPreferences = sessionPreferencesFrom(t.base(resource), { text, flag });
  if (resource.conditional) {
    return unknown(resource.conditional.code, resource.conditional.message, resource.conditional.decide, origin);
  }
  return known(preferences, origin);
}
