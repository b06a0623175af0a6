/**
 * The project's own TypeScript (src/ and rules/), parsed once with the compiler API, for the tests that
 * hold its shape: layers and cycles (layers.test.ts) and function length (function-size.test.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const ROOT = join(import.meta.dirname, "../..");
const SCANNED = ["src", "rules"];

export interface SourceFile {
  /** Relative to the repository, with forward slashes: `src/cli/lint.ts`. */
  path: string;
  ast: ts.SourceFile;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return tsFiles(full);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

let parsed: SourceFile[] | undefined;

export function sourceFiles(): SourceFile[] {
  parsed ??= SCANNED.flatMap((dir) => tsFiles(join(ROOT, dir))).map((full) => ({
    path: repoPath(full),
    ast: ts.createSourceFile(full, readFileSync(full, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS),
  }));
  return parsed;
}

function repoPath(full: string): string {
  return relative(ROOT, full).split("\\").join("/");
}

/** 1-based line of a position. */
export function lineOf(file: SourceFile, position: number): number {
  return file.ast.getLineAndCharacterOfPosition(position).line + 1;
}

export interface Import {
  /** The importing file. */
  from: string;
  line: number;
  /** As written: `../model/index.js`. */
  specifier: string;
  /** The imported file relative to the repository, or undefined for a package (`node:fs`, `yaml`). */
  target: string | undefined;
}

/** A relative specifier as the compiler resolves it under NodeNext: `x.js` is `x.ts`, a `.json` is itself. */
function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const full = resolve(ROOT, dirname(file), specifier);
  for (const candidate of [full.replace(/\.js$/, ".ts"), full]) if (existsSync(candidate)) return repoPath(candidate);
  return repoPath(full);
}

/** Every import of a file: static imports and re-exports (type-only ones too), and dynamic import(). */
export function importsOf(file: SourceFile): Import[] {
  const found: Import[] = [];
  const add = (literal: ts.Expression | undefined) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    found.push({
      from: file.path,
      line: lineOf(file, literal.getStart(file.ast)),
      specifier: literal.text,
      target: resolveSpecifier(file.path, literal.text),
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return found;
}
