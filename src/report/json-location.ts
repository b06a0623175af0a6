/** A location as the JSON report writes it, with file names that never carry a path of the machine. */
import { isAbsolute } from "node:path";
import type { Origin } from "../model/index.js";
import { defaultRepoPath, type RepoPathMapper } from "./repo-path.js";

export type FileName = (file: string) => string;

/** Relative paths stay as the user gave them; an absolute one becomes repository-relative (or its base name). */
export function fileNamer(repoPath: RepoPathMapper | undefined): FileName {
  return (file) => (isAbsolute(file) ? (repoPath ?? defaultRepoPath)(file).path : file);
}

const asGiven: FileName = (file) => (isAbsolute(file) ? defaultRepoPath(file).path : file);

export function location(origin: Origin, locate?: (o: Origin) => Origin["region"], name: FileName = asGiven) {
  const region = origin.region ?? locate?.(origin);
  return {
    file: origin.file !== undefined ? name(origin.file) : null,
    line: region?.startLine ?? null,
    column: region?.startColumn ?? null,
    endLine: region?.endLine ?? null,
    endColumn: region?.endColumn ?? null,
    pointer: origin.pointer ?? null,
    id: origin.id ?? null,
    arn: origin.arn ?? null,
  };
}
