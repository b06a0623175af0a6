/**
 * The `paths` of the JSON report's instances, one array shared by the instances whose paths read the same. A
 * fleet's instances mostly sit in the same subnets behind the same groups and endpoints, and their paths, hop by
 * hop, are most of a report of hundreds of megabytes: each distinct array is made (and, by json-pieces.ts, written
 * as text) once. The key is what the text is made of, word for word: per path its subnet, service, route, endpoint
 * and verdict; per hop its id, verdict and resource, and the arguments and words of its evidence and unknown
 * reasons. Instances share an array only when their text would be the same.
 */
import type { Evidence } from "../analysis/evidence.js";
import type { Hop } from "../analysis/paths.js";
import type { RunResult } from "../engine/run.js";
import { knownValue, type UnknownReason } from "../model/index.js";
import { argumentsOf, evidenceText } from "./evidence.js";
import { instanceAnalysis, pathViews } from "./paths.js";
import { unknownText } from "./text.js";

/** One instance's paths as the JSON report lists them. */
export function jsonPaths(result: RunResult, instanceKey: string) {
  return pathViews(result, instanceKey).map((p) => ({
    subnet: p.subnet,
    service: p.service,
    route: p.route,
    routeText: p.routeText,
    endpoint: p.endpoint,
    verdict: p.verdict,
    hops: p.hops.map((h) => ({
      id: h.id,
      label: h.label,
      verdict: h.verdict,
      // The resource by key and name: its location is the element's, in findings and related locations.
      resource: h.resource ? { key: h.resource.key, name: h.resource.name } : null,
      // Evidence as codes and words; where it stands is in the findings (paths stay small for fleets).
      evidence: h.evidence.map((e) => ({ code: e.code, arguments: e.arguments, text: e.text })),
      unknowns: h.unknowns.map((u) => ({ code: u.code, message: u.message, decide: u.decide ?? null, text: u.text })),
    })),
  }));
}

export type JsonPath = ReturnType<typeof jsonPaths>[number];

/** Text that names every value the JSON of an instance's paths is made of (JSON-encoded, so it cannot be ambiguous). */
function pathsKeyer(result: RunResult): (instanceKey: string) => string {
  const source = result.world.source;
  // Evidence and reasons are often one object shared by many hops (an ACL's answer): their part is made once.
  const evidenceKeys = new WeakMap<Evidence, string>();
  const unknownKeys = new WeakMap<UnknownReason, string>();
  const evidenceKey = (e: Evidence): string => {
    let key = evidenceKeys.get(e);
    if (key === undefined) {
      key = JSON.stringify([e.code, argumentsOf(e), evidenceText(e, source)]);
      evidenceKeys.set(e, key);
    }
    return key;
  };
  const unknownKey = (u: UnknownReason): string => {
    let key = unknownKeys.get(u);
    if (key === undefined) {
      key = JSON.stringify([u.code, u.message, u.decide ?? null, unknownText(u)]);
      unknownKeys.set(u, key);
    }
    return key;
  };
  // The label follows from the id, the resource's name from the subject (one world per result).
  const hopKey = (h: Hop): string =>
    `[${JSON.stringify(h.id)},${JSON.stringify(h.verdict)},${JSON.stringify(h.subject ?? null)},[${h.evidence.map(evidenceKey).join(",")}],[${(h.unknowns ?? []).map(unknownKey).join(",")}]]`;
  return (instanceKey) => {
    const a = instanceAnalysis(result, instanceKey);
    if (!a) return "[]";
    let key = "[";
    for (const placement of a.placements) {
      const subnet = JSON.stringify(knownValue(placement.subnet) ?? null);
      // The route's words follow from the route and the endpoint.
      for (const p of placement.paths)
        key += `[${subnet},${JSON.stringify(p.service)},${JSON.stringify(p.route)},${JSON.stringify(p.endpoint ?? null)},${JSON.stringify(p.verdict)},[${p.hops.map(hopKey).join(",")}]],`;
    }
    return `${key}]`;
  };
}

/**
 * What the key of an instance's paths starts with, cheap to make: its subnets, and per path the endpoint and
 * verdict. Instances whose signatures differ cannot have the same key, so the key (the words of every hop's
 * evidence) is made only for instances that share a signature with another. In an estate of one network per
 * instance no key is made; in a fleet behind one subnet, every instance's.
 */
function signatureOf(result: RunResult, instanceKey: string): string {
  const a = instanceAnalysis(result, instanceKey);
  if (!a) return "";
  let signature = "";
  for (const placement of a.placements) {
    signature += `${knownValue(placement.subnet) ?? ""}\u0000`;
    for (const p of placement.paths) signature += `${p.endpoint ?? ""}\u0001${p.verdict}\u0001${p.hops.length}\u0000`;
  }
  return signature;
}

/**
 * For the instances of one result: their paths, the same array for instances whose paths have the same text.
 * Each array given out more than once is added to `shared`, for the writer to make its text once.
 */
export function sharedPaths(result: RunResult, shared: WeakSet<object>): (instanceKey: string) => JsonPath[] {
  const keyOf = pathsKeyer(result);
  /** Paths by key, for the signatures that more than one instance has. */
  const made = new Map<string, JsonPath[]>();
  /** Per signature, the first instance that had it, with its paths until a second instance asks for its key. */
  const firsts = new Map<string, { instanceKey: string; paths: JsonPath[] } | undefined>();
  return (instanceKey) => {
    const signature = signatureOf(result, instanceKey);
    if (!firsts.has(signature)) {
      const paths = jsonPaths(result, instanceKey);
      firsts.set(signature, { instanceKey, paths });
      return paths;
    }
    const first = firsts.get(signature);
    if (first) {
      made.set(keyOf(first.instanceKey), first.paths);
      firsts.set(signature, undefined);
    }
    const key = keyOf(instanceKey);
    const known = made.get(key);
    if (known) {
      shared.add(known);
      return known;
    }
    const paths = jsonPaths(result, instanceKey);
    made.set(key, paths);
    return paths;
  };
}
