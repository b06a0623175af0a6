// The floors the benchmark compares against, each as a process of its own (start-up included):
//   node bench/baseline.mjs json FILE   # read and JSON.parse the file (the floor of a plan)
//   node bench/baseline.mjs yaml FILE   # read and parse the file into a `yaml` document (the floor of a template)
import { readFileSync } from "node:fs";

const [kind, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
if (kind === "json") JSON.parse(text);
else if (kind === "yaml") {
  const { parseDocument } = await import("yaml");
  parseDocument(text);
} else {
  process.stderr.write("usage: node bench/baseline.mjs json|yaml FILE\n");
  process.exit(2);
}
