// Bundles the CLI into dist/ so start-up loads one file, not hundreds of modules.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { globSync } from "tinyglobby";
import { writeRegions } from "./extract-regions.mjs";

// The region list --region is checked against, from the partition data of the installed AWS SDK.
await writeRegions();

/** rules/examples/files.ts reads the rules' example inputs from disk; the bundle carries the same map inline. */
const inlineRuleExamples = {
  name: "inline-rule-examples",
  setup(build) {
    build.onLoad({ filter: /[\\/]rules[\\/]examples[\\/]files\.ts$/ }, ({ path }) => {
      const root = dirname(path);
      const files = globSync("*/**/*.{yaml,tf}", { cwd: root })
        .sort()
        .map((file) => [file, readFileSync(join(root, file), "utf8")]);
      return { contents: `export const EXAMPLE_FILES = new Map(${JSON.stringify(files)});`, loader: "js", watchDirs: [root] };
    });
  },
};

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  // No keepNames: it wraps every closure the code creates in a name-setting call, a tenth of the time of
  // reading a large template; --debug reads stack traces through the source map instead.
  minify: true,
  // The AWS SDK (used only by `check`) and @aws-cdk/cloudformation-diff (only by `diff` and `lint --baseline`,
  // with the AWS service specification it reads from its own package) are loaded lazily through dynamic
  // import and stay external: `lint` alone never parses them. The HCL parser (WebAssembly) is loaded only
  // for Terraform configurations and stays external too.
  external: ["@aws-sdk/*", "@smithy/*", "@aws-cdk/*", "web-tree-sitter", "@tree-sitter-grammars/*"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  define: { __VERSION__: JSON.stringify(version) },
  plugins: [inlineRuleExamples],
  logLevel: "warning",
});
