/**
 * No function in src/ or rules/ is longer than 120 lines, counted from the line where it starts to the line
 * of its closing brace: a longer one does several things, and each deserves a name.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { lineOf, type SourceFile, sourceFiles } from "./source-files.js";

const MAX_LINES = 120;

interface FunctionSize {
  /** `src/cli/lint.ts registerLint` */
  key: string;
  /** `src/cli/lint.ts:140` */
  where: string;
  lines: number;
}

/** A function's name as a reader would look for it: its own, or the variable, property or class member holding it. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name && !ts.isComputedPropertyName(node.name)) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return `${classNameOf(node)}.constructor`;
  const holder = node.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.name)
    return holder.name.getText();
  return "(anonymous)";
}

function classNameOf(node: ts.Node): string {
  const owner = node.parent;
  return owner && ts.isClassLike(owner) && owner.name ? owner.name.text : "(class)";
}

function hasBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node)) &&
    node.body !== undefined
  );
}

function functionSizes(file: SourceFile): FunctionSize[] {
  const sizes: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (hasBody(node)) {
      const first = lineOf(file, node.getStart(file.ast));
      const last = lineOf(file, node.getEnd());
      sizes.push({ key: `${file.path} ${nameOf(node)}`, where: `${file.path}:${first}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return sizes;
}

describe("function size", () => {
  const sizes = sourceFiles().flatMap(functionSizes);

  it(`no function is longer than ${MAX_LINES} lines`, () => {
    const long = sizes.filter((s) => s.lines > MAX_LINES);
    expect(long.map((s) => `${s.where} ${s.key.split(" ")[1]} is ${s.lines} lines (at most ${MAX_LINES})`)).toEqual([]);
  });

  it("finds the functions it measures", () => {
    // A parse that silently found nothing would pass the first test.
    expect(sizes.length).toBeGreaterThan(500);
    expect(sizes.find((s) => s.key === "src/cli/lint.ts registerLint")?.lines).toBeGreaterThan(10);
  });
});
