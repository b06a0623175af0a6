/**
 * The result type of every analysis: a verdict, the evidence behind it, and for unknowns the reasons.
 * Evidence is data (a code and typed arguments, defined in ./evidence.ts); src/report/evidence.ts writes the words.
 */
import type { UnknownReason } from "../model/index.js";
import type { Evidence } from "./evidence.js";

export type { Evidence };

export type Verdict = "pass" | "fail" | "unknown";

/** Whether something holds (a rule matches, a statement applies): for certain, perhaps, or not at all. */
export type YesMaybeNo = "yes" | "maybe" | "no";

export interface Check {
  verdict: Verdict;
  evidence: Evidence[];
  /** For verdict "unknown": why, and what would decide it. */
  unknowns?: UnknownReason[];
}

export function pass(evidence: Evidence[] = []): Check {
  return { verdict: "pass", evidence };
}

export function fail(evidence: Evidence[] = []): Check {
  return { verdict: "fail", evidence };
}

export function undecided(unknowns: UnknownReason[], evidence: Evidence[] = []): Check {
  return { verdict: "unknown", evidence, unknowns };
}

/** Any-of: pass if any passes; else unknown if any unknown; else fail. */
export function anyOf(checks: Check[]): Check {
  const passed = checks.find((c) => c.verdict === "pass");
  if (passed) return passed;
  const unknowns = checks.filter((c) => c.verdict === "unknown");
  const evidence = checks.flatMap((c) => c.evidence);
  if (unknowns.length > 0)
    return undecided(
      unknowns.flatMap((c) => c.unknowns ?? []),
      evidence,
    );
  return fail(evidence);
}

/** All-of: fail if any fails; else unknown if any unknown; else pass. */
export function allOf(checks: Check[]): Check {
  const evidence = checks.flatMap((c) => c.evidence);
  if (checks.some((c) => c.verdict === "fail")) return fail(checks.filter((c) => c.verdict === "fail").flatMap((c) => c.evidence));
  const unknowns = checks.filter((c) => c.verdict === "unknown");
  if (unknowns.length > 0)
    return undecided(
      unknowns.flatMap((c) => c.unknowns ?? []),
      evidence,
    );
  return pass(evidence);
}

/** The same reason once (same code and message), first occurrence kept. */
export function dedupeReasons(reasons: UnknownReason[]): UnknownReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.code}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
