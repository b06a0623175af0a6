/**
 * Where a run spends its time (`--timings`): each stage is timed where it runs and summed per phase.
 * Sources, analysis and the engine take an optional clock; without one they time nothing.
 */
export const PHASES = ["start-up", "read", "parse", "model", "analysis", "rules", "report"] as const;
export type Phase = (typeof PHASES)[number];

export class Timings {
  private readonly spent = new Map<Phase, number>();

  /** Runs `fn` and adds its wall time to `phase`. */
  measure<T>(phase: Phase, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, performance.now() - start);
    }
  }

  /** Like measure, for work that awaits. */
  async measureAsync<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.add(phase, performance.now() - start);
    }
  }

  add(phase: Phase, ms: number): void {
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + ms);
  }

  get(phase: Phase): number {
    return this.spent.get(phase) ?? 0;
  }

  /** A few lines for stderr: each phase's milliseconds and share of the total (process start to now). */
  format(total: number = performance.now()): string {
    const rows = PHASES.map((p) => [p, this.get(p)] as const);
    const counted = rows.reduce((sum, [, ms]) => sum + ms, 0);
    const other = Math.max(0, total - counted);
    const lines = [...rows, ["other", other] as const].map(
      ([name, ms]) => `  ${name.padEnd(10)}${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / (total || 1)).toFixed(0).padStart(4)}%`,
    );
    return `ssm-doctor timings (wall time since the process started):\n${lines.join("\n")}\n  ${"total".padEnd(10)}${total.toFixed(0).padStart(8)} ms\n`;
  }
}

/** Times the phase when a clock is given, else just runs `fn`. */
export function timed<T>(clock: Timings | undefined, phase: Phase, fn: () => T): T {
  return clock ? clock.measure(phase, fn) : fn();
}

/** Like timed, for work that awaits. */
export function timedAsync<T>(clock: Timings | undefined, phase: Phase, fn: () => Promise<T>): Promise<T> {
  return clock ? clock.measureAsync(phase, fn) : fn();
}
