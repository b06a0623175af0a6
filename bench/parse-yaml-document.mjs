// The floor for CloudFormation YAML: a bare node process that reads a file and parses it into a
// `yaml` Document (YAML.parseDocument, default options), nothing else.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";

parseDocument(readFileSync(process.argv[2], "utf8"));
