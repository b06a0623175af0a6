/**
 * HCL with positions: tree-sitter's HCL grammar (its Terraform dialect) compiled to WebAssembly. It is
 * loaded lazily, only when a configuration is linted, and gives a concrete syntax tree with a line and
 * column for every node, which the evaluator walks.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Node, Parser as TsParser } from "web-tree-sitter";
import { InputError } from "../../model/index.js";

export type HclNode = Node;

let parser: TsParser | undefined;

/** Loads the grammar once per process. */
export async function initHclParser(): Promise<void> {
  if (parser) return;
  const require = createRequire(import.meta.url);
  const { Parser, Language } = await import("web-tree-sitter");
  const runtime = dirname(require.resolve("web-tree-sitter"));
  await Parser.init({ locateFile: (name: string) => join(runtime, name) });
  const grammar = require.resolve("@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm");
  const language = await Language.load(grammar);
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** The first syntax error of a tree, as a node. */
function firstError(node: HclNode): HclNode | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    if (!child) continue;
    const found = firstError(child);
    if (found) return found;
  }
  return node;
}

/** Parses one `.tf` / `.tfvars` file; a syntax error is an InputError naming the line and column. */
export function parseHcl(file: string, text: string): HclNode {
  if (!parser) throw new Error("initHclParser() was not awaited");
  const tree = parser.parse(text);
  if (!tree) throw new InputError("could not parse HCL", file);
  const root = tree.rootNode;
  const error = firstError(root);
  if (error) {
    const { row, column } = error.startPosition;
    const near = text.slice(error.startIndex, Math.min(error.endIndex, error.startIndex + 20)).split("\n")[0];
    throw new InputError(
      error.isMissing ? `invalid HCL: missing ${error.type}` : `invalid HCL${near ? ` near '${near.replace(/[^\x20-\x7e]/g, "?")}'` : ""}`,
      file,
      row + 1,
      column + 1,
      "terraform validate shows the same error",
    );
  }
  return root;
}

/** Named children without comments. */
export function kids(node: HclNode): HclNode[] {
  return node.namedChildren.filter((c): c is HclNode => c !== null && c.type !== "comment");
}
