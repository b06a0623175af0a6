/** The output formats: one renderer per format, chosen by --format. */
import type { Rule } from "../engine/rule.js";
import { formatGithub } from "./github.js";
import { formatHuman } from "./human.js";
import { formatJson, jsonReportPieces } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import type { RepoPathMapper } from "./repo-path.js";
import type { FileResult } from "./result.js";
import { formatSarif } from "./sarif.js";

export const FORMATS = ["human", "json", "sarif", "github", "markdown", "junit"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderContext {
  rules: readonly Rule[];
  tool: { name: string; version: string };
  /** Colour for the human format (only on a TTY, never into a file, never with NO_COLOR). */
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Input files relative to the repository root (SARIF, GitHub annotations); default: the path as given. */
  repoPath?: RepoPathMapper;
  /** The configuration file the run used, relative to the repository root (JSON and SARIF name it). */
  configFile?: string;
}

export function render(format: Format, results: FileResult[], context: RenderContext): string {
  switch (format) {
    case "human":
      return formatHuman(results, context.rules, { color: context.color, quiet: context.quiet, verbose: context.verbose });
    case "json":
      return formatJson(results, context.rules, context.tool, {
        ...(context.repoPath ? { repoPath: context.repoPath } : {}),
        ...(context.configFile ? { configFile: context.configFile } : {}),
      });
    case "sarif":
      return formatSarif(results, {
        rules: context.rules,
        tool: context.tool,
        ...(context.repoPath ? { repoPath: context.repoPath } : {}),
        ...(context.configFile ? { configFile: context.configFile } : {}),
      });
    case "github":
      return formatGithub(results, { rules: context.rules, ...(context.repoPath ? { repoPath: context.repoPath } : {}) });
    case "markdown":
      return formatMarkdown(results, { rules: context.rules });
    case "junit":
      return formatJunit(results, { rules: context.rules });
  }
}

/**
 * The same text as render, as pieces to write one after another: the JSON report is made while it is written
 * (a fleet's report runs to hundreds of megabytes); every other format is one piece, made now.
 */
export function renderPieces(format: Format, results: FileResult[], context: RenderContext): Iterable<string> {
  if (format !== "json") return [render(format, results, context)];
  return jsonReportPieces(results, context.rules, context.tool, {
    ...(context.repoPath ? { repoPath: context.repoPath } : {}),
    ...(context.configFile ? { configFile: context.configFile } : {}),
  });
}

export type { FileResult };
