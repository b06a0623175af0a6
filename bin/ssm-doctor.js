#!/usr/bin/env node
// With --debug, stack traces name the TypeScript sources and functions: the bundle is minified, and
// its source map is read only for modules loaded after this call.
if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
const { main } = await import("../dist/cli.js");

// A reader that stops early (`ssm-doctor … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
