import { describe, expect, it } from "vitest";
import {
  defaulted,
  known,
  type Origin,
  SESSION_DOCUMENT_NAME,
  sessionDocumentKind,
  sessionPreferencesFrom,
  type Value,
} from "../../../src/model/index.js";

describe("sessionDocumentKind", () => {
  it("prefers the document named SSM-SessionManagerRunShell, then any of type Session", () => {
    expect(SESSION_DOCUMENT_NAME).toBe("SSM-SessionManagerRunShell");
    expect(sessionDocumentKind("SSM-SessionManagerRunShell", "Command")).toBe("named");
    expect(sessionDocumentKind("MyPrefs", "Session")).toBe("typed");
    expect(sessionDocumentKind(undefined, "session")).toBe("typed");
  });

  it("takes no other document", () => {
    expect(sessionDocumentKind("ssm-sessionmanagerrunshell", "Command")).toBeUndefined();
    expect(sessionDocumentKind("MyPrefs", undefined)).toBeUndefined();
    expect(sessionDocumentKind(undefined, true)).toBeUndefined();
  });
});

describe("sessionPreferencesFrom", () => {
  const origin: Origin = { source: "live", id: SESSION_DOCUMENT_NAME };
  const document = { key: SESSION_DOCUMENT_NAME, name: SESSION_DOCUMENT_NAME, origin };

  it("reads the three settings and the encryption flags the document sets", () => {
    const texts: Record<string, Value<string | null>> = { s3BucketName: known("logs"), cloudWatchLogGroupName: known(null) };
    const preferences = sessionPreferencesFrom(document, {
      text: (name) => texts[name] ?? defaulted(null),
      flag: (name) => (name === "s3EncryptionEnabled" ? known(true) : undefined),
    });
    expect(preferences).toEqual({
      ...document,
      s3BucketName: known("logs"),
      cloudWatchLogGroupName: known(null),
      kmsKeyId: defaulted(null),
      s3EncryptionEnabled: known(true),
    });
    expect(preferences).not.toHaveProperty("cloudWatchEncryptionEnabled");
  });
});
