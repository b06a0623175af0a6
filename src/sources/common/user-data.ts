/**
 * User data given as base64: the text cloud-init reads. cloud-init decompresses gzip user data before it looks at it
 * (cloud-init documentation, "User data formats"), so a gzip stream is inflated; anything that is then not text
 * (invalid UTF-8) cannot be read for what it does to the agent, and says so rather than passing as empty.
 */
import { gunzipSync } from "node:zlib";

/** What a base64 value holds: its text, or why it cannot be read; undefined when the value is not base64 at all. */
export type DecodedUserData = { text: string } | { unreadable: string };

/** Inflated user data larger than this is not read (EC2 takes 16 KB of user data; gzip lets it hold more). */
const MAX_INFLATED = 4 * 1024 * 1024;

export function decodeBase64UserData(value: string): DecodedUserData | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  let bytes = Buffer.from(compact, "base64");
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED });
    } catch {
      return { unreadable: "gzip-compressed data that does not inflate (or inflates past 4 MB)" };
    }
  }
  const text = bytes.toString("utf8");
  return text.includes("\uFFFD") && !bytes.includes(Buffer.from("\uFFFD")) ? { unreadable: "binary data, not text" } : { text };
}
