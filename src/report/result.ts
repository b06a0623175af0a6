/** One input's run as every format receives it: the file, its result, and for reviews and sweeps their context. */
import type { FileBaseline } from "../engine/baseline.js";
import type { RunResult } from "../engine/run.js";

export interface FileResult {
  file: string;
  result: RunResult;
  /** Set when the run is compared with a baseline (diff, lint --baseline). */
  baseline?: FileBaseline;
  /** In a sweep: the account and region this result is of; `failed` when they could not be read. */
  scope?: { account: string; accountName?: string; region: string; failed?: string };
}
