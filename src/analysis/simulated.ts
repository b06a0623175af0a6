/**
 * Live IAM: turn iam:SimulatePrincipalPolicy answers (Role.simulated) into the same ActionResult the policy
 * evaluator gives, so rules read one shape. AWS evaluated identity policies, boundaries and denies. Pure.
 */
import { knownValue, type Role, type SimulatedDecision, type UnknownReason, type Value } from "../model/index.js";
import type { ActionResult } from "./iam.js";
import type { Evidence } from "./verdict.js";

const DECISION: Record<SimulatedDecision["decision"], ActionResult["decision"]> = {
  allowed: "allowed",
  implicitDeny: "implicit-deny",
  explicitDeny: "explicit-deny",
};

export function simulatedResult(action: string, value: Value<SimulatedDecision> | undefined, who: string, boundary?: string): ActionResult {
  if (!value) {
    const reason: UnknownReason = { code: "outside", message: `${action} was not simulated for ${who}` };
    return { action, decision: "unknown", evidence: [], unknowns: [reason] };
  }
  if (value.kind === "unknown") return { action, decision: "unknown", evidence: [], unknowns: [value.reason] };
  const d = value.value;
  const evidence: Evidence[] = [
    {
      code: "iam-simulated",
      args: { action, decision: d.decision, principal: who, policies: d.matchedPolicies ?? [] },
    },
  ];
  if (d.decision !== "allowed" && d.allowedByBoundary === false)
    // The boundary by its name when known, else by whose boundary it is.
    evidence.push({ code: "iam-boundary-blocks", args: boundary ? { action, boundary } : { action, boundaryOf: who } });
  return { action, decision: DECISION[d.decision], evidence, unknowns: [] };
}

/** One result per action from the role's simulation. */
export function simulatedActions(role: Role, actions: readonly string[]): ActionResult[] {
  const map = role.simulated;
  const ref = knownValue(role.permissionsBoundary);
  const boundary = ref?.kind === "external-arn" || ref?.kind === "aws-managed" ? ref.arn.slice(ref.arn.lastIndexOf("/") + 1) : undefined;
  return actions.map((action) => simulatedResult(action, map?.get(action.toLowerCase()), role.name, boundary));
}
