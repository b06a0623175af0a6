/** The output formats: one renderer per format, chosen by --format. */
import type { Rule } from "../engine/rule.js";
import { type FileResult, formatHuman } from "./human.js";
import { formatJson } from "./json.js";

export const FORMATS = ["human", "json"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderContext {
  rules: readonly Rule[];
  tool: { name: string; version: string };
  /** Colour for the human format (only on a TTY, never into a file, never with NO_COLOR). */
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

export function render(format: Format, results: FileResult[], context: RenderContext): string {
  switch (format) {
    case "human":
      return formatHuman(results, context.rules, { color: context.color, quiet: context.quiet, verbose: context.verbose });
    case "json":
      return formatJson(results, context.rules, context.tool);
  }
}

export type { FileResult };
