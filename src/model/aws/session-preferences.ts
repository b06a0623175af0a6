/** Session Manager preferences: the account's session document and the inputs that decide logging and encryption. */
import type { Value } from "../value.js";
import type { Element, SessionPreferences } from "../world.js";

/** The document Session Manager reads its preferences from. */
export const SESSION_DOCUMENT_NAME = "SSM-SessionManagerRunShell";

/**
 * Whether a document is where Session Manager takes its preferences from: "named" SSM-SessionManagerRunShell,
 * else "typed" (of type Session, taken when no document has the name); undefined for any other.
 */
export function sessionDocumentKind(name: unknown, documentType: unknown): "named" | "typed" | undefined {
  if (name === SESSION_DOCUMENT_NAME) return "named";
  return typeof documentType === "string" && documentType.toLowerCase() === "session" ? "typed" : undefined;
}

/** How a source reads one input of the document (`inputs.s3BucketName`, …) in its own terms. */
export interface PreferenceReader {
  text(name: "s3BucketName" | "cloudWatchLogGroupName" | "kmsKeyId"): Value<string | null>;
  /** undefined when the document does not set it. */
  flag(name: "s3EncryptionEnabled" | "cloudWatchEncryptionEnabled"): Value<boolean> | undefined;
}

/** The preferences of a session document, the element being the document itself. */
export function sessionPreferencesFrom(document: Element, read: PreferenceReader): SessionPreferences {
  const s3EncryptionEnabled = read.flag("s3EncryptionEnabled");
  const cloudWatchEncryptionEnabled = read.flag("cloudWatchEncryptionEnabled");
  return {
    ...document,
    s3BucketName: read.text("s3BucketName"),
    cloudWatchLogGroupName: read.text("cloudWatchLogGroupName"),
    kmsKeyId: read.text("kmsKeyId"),
    ...(s3EncryptionEnabled ? { s3EncryptionEnabled } : {}),
    ...(cloudWatchEncryptionEnabled ? { cloudWatchEncryptionEnabled } : {}),
  };
}
