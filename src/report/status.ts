/** What an instance's status means for Session Manager, in the words every report prints. */
import type { CheckStatus } from "../engine/run.js";

export const VERDICT: Record<CheckStatus, string> = {
  pass: "Session Manager should connect",
  fail: "Session Manager will not connect",
  warn: "Session Manager should connect (with warnings)",
  unknown: "cannot tell yet: some values are unknown",
  suppressed: "Session Manager should connect if the suppressed findings are right",
};
