// Bundles the CLI into dist/ so start-up loads one file, not hundreds of modules.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { writeRegions } from "./extract-regions.mjs";

// The region list --region is checked against, from the partition data of the installed AWS SDK.
await writeRegions();

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
  logLevel: "warning",
});
