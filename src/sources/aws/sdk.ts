/**
 * The AWS SDK's client packages, loaded on first use with require rather than import(). They are CommonJS
 * (their "main" is dist-cjs), and importing a CommonJS graph through Node's ES module loader adds work to it
 * (format detection, a scan of each module for its exports): loading the EC2, SSM, IAM and STS clients cost
 * 1.15 s of CPU through import() and 0.70 s through require on the machine this was measured on.
 */
import { createRequire } from "node:module";

const requireCjs = createRequire(import.meta.url);

export const sdk = {
  ec2: (): typeof import("@aws-sdk/client-ec2") => requireCjs("@aws-sdk/client-ec2"),
  ssm: (): typeof import("@aws-sdk/client-ssm") => requireCjs("@aws-sdk/client-ssm"),
  iam: (): typeof import("@aws-sdk/client-iam") => requireCjs("@aws-sdk/client-iam"),
  sts: (): typeof import("@aws-sdk/client-sts") => requireCjs("@aws-sdk/client-sts"),
  route53: (): typeof import("@aws-sdk/client-route-53") => requireCjs("@aws-sdk/client-route-53"),
  organizations: (): typeof import("@aws-sdk/client-organizations") => requireCjs("@aws-sdk/client-organizations"),
};
