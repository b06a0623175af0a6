/**
 * Glob matching for inputs: --skip-path patterns and quoted globs. Imported dynamically by inputs.ts, so that
 * picomatch and tinyglobby are compiled only by the runs that use them.
 */
import { isAbsolute, posix } from "node:path";
import picomatch from "picomatch";
import { globSync } from "tinyglobby";

export { isDynamicPattern } from "tinyglobby";

/** A path skipped by --skip-path: matched as shown, relative to the folder or glob base, or by its name. */
export type SkipTest = (shown: string, rel: string) => boolean;

export function skipMatcher(patterns: readonly string[]): SkipTest {
  const clean = patterns.map((p) =>
    p
      .replace(/\\/g, "/")
      .replace(/^\.\//, "")
      .replace(/\/\*\*$/, "")
      .replace(/\/+$/, ""),
  );
  const isMatch = picomatch(clean, { dot: true });
  return (shown, rel) => {
    const s = posix.normalize(shown.replace(/\\/g, "/"));
    const r = posix.normalize(rel.replace(/\\/g, "/"));
    return isMatch(s) || isMatch(r) || isMatch(posix.basename(s));
  };
}

/**
 * A quoted glob (`'templates/**\/*.yaml'`) as the shell would expand it, less the skipped folders (`skippedByDefault`
 * and --skip-path); files only.
 */
export function expandGlob(pattern: string, skip: SkipTest, skippedByDefault: (name: string) => boolean): string[] {
  const base = picomatch.scan(pattern).base;
  // Only what the wildcards matched is subject to the skips: `.github/**/*.yml` names its dot folder on purpose.
  const fixed = base ? base.split("/").length : 0;
  const matches = globSync(pattern, { absolute: isAbsolute(pattern), dot: false, followSymbolicLinks: false });
  return matches
    .filter((file) => {
      const parts = file.split(/[\\/]/);
      return !parts.some((name, i) => {
        if (i < fixed) return false;
        const shown = parts.slice(0, i + 1).join("/");
        return skippedByDefault(name) || skip(shown, base ? posix.relative(base, shown) : shown);
      });
    })
    .sort();
}
