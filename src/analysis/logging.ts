/**
 * Session logging that the agent checks before it starts a session: with `cloudWatchEncryptionEnabled`, the log group
 * the preferences name must be encrypted with a KMS key, or the agent refuses the session ("encryption is not set up
 * on the selected CloudWatch Logs log group"; Session Manager, "Logging session data using Amazon CloudWatch Logs").
 */
import { type Element, isKnown, knownValue, type UnknownReason, type World } from "../model/index.js";
import { type Check, fail, pass, undecided } from "./verdict.js";

/**
 * The check of the log group's encryption, and what it is about (the group, when the input holds it, else the
 * preferences); undefined when the preferences do not ask for it.
 */
export function logGroupEncryption(world: World): { check: Check; subject: Element } | undefined {
  const prefs = knownValue(world.sessionPreferences);
  const name = prefs ? knownValue(prefs.cloudWatchLogGroupName) : undefined;
  const required = prefs?.cloudWatchEncryptionEnabled;
  if (!prefs || !name || !required) return undefined;
  const about = (check: Check, subject: Element = prefs) => ({ check, subject });
  if (!isKnown(required)) return about(undecided([required.reason]));
  if (!required.value) return undefined;
  const reasons: UnknownReason[] = [];
  for (const group of world.logGroups.values()) {
    const groupName = group.logGroupName;
    if (!isKnown(groupName)) {
      const { code, message, decide } = groupName.reason;
      const text =
        group.key === name
          ? `the log group ${name} could not be read: ${message}`
          : `${group.name} may be the log group ${name}: ${message}`;
      reasons.push({ code, message: text, ...(decide ? { decide } : {}) });
      continue;
    }
    if (groupName.value !== name) continue;
    const key = group.kmsKeyId;
    if (!isKnown(key)) return about(undecided([key.reason]), group);
    const evidence = {
      code: "log-group-encryption" as const,
      args: { group: group.name, key: key.value ?? "" },
      origin: key.origin ?? group.origin,
    };
    return about(key.value ? pass([evidence]) : fail([evidence]), group);
  }
  if (reasons.length > 0) return about(undecided(reasons));
  return about(
    undecided([
      world.source === "live"
        ? {
            code: "outside",
            message: `the log group ${name} was not found`,
            decide: "create it with a KMS key, or name an existing encrypted one",
          }
        : {
            code: "outside",
            message: `the log group ${name} is not in this input, so whether a KMS key encrypts it is not known`,
            decide: "lint the stack that creates it together with this one, or run check against the account",
          },
    ]),
  );
}
