/**
 * The JSON report's change-review fields (docs/json-output.md): `baselineState` on every finding, the
 * base's findings the change fixed as `absent`, and on new findings the input changes behind them.
 */
import type { FileBaseline } from "../engine/baseline.js";
import type { Finding } from "../engine/run.js";
import type { Origin } from "../model/index.js";
import { causeText } from "./baseline-text.js";
import { location } from "./json-location.js";

type Locate = ((o: Origin) => Origin["region"]) | undefined;

/** Replaces the file's `findings` (each with baselineState, absent ones appended) and adds `baseline`. */
export function baselineFields<T extends object>(
  findings: readonly Finding[],
  baseline: FileBaseline,
  currentLocate: Locate,
  render: (f: Finding, locate: Locate) => T,
) {
  const current = findings.map((f) => {
    const causes = baseline.causes.get(f.fingerprint) ?? [];
    return {
      ...render(f, currentLocate),
      baselineState: baseline.states.get(f.fingerprint) ?? "new",
      causes: causes.map((c) => ({
        text: causeText(c),
        tie: c.tie,
        resource: c.change.resource,
        resourceType: c.change.resourceType,
        property: c.change.property ?? null,
        via: c.change.via?.key ?? null,
        action: c.change.action,
        category: c.change.category,
        before: c.change.before ?? null,
        after: c.change.after ?? null,
        location: c.change.origin ? location(c.change.origin) : null,
      })),
    };
  });
  const absent = baseline.absent.map((f) => ({ ...render(f, baseline.absentLocate), baselineState: "absent" as const, causes: [] }));
  return {
    findings: [...current, ...absent],
    baseline: {
      file: baseline.baselineFile ?? null,
      instances: baseline.instances.map((i) => ({ key: i.key, name: i.name, before: i.before ?? null, after: i.after ?? null })),
      brokenHops: baseline.hopBreaks.map((b) => ({ instance: b.instance, service: b.service, hop: b.hop, subject: b.subject ?? null })),
      notes: baseline.notes,
    },
  };
}
