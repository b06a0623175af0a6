#!/usr/bin/env node
// CommonJS (bin/package.json): start-up does not load the ES module loader for this file. The bundle is
// loaded by ./load-bundle.js, from dist/cjs with V8 code caches, or from the ES modules of dist/.
"use strict";

// With --debug, stack traces name the TypeScript sources and functions: the bundle is minified, and its
// source maps are read only for ES modules loaded after this call, so --debug loads dist/cli.js itself.
const debug = process.argv.includes("--debug");
if (debug) process.setSourceMapsEnabled(true);

// A reader that stops early (`ssm-doctor … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

require("./load-bundle.js")
  .loadCli({ esm: debug })
  .then(async ({ cli, done }) => {
    process.exitCode = await cli.main(process.argv);
    done();
  })
  .catch((error) => {
    // Only a broken install gets here (cli.main reports every error itself): one line, the stack with --debug.
    process.stderr.write(`ssm-doctor: internal error: cannot load the program: ${error.message} (reinstall, or run npm run build)\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  });
