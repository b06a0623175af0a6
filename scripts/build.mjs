// Bundles the CLI into dist/ so start-up loads one file, not hundreds of modules.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { globSync } from "tinyglobby";
import { writeCodeCaches, writeCommonJsChunks } from "./code-cache.mjs";
import { writeRegions } from "./extract-regions.mjs";

// The region list --region is checked against, from the partition data of the installed AWS SDK.
await writeRegions();

/**
 * rules/examples/files.ts reads the rules' example inputs from disk. The bundle carries only their paths; the
 * texts go to dist/rule-examples.json, read on first use (`explain`), so start-up does not parse them.
 */
const lazyRuleExamples = {
  name: "lazy-rule-examples",
  setup(build) {
    build.onLoad({ filter: /[\\/]rules[\\/]examples[\\/]files\.ts$/ }, ({ path }) => {
      const root = dirname(path);
      const paths = globSync("*/**/*.{yaml,tf}", { cwd: root }).sort();
      const texts = Object.fromEntries(paths.map((file) => [file, readFileSync(join(root, file), "utf8")]));
      mkdirSync("dist", { recursive: true });
      writeFileSync("dist/rule-examples.json", JSON.stringify(texts));
      const contents = `import { readFileSync } from "node:fs";
const PATHS = new Set(${JSON.stringify(paths)});
let texts;
export const EXAMPLE_FILES = {
  has: (path) => PATHS.has(path),
  get: (path) => PATHS.has(path) ? (texts ??= JSON.parse(readFileSync(new URL("./rule-examples.json", import.meta.url), "utf8")))[path] : undefined,
};`;
      return { contents, loader: "js", watchDirs: [root] };
    });
  },
};

/**
 * Large JSON data (the vendored managed policies) as one string given to JSON.parse: V8 scans a string
 * literal and parses JSON several times faster than it compiles the same data as an object literal.
 */
const jsonAsString = {
  name: "json-as-string",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]data[\\/][^\\/]+\.json$/ }, ({ path }) => {
      const text = JSON.stringify(JSON.parse(readFileSync(path, "utf8")));
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: "js" };
    });
  },
};

/**
 * The AWS SDK's packages in their ES module builds (package.json "module"), where esbuild would take the
 * CommonJS "main" for platform node: from ES modules the bundle keeps only the commands src/sources/aws/
 * sdk-clients.ts imports, not the hundreds each client package defines. Packages with "exports" resolve
 * by its conditions as before.
 */
const sdkAsEsModules = {
  name: "sdk-as-es-modules",
  setup(build) {
    build.onResolve({ filter: /^@(?:aws-sdk|smithy|aws-crypto)\/[^/]+$/ }, ({ path, resolveDir }) => {
      let manifest;
      try {
        manifest = createRequire(join(resolveDir, "index.js")).resolve(`${path}/package.json`);
      } catch {
        return undefined;
      }
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.exports || typeof pkg.module !== "string") return undefined;
      return { path: join(dirname(manifest), pkg.module), ...(pkg.sideEffects === false ? { sideEffects: false } : {}) };
    });
  },
};

// Chunks are named by their hash: a stale one from an earlier build would stay beside the new ones.
rmSync("dist", { recursive: true, force: true });

/**
 * fdir (tinyglobby's crawler) requires picomatch at load, from node_modules, for a glob() that tinyglobby
 * never calls (it matches with its own picomatch): leave that require out of the bundle.
 */
const fdirWithoutOptionalPicomatch = {
  name: "fdir-without-optional-picomatch",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, ({ path }) => {
      const text = readFileSync(path, "utf8");
      const optional = /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
      if (!optional.test(text)) {
        console.warn(`${path}: the optional picomatch require was not found; the bundle keeps fdir as it is`);
        return undefined;
      }
      return { contents: text.replace(optional, ""), loader: "js" };
    });
  },
};

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // What only some runs need (zod with a configuration file, the live source, change review) is imported
  // dynamically and lands in a chunk of its own beside cli.js: a `lint` without them never compiles it.
  splitting: true,
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  // No keepNames: it wraps every closure the code creates in a name-setting call, a tenth of the time of
  // reading a large template; --debug reads stack traces through the source map instead.
  minify: true,
  // The AWS SDK's commands (used only by `check` and `sweep`) are bundled into chunks of their own, loaded
  // through dynamic import (src/sources/aws/sdk.ts). @aws-cdk/cloudformation-diff (only `diff` and `lint
  // --baseline`, with the AWS service specification it reads from its own package) is loaded lazily and stays
  // external: `lint` alone never parses it. The HCL parser (WebAssembly) is loaded only for Terraform
  // configurations and stays external too.
  external: ["@aws-cdk/*", "web-tree-sitter", "@tree-sitter-grammars/*"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  define: { __VERSION__: JSON.stringify(version) },
  plugins: [lazyRuleExamples, jsonAsString, fdirWithoutOptionalPicomatch, sdkAsEsModules],
  logLevel: "warning",
});

// The same chunks as CommonJS scripts with V8 code caches, which bin/ssm-doctor.js loads (scripts/code-cache.mjs).
await writeCommonJsChunks("dist");
writeCodeCaches(new URL("..", import.meta.url));
