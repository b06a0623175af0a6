/** The Session Manager preferences: the content of the account's session document, if one was saved. */
import type * as SSM from "@aws-sdk/client-ssm";
import { SESSION_DOCUMENT_NAME } from "../../../model/index.js";
import type { Caller, Outcome } from "../caller.js";
import type { Sdk } from "../sdk.js";

export interface SessionPreferencesReads {
  /** null: no preferences saved, the defaults apply. */
  sessionDocument: Outcome<string | null>;
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
