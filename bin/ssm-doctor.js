#!/usr/bin/env node
import { main } from "../dist/cli.js";

// A reader that stops early (`ssm-doctor … | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
