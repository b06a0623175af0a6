/**
 * The text of every example input under rules/examples, by its path there ("<rule-name>/cloudformation/bad.yaml").
 * Read from disk when the rules run from source. The bundle carries the list of paths inline and the texts in
 * one JSON file beside it, read on first use (scripts/build.mjs replaces this module), so `explain` shows them
 * without the rules' folder and a `lint` never parses them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";

const ROOT = import.meta.dirname;

export const EXAMPLE_FILES: Pick<ReadonlyMap<string, string>, "has" | "get"> = new Map(
  globSync("*/**/*.{yaml,tf}", { cwd: ROOT })
    .sort()
    .map((path) => [path, readFileSync(join(ROOT, path), "utf8")]),
);
