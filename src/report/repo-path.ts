/**
 * Paths as CI systems want them: relative to the repository root, with forward slashes, and never an
 * absolute path of the machine that ran the tool. The CLI knows the root (it may ask git); reporters
 * only receive the mapping.
 */
import { isAbsolute, posix, win32 } from "node:path";

export interface RepoPath {
  /** Forward slashes; relative to the repository root when `inRoot`, else the path as given or the base name. */
  path: string;
  /** False for a file outside the repository root: GitHub cannot annotate it. */
  inRoot: boolean;
}

export type RepoPathMapper = (file: string) => RepoPath;

/** How standard input (`lint -`) is named: no file in any repository. */
export const STDIN = "<stdin>";

/** The mapping without a root: a relative path as given, an absolute one reduced to its base name. */
export function defaultRepoPath(file: string): RepoPath {
  if (file === STDIN) return { path: STDIN, inRoot: false };
  const slashed = file.replace(/\\/g, "/");
  if (isAbsolute(file) || win32.isAbsolute(file)) return { path: posix.basename(slashed), inRoot: false };
  const normal = posix.normalize(slashed).replace(/^\.\//, "");
  return normal === ".." || normal.startsWith("../") ? { path: normal, inRoot: false } : { path: normal, inRoot: true };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, #, ?, %). */
export function pathToUri(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}
