/**
 * The repository a run belongs to: the nearest folder at or above the working directory that holds `.git`
 * (a folder, or the file a worktree or submodule has). The configuration search stops there, and reports
 * name files relative to it. Found by looking at the file system, without starting git.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The repository root enclosing `start`, or undefined outside any repository. */
export function repositoryRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
