/**
 * The text of every example input under rules/examples, by its path there ("<rule-name>/cloudformation/bad.yaml").
 * Read from disk when the rules run from source; the bundle carries them inline (scripts/build.mjs replaces
 * this module with the same map), so `explain` shows them without the files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";

const ROOT = import.meta.dirname;

export const EXAMPLE_FILES: ReadonlyMap<string, string> = new Map(
  globSync("*/**/*.{yaml,tf}", { cwd: ROOT })
    .sort()
    .map((path) => [path, readFileSync(join(ROOT, path), "utf8")]),
);
