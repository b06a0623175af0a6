/** Standalone resources that attach to an element (associations, rules, routes), by the element they name. */
import type { Ref } from "../../model/index.js";
import { Candidates } from "./candidates.js";
import type { TfResource } from "./plan-index.js";
import type { ElementKind, Path, Reader } from "./reader.js";

/** What standalone resources attach to: by the element they name, and the elements they may name. */
export interface Attached {
  /** Element key → the resources that name it. */
  readonly byKey: Map<Ref, TfResource[]>;
  /** Elements a resource may name: its reference picks one of several (count.index, each.key). */
  readonly uncertain: Candidates;
}

/**
 * Standalone resources that point at an element. `noun` names the elements in words ("route tables"), for what a
 * candidate is told when a resource picks one of several.
 */
export function byTarget(reader: Reader, types: string[], path: Path, kind: ElementKind, noun: string): Attached {
  const byKey = new Map<Ref, TfResource[]>();
  const uncertain = new Candidates(reader, noun);
  for (const resource of reader.index.ofType(...types)) {
    const target = reader.ref(resource, path, kind);
    if (target?.kind === "unknown") uncertain.add(resource, path, kind);
    if (target?.kind !== "known") continue;
    const list = byKey.get(target.value) ?? [];
    list.push(resource);
    byKey.set(target.value, list);
  }
  return { byKey, uncertain };
}
