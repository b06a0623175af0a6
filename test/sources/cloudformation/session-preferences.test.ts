import { describe, expect, it } from "vitest";
import { load, v } from "./helpers.js";

describe("Session Manager preferences", () => {
  it("are unknown-outside when the template has no session document", () => {
    expect(load("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n").sessionPreferences).toMatchObject({
      kind: "unknown",
      reason: { code: "outside" },
    });
  });

  it("come from SSM-SessionManagerRunShell; empty strings are null", () => {
    const world = load(`
      Resources:
        Other:
          Type: AWS::SSM::Document
          Properties: {DocumentType: Command, Content: {schemaVersion: "2.2"}}
        Prefs:
          Type: AWS::SSM::Document
          Properties:
            Name: SSM-SessionManagerRunShell
            DocumentType: Session
            Content:
              schemaVersion: "1.0"
              sessionType: Standard_Stream
              inputs:
                s3BucketName: !Ref LogBucket
                s3EncryptionEnabled: true
                cloudWatchLogGroupName: /ssm/sessions
                cloudWatchEncryptionEnabled: "false"
                kmsKeyId: ""
        LogBucket:
          Type: AWS::S3::Bucket
    `);
    const prefs = v(world.sessionPreferences)!;
    expect(prefs.key).toBe("Prefs");
    // A bucket created by the template: its name comes at deploy time, but logging to S3 is certainly on.
    expect(prefs.s3BucketName).toMatchObject({ kind: "known", value: "LogBucket (created by this template)" });
    expect(v(prefs.cloudWatchLogGroupName)).toBe("/ssm/sessions");
    expect(prefs.kmsKeyId).toMatchObject({ kind: "known", value: null, provenance: "explicit" });
    expect(v(prefs.s3EncryptionEnabled)).toBe(true);
    expect(v(prefs.cloudWatchEncryptionEnabled)).toBe(false);
  });

  it("reads Content given as JSON text", () => {
    const world = load(`
      Resources:
        Prefs:
          Type: AWS::SSM::Document
          Properties:
            DocumentType: Session
            Content: '{"schemaVersion": "1.0", "inputs": {"s3BucketName": "my-bucket"}}'
    `);
    const prefs = v(world.sessionPreferences)!;
    expect(v(prefs.s3BucketName)).toBe("my-bucket");
    expect(prefs.cloudWatchLogGroupName).toEqual({ kind: "known", value: null, provenance: "default" });
  });
});
