/**
 * A sweep across accounts and regions: the summary table every format leads with (accounts × regions,
 * instances, how many connect, will not, or are unknown), and the scope of each section.
 */
import type { FileResult } from "./result.js";

export interface SweepRow {
  account: string;
  accountName?: string;
  region: string;
  instances: number;
  connect: number;
  fail: number;
  unknown: number;
  /** Why the unit could not be read (a role not assumed, a region that failed). */
  failed?: string;
}

export function sweepRows(files: readonly FileResult[]): SweepRow[] {
  return files.flatMap(({ result, scope }) => {
    if (!scope) return [];
    const count = (s: string[]) => result.instances.filter((i) => s.includes(i.status)).length;
    return [
      {
        account: scope.account,
        ...(scope.accountName ? { accountName: scope.accountName } : {}),
        region: scope.region,
        instances: result.instances.length,
        connect: count(["pass", "warn"]),
        fail: count(["fail"]),
        unknown: count(["unknown"]),
        ...(scope.failed ? { failed: scope.failed } : {}),
      },
    ];
  });
}

/** The summary table as aligned text lines (human) or a Markdown table. */
export function sweepTable(files: readonly FileResult[], markdown: boolean, clean: (s: string) => string): string[] {
  const rows = sweepRows(files);
  if (rows.length === 0) return [];
  const accounts = new Set(rows.map((r) => r.account)).size;
  const header = ["account", "region", "instances", "connect", "will not", "unknown"];
  const cells = rows.map((r) => [
    clean(r.accountName ? `${r.account} (${r.accountName})` : r.account),
    clean(r.region),
    r.failed ? "not read" : String(r.instances),
    r.failed ? "-" : String(r.connect),
    r.failed ? "-" : String(r.fail),
    r.failed ? "-" : String(r.unknown),
  ]);
  const title = `Sweep: ${accounts} account${accounts === 1 ? "" : "s"}, ${rows.length} account/region pair${rows.length === 1 ? "" : "s"}, ${rows.filter((r) => r.failed).length} not read`;
  if (markdown)
    return [
      `**${title}**`,
      "",
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...cells.map((c) => `| ${c.join(" | ")} |`),
      "",
    ];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `  ${c.map((x, i) => x.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  return [title, line(header), ...cells.map(line), ""];
}
