/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…::message` per unsuppressed
 * finding, so a pull request shows each problem on its line. Escaping follows @actions/core: data
 * escapes % CR LF; properties also escape : and ,.
 */
import type { Rule } from "../engine/rule.js";
import type { Finding } from "../engine/run.js";
import type { Origin } from "../model/index.js";
import { causeText } from "./baseline-text.js";
import { findingDetails } from "./evidence.js";
import { findingMessage } from "./message.js";
import { defaultRepoPath, type RepoPathMapper, STDIN } from "./repo-path.js";
import type { FileResult } from "./result.js";
import { inputText } from "./text.js";

export interface GithubOptions {
  rules: readonly Rule[];
  repoPath?: RepoPathMapper;
}

/** The message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A `key=value` property of a workflow command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function commandFor(f: Finding): "error" | "warning" | "notice" {
  if (f.verdict === "unknown" || f.severity === "note") return "notice";
  return f.severity;
}

function position(origin: Origin, repoPath: RepoPathMapper, locate?: (o: Origin) => Origin["region"]) {
  // Standard input is no file GitHub could annotate: the annotation goes to the run, not to a line.
  if (!origin.file || origin.file === STDIN) return {};
  const region = origin.region ?? locate?.(origin);
  const file = inputText(repoPath(origin.file).path);
  if (!region) return { file };
  const line = Math.max(1, region.startLine);
  const endLine = Math.max(line, region.endLine ?? line);
  // Columns only on a single line: GitHub drops annotations whose columns span several lines.
  const sameLine = endLine === line;
  return {
    file,
    line,
    col: sameLine ? Math.max(1, region.startColumn) : undefined,
    endLine,
    endColumn: sameLine && region.endColumn ? Math.max(region.startColumn, region.endColumn) : undefined,
  };
}

export function formatGithub(files: FileResult[], options: GithubOptions): string {
  const repoPath = options.repoPath ?? defaultRepoPath;
  const lines: string[] = [];
  for (const { file, result, baseline } of files) {
    for (const note of result.notes) {
      if (note.level === "warning")
        lines.push(workflowCommand("warning", { title: `ssm-doctor: ${note.code}` }, inputText(`${file}: ${note.message}`)));
    }
    for (const e of result.expiredSuppressions) {
      lines.push(
        workflowCommand(
          "warning",
          { title: "ssm-doctor: expired suppression" },
          `The suppression of ${e.ruleId}${e.resource ? ` for ${e.resource}` : ""} in ${e.source} expired on ${e.expires}; it no longer applies.`,
        ),
      );
    }
    for (const f of result.findings) {
      if (f.suppression) continue;
      // In a change review only what the change introduces is annotated.
      if (baseline && baseline.states.get(f.fingerprint) !== "new") continue;
      const causes = (baseline?.causes.get(f.fingerprint) ?? []).map((c) => `- ${causeText(c)}`);
      const details = [...findingDetails(f).map((d) => `- ${d}`), ...causes];
      const message = [findingMessage(f, options.rules), ...(details.length > 0 ? ["", ...details] : [])].join("\n");
      lines.push(
        workflowCommand(
          commandFor(f),
          { ...position(f.location, repoPath, result.world.locate), title: `${f.ruleId} ${f.ruleName}` },
          message,
        ),
      );
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
