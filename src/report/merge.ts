/**
 * Merging JSON reports (schemaVersion 1) of separate runs, e.g. one sweep job per account in a CI
 * matrix: the files of every report in order, and the summary counted again over all of them.
 */
import { JSON_SCHEMA_VERSION, summaryCounts } from "./json.js";

interface MergeableFile {
  instances?: { status?: string }[];
  findings?: { severity?: string; verdict?: string; suppression?: unknown }[];
}

export interface MergeableReport {
  schemaVersion?: number;
  tool?: { name?: string; version?: string };
  files?: MergeableFile[];
}

/** Why a value is not a JSON report of this tool, or undefined when it is one. */
export function notAReport(value: unknown): string | undefined {
  const r = value as MergeableReport;
  if (typeof r !== "object" || r === null || Array.isArray(r)) return "not a JSON object";
  if (r.tool?.name !== "ssm-doctor") return "not a JSON report of ssm-doctor (--format json)";
  if (r.schemaVersion !== JSON_SCHEMA_VERSION) return `schemaVersion ${String(r.schemaVersion)}; this version reads ${JSON_SCHEMA_VERSION}`;
  if (!Array.isArray(r.files)) return "the report has no files";
  return undefined;
}

export function mergeReports(reports: MergeableReport[], tool: { name: string; version: string }) {
  const files = reports.flatMap((r) => r.files ?? []);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool,
    files,
    summary: summaryCounts(
      files.flatMap((f) => f.instances ?? []),
      files.flatMap((f) => f.findings ?? []),
    ),
  };
}
