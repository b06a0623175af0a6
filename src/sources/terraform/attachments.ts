/** Standalone resources that attach to an element (associations, rules, routes), by the element they name. */
import type { Ref } from "../../model/index.js";
import type { TfResource } from "./plan-index.js";
import type { ElementKind, Path, Reader } from "./reader.js";

/** Standalone resources that point at an element: element key → the resources. */
export function byTarget(reader: Reader, types: string[], path: Path, kind: ElementKind): Map<Ref, TfResource[]> {
  const out = new Map<Ref, TfResource[]>();
  for (const resource of reader.index.ofType(...types)) {
    const target = reader.ref(resource, path, kind);
    if (target?.kind !== "known") continue;
    const list = out.get(target.value) ?? [];
    list.push(resource);
    out.set(target.value, list);
  }
  return out;
}
