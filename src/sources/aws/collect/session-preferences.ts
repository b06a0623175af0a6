/** The Session Manager preferences: the content of the account's session document, if one was saved. */
import type * as CWL from "@aws-sdk/client-cloudwatch-logs";
import type * as SSM from "@aws-sdk/client-ssm";
import { SESSION_DOCUMENT_NAME } from "../../../model/index.js";
import type { Caller, Outcome } from "../caller.js";
import { type Sdk, sdk } from "../sdk.js";

export interface SessionPreferencesReads {
  /** null: no preferences saved, the defaults apply. */
  sessionDocument: Outcome<string | null>;
  /** The log group the preferences name, when they allow only encrypted ones. */
  logGroup?: LogGroupRead;
}

/** The inputs of a session document's content (s3BucketName, kmsKeyId, …); undefined when the content is not JSON. */
export function sessionDocumentInputs(content: string): Record<string, unknown> | undefined {
  try {
    const doc = JSON.parse(content) as { inputs?: unknown } | null;
    const inputs = doc?.inputs;
    return inputs && typeof inputs === "object" && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/** One boolean input of a session document; undefined when it is not a boolean. */
export function sessionFlag(inputs: Record<string, unknown>, name: string): boolean | undefined {
  const v = inputs[name];
  return typeof v === "boolean" ? v : undefined;
}

/** One text input of a session document, trimmed; undefined when it is not a non-blank string. */
export function sessionInput(inputs: Record<string, unknown>, name: string): string | undefined {
  const v = inputs[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export function readSessionDocument(
  caller: Caller,
  ssm: SSM.SSMClient,
  sdk: Sdk["ssm"],
): Promise<SessionPreferencesReads["sessionDocument"]> {
  return caller.attempt("ssm:GetDocument", async () => {
    try {
      const r = await caller.call("ssm:GetDocument", () => ssm.send(new sdk.GetDocumentCommand({ Name: SESSION_DOCUMENT_NAME })));
      return r.Content ?? null;
    } catch (e) {
      if ((e as Error).name === "InvalidDocument") return null; // no preferences saved: the defaults apply
      throw e;
    }
  });
}

export interface LogGroupRead {
  name: string;
  /** null: no log group of that name. */
  group: Outcome<CWL.LogGroup | null>;
}

/**
 * The log group the preferences send session logs to, read only when they allow only encrypted groups
 * (cloudWatchEncryptionEnabled): its KMS key decides whether the agent starts a session.
 */
export async function readLogGroup(caller: Caller, inputs: Record<string, unknown>): Promise<LogGroupRead | undefined> {
  const name = sessionInput(inputs, "cloudWatchLogGroupName");
  // As the preferences read it (a boolean): the read serves exactly the check that the preferences ask for.
  if (!name || sessionFlag(inputs, "cloudWatchEncryptionEnabled") !== true) return undefined;
  const logs = await caller.logs();
  const { DescribeLogGroupsCommand } = sdk.logs();
  const group = await caller.attempt("logs:DescribeLogGroups", async () => {
    const pages = await caller.pages(
      "logs:DescribeLogGroups",
      (token) => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50, ...(token ? { nextToken: token } : {}) })),
      (p) => p.nextToken,
    );
    return pages.flatMap((p) => p.logGroups ?? []).find((g) => g.logGroupName === name) ?? null;
  });
  return { name, group };
}
