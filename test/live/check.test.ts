/**
 * Live mode end to end: the built CLI (`node bin/ssm-doctor.js check …`) as a subprocess against the loopback
 * fake AWS endpoint (test/fake-aws), one account scenario per failure mode, plus faults, read-only calls, call
 * counts and setup errors. Nothing leaves 127.0.0.1.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lookupAwsManagedPolicy } from "../../src/analysis/iam.js";
import { isReadOnlyOperation, READ_ONLY_OPERATIONS } from "../../src/sources/aws/operations.js";
import { fleetSpec } from "../fake-aws/fleet.js";
import { type Account, expandScenario, type Fault, loadScenarioSpec, merge } from "../fake-aws/scenario.js";
import { type Call, type FakeAws, fakeEnv, startFakeAws } from "../fake-aws/server.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const INSTANCE = "i-0a000000000000001";

/** Every call any test sent, for the read-only assertion. */
const allCalls: Call[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  calls: Call[];
  ms: number;
}

function spawnCli(args: string[], env: Record<string, string>): Promise<Omit<Run, "calls">> {
  const start = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, encoding: "utf8", timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 2) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - start });
      },
    );
  });
}

/** A minimal environment: no credentials or AWS settings of the machine running the tests leak in. */
function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: mkdtempSync(join(tmpdir(), "ssm-doctor-home-")) };
}

async function check(
  scenario: string | Account,
  args: string[] = ["--instance", INSTANCE],
  opts: { faults?: Fault[]; env?: Record<string, string>; latencyMs?: number } = {},
): Promise<Run> {
  const fake: FakeAws = await startFakeAws(scenario, { faults: opts.faults ?? [], latencyMs: opts.latencyMs ?? 0 });
  try {
    const r = await spawnCli(["check", ...args], { ...baseEnv(), ...fakeEnv(fake), ...opts.env });
    allCalls.push(...fake.calls);
    return { ...r, calls: [...fake.calls] };
  } finally {
    await fake.close();
  }
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  verdict: string;
  messageId: string;
  message: string;
  unknowns: { message: string; decide: string | null }[];
}

function report(r: Run): { instances: { key: string; status: string }[]; findings: JsonFinding[]; notes?: { message: string }[] } {
  return JSON.parse(r.stdout).files[0];
}

const failing = (r: Run) =>
  [
    ...new Set(
      report(r)
        .findings.filter((f) => f.verdict === "fail")
        .map((f) => f.ruleId),
    ),
  ].sort();

describe("check against the fake AWS endpoint: one scenario per failure mode", () => {
  it.each([
    ["agent-offline", ["SD101"]],
    ["old-agent", ["SD102"]],
    ["no-endpoints-no-nat", ["SD201"]],
    ["endpoint-without-private-dns", ["SD402"]],
    ["dns-hostnames-off", ["SD401"]],
    ["endpoint-sg-without-ingress", ["SD303"]],
    ["instance-egress-blocked", ["SD301"]],
    ["nacl-blocks-return-traffic", ["SD304"]],
    ["endpoint-policy-deny", ["SD206"]],
    ["no-profile-no-dhmc", ["SD101", "SD501"]],
    ["dhmc-imdsv1", ["SD101", "SD505"]],
    ["role-without-permissions", ["SD503"]],
    ["boundary-removes-ssmmessages", ["SD503"]],
    ["s3-logging-without-s3-path", ["SD601"]],
    ["endpoint-not-available", ["SD205"]],
    ["nat-block-public-access", ["SD207"]],
    ["profile-registers-dhmc-on", ["SD503"]],
    ["nat-route-blackhole", ["SD201"]],
    ["cloudwatch-log-group-not-encrypted", ["SD601"]],
  ])("%s fails with %j and exit 1", async (scenario, rules) => {
    const r = await check(scenario, ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(failing(r)).toEqual(rules);
    expect(report(r).instances[0]!.status).toBe("fail");
  });

  it.each(["healthy", "nat-gateway"])("%s passes with exit 0 and no findings", async (scenario) => {
    const r = await check(scenario, ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(report(r).findings).toEqual([]);
    expect(report(r).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("a NAT gateway's subnet routed through a firewall endpoint is unknown (the appliance routes on), not a failure", async () => {
    const spec = merge(loadScenarioSpec("nat-gateway"), {
      subnets: [{ id: "subnet-0f000000000000001", name: "firewall-a", vpc: "vpc-0a11ce0000000001", cidr: "10.0.9.0/24", az: "us-east-1a" }],
      routeTables: [
        { id: "rtb-0b000000000000001", routes: [{ dest: "0.0.0.0/0", target: "vpce-0f1e000000000001" }] },
        {
          id: "rtb-0f000000000000001",
          name: "firewall",
          vpc: "vpc-0a11ce0000000001",
          subnets: ["subnet-0f000000000000001"],
          routes: [{ dest: "0.0.0.0/0", target: "igw-0a000000000000001" }],
        },
      ],
    } as never) as Record<string, never>;
    const r = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(report(r).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(report(r).findings.filter((f) => f.verdict === "fail")).toEqual([]);
  });

  it("only encrypted log groups: a KMS key on the group passes; a group that is not found is unknown", async () => {
    const spec = (logGroups: unknown[]) =>
      expandScenario(
        merge(loadScenarioSpec("cloudwatch-log-group-not-encrypted"), { logGroups } as never) as Record<string, never>,
        lookupAwsManagedPolicy,
      );
    const encrypted = await check(
      spec([{ name: "/ssm/session-logs", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }]),
      ["--instance", INSTANCE, "--format", "json"],
    );
    expect(encrypted.stderr).toBe("");
    expect(report(encrypted).instances.map((i) => i.status)).toEqual(["pass"]);
    expect(encrypted.calls.filter((c) => c.operation === "DescribeLogGroups")).toHaveLength(1);
    const missing = await check(spec([{ name: "/ssm/session-logs", remove: true }, { name: "/ssm/other" }]), [
      "--instance",
      INSTANCE,
      "--format",
      "json",
    ]);
    expect(report(missing).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(report(missing).findings)).toContain("the log group /ssm/session-logs was not found");
  });

  it("an endpoint whose private DNS publishes IPv6 records only leaves its service unknown; dualstack passes", async () => {
    const spec = (dnsRecordIpType: string) =>
      expandScenario(
        merge(loadScenarioSpec("healthy"), { endpoints: [{ id: "vpce-0550000000000002", dnsRecordIpType }] } as never) as Record<
          string,
          never
        >,
        lookupAwsManagedPolicy,
      );
    const ipv6 = await check(spec("ipv6"), ["--instance", INSTANCE, "--format", "json"]);
    expect(ipv6.stderr).toBe("");
    expect(report(ipv6).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(report(ipv6).findings)).toContain("IPv6 (AAAA) records only");
    const dual = await check(spec("dualstack"), ["--instance", INSTANCE, "--format", "json"]);
    expect(report(dual).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("a DHCP option set the VPC names but the read does not return (a shared VPC's owner's) is unknown, not AmazonProvidedDNS", async () => {
    const account = expandScenario(
      merge(loadScenarioSpec("healthy"), { vpcs: [{ id: "vpc-0a11ce0000000001", dhcp: ["10.50.0.10"] }] } as never) as Record<
        string,
        never
      >,
      lookupAwsManagedPolicy,
    );
    const hidden = { ...account, dhcpOptions: account.dhcpOptions.filter((d) => !d.DhcpOptionsId?.startsWith("dopt-0a11ce")) };
    expect(hidden.dhcpOptions.length).toBeLessThan(account.dhcpOptions.length);
    const r = await check(hidden, ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(report(r).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(report(r).findings)).toContain("were not returned by ec2:DescribeDhcpOptions");
  });

  it("VPC Block Public Access: an exclusion of the NAT gateway's subnet lifts it, unless exclusions are not allowed; unread, it is unknown", async () => {
    const spec = (over: Record<string, unknown>) =>
      expandScenario(merge(loadScenarioSpec("nat-block-public-access"), over as never) as Record<string, never>, lookupAwsManagedPolicy);
    const natSubnet = {
      blockPublicAccess: { exclusions: [{ id: "vpcbpa-exclude-0a000000000000002", subnet: "subnet-0b000000000000001" }] },
    };
    const excluded = await check(spec(natSubnet), ["--instance", INSTANCE, "--format", "json"]);
    expect(excluded.stderr).toBe("");
    expect(report(excluded).instances.map((i) => i.status)).toEqual(["pass"]);
    const managed = await check(spec({ blockPublicAccess: { ...natSubnet.blockPublicAccess, exclusionsAllowed: false } }), [
      "--instance",
      INSTANCE,
      "--format",
      "json",
    ]);
    expect(failing(managed)).toEqual(["SD207"]);
    // Off, as DescribeVpcs says for each VPC: nothing more is read.
    const off = await check(spec({ blockPublicAccess: { mode: "off" } }), ["--instance", INSTANCE, "--format", "json"]);
    expect(report(off).instances.map((i) => i.status)).toEqual(["pass"]);
    expect(off.calls.filter((c) => c.operation.startsWith("DescribeVpcBlockPublicAccess"))).toEqual([]);
    const denied = await check("nat-block-public-access", ["--instance", INSTANCE, "--format", "json"], {
      faults: [{ operation: "DescribeVpcBlockPublicAccessOptions", kind: "denied" }],
    });
    expect(report(denied).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(report(denied).findings)).toContain("ec2:DescribeVpcBlockPublicAccessOptions");
  });

  it("an ACL that lets replies in on Linux's ephemeral ports only passes a Linux instance and fails a Windows or Mac one", async () => {
    // Before, every instance needed 32768-65535: the Linux kernel's own range (32768-60999) failed an Amazon Linux host.
    const spec = (instance: Record<string, string>) =>
      expandScenario(
        merge(loadScenarioSpec("nacl-blocks-return-traffic"), {
          networkAcls: [
            {
              id: "acl-0a000000000000001",
              inbound: [{ rule: 100, proto: "tcp", ports: "32768-60999", cidr: "10.0.0.0/16", action: "allow" }],
            },
          ],
          instances: [{ id: INSTANCE, ...instance }],
        }) as Record<string, never>,
        lookupAwsManagedPolicy,
      );
    const linux = await check(spec({}), ["--instance", INSTANCE, "--format", "json"]);
    expect(linux.stderr).toBe("");
    expect(report(linux).instances.map((i) => i.status)).toEqual(["pass"]);
    for (const other of [{ platform: "windows" }, { type: "mac2.metal" }] as Record<string, string>[]) {
      const r = await check(spec(other), ["--instance", INSTANCE, "--format", "json"]);
      expect(r.code).toBe(1);
      expect(failing(r)).toEqual(["SD304"]);
    }
  });

  it.each(["pending", "failed", "deleted"])("a NAT gateway that is %s carries no traffic: SD207 fails", async (state) => {
    // Before, only a warning note said so, and the path through it passed.
    const spec = merge(loadScenarioSpec("nat-gateway"), {
      natGateways: [{ id: "nat-0a000000000000001", state }],
    }) as Record<string, never>;
    const r = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(failing(r)).toEqual(["SD207"]);
    const finding = report(r).findings.find((f) => f.ruleId === "SD207")!;
    expect(finding.messageId).toBe("natNotAvailable");
    expect(JSON.stringify(finding)).toContain(`is ${state}, not available`);
  });

  it('simulates kms:Decrypt and the S3 actions on the key and bucket the preferences name, not on "*"', async () => {
    // A role granting them on those resources only (AWS's sample instance policy) failed SD601: SimulatePrincipalPolicy
    // without ResourceArns asks about "*", which a statement on one key or bucket does not match.
    const r = await check("scoped-logging-permissions", ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(report(r).findings.filter((f) => f.verdict !== "pass")).toEqual([]);
    const scoped = r.calls.filter((c) => c.operation === "SimulatePrincipalPolicy" && JSON.stringify(c).includes("ResourceArns"));
    expect(scoped).toHaveLength(3);
    // The same grants on another key: the agent cannot decrypt.
    const spec = merge(loadScenarioSpec("scoped-logging-permissions"), {
      sessionPreferences: { kmsKeyId: "0000abcd-12ab-34cd-56ef-1234567890ab" },
    }) as Record<string, never>;
    const other = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(other.code).toBe(1);
    expect(JSON.stringify(report(other).findings.filter((f) => f.verdict === "fail"))).toContain("kms:Decrypt");
  });

  it("a Condition on a key the simulation had no value for leaves the role unknown, never passed", async () => {
    // The role denies the agent's actions from public addresses and the instance goes out through a NAT: AWS denies
    // its requests, while SimulatePrincipalPolicy, with no aws:SourceIp, answers "allowed" and lists the key missing.
    const r = await check("role-deny-from-public-addresses", ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    const sd503 = report(r).findings.filter((f) => f.ruleId === "SD503");
    expect(sd503.map((f) => f.verdict)).toEqual(["unknown"]);
    expect(JSON.stringify(sd503)).toContain("had no value for aws:SourceIp");
    expect(report(r).instances.map((i) => i.status)).not.toContain("pass");
  });

  it("simulates the agent's actions with the context its requests are known to carry (HTTPS, the region)", async () => {
    // Conditions on aws:SecureTransport and aws:RequestedRegion are decided, not reported missing: this role denies
    // plain HTTP and other regions, neither of which the agent uses, so everything passes.
    const withStatements = (Statement: unknown[]) =>
      merge(loadScenarioSpec("healthy"), {
        roles: [{ name: "app-ssm-role", inline: [{ name: "https-in-region", document: { Version: "2012-10-17", Statement } }] }],
      } as never) as Record<string, never>;
    const spec = withStatements([
      { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Effect: "Deny", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } } },
    ]);
    const r = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(report(r).findings.filter((f) => f.verdict !== "pass")).toEqual([]);
    const simulations = r.calls.filter((c) => c.operation === "SimulatePrincipalPolicy");
    expect(simulations.length).toBeGreaterThan(0);
    for (const c of simulations) expect(JSON.stringify(c.params)).toContain("aws:SecureTransport");
    // In another region the same role denies the agent outright.
    const elsewhere = withStatements([
      { Effect: "Deny", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } } },
    ]);
    const denied = await check(expandScenario(elsewhere, lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(denied.code).toBe(1);
    expect(
      report(denied)
        .findings.filter((f) => f.verdict === "fail")
        .map((f) => f.ruleId),
    ).toContain("SD503");
  });

  it("a subnet ACL that keeps traffic inside the VPC blocks S3 through a gateway endpoint", async () => {
    // The gateway endpoint's traffic goes to S3's public addresses (its prefix list), which the ACL must let out and
    // back in; before, the gateway path had no ACL hops and session logging passed.
    const acl = (extra: { rule: number; proto: string; cidr: string; action: string }[]) =>
      merge(loadScenarioSpec("s3-logging-without-s3-path"), {
        endpoints: [
          {
            id: "vpce-0550000000000009",
            service: "s3",
            type: "Gateway",
            vpc: "vpc-0a11ce0000000001",
            routeTables: ["rtb-0a000000000000001"],
          },
        ],
        networkAcls: [
          {
            id: "acl-0a000000000000001",
            vpc: "vpc-0a11ce0000000001",
            subnets: ["subnet-0a000000000000001"],
            inbound: [{ rule: 100, proto: "-1", cidr: "10.0.0.0/16", action: "allow" }, ...extra],
            outbound: [{ rule: 100, proto: "-1", cidr: "10.0.0.0/16", action: "allow" }, ...extra],
          },
        ],
      }) as Record<string, never>;
    const blocked = await check(expandScenario(acl([]), lookupAwsManagedPolicy), ["--instance", INSTANCE, "--format", "json"]);
    expect(blocked.code).toBe(1);
    expect(failing(blocked)).toContain("SD601");
    const open = await check(
      expandScenario(acl([{ rule: 200, proto: "-1", cidr: "0.0.0.0/0", action: "allow" }]), lookupAwsManagedPolicy),
      ["--instance", INSTANCE, "--format", "json"],
    );
    expect(open.code).toBe(0);
  });

  it("a route to a customer prefix list beside 0.0.0.0/0 leaves the service's route unknown; a gateway endpoint's does not", async () => {
    // Longest prefix wins, and prefix-list routes take part: the list may hold the service's public addresses and
    // take them to the transit gateway instead of the NAT gateway. Before, the route was skipped and the path passed.
    const withRoute = (route: Record<string, string>) => {
      const account = expandScenario(loadScenarioSpec("nat-gateway"), lookupAwsManagedPolicy);
      account.routeTables
        .find((r) => r.RouteTableId === "rtb-0a000000000000001")!
        .Routes!.push({ ...route, State: "active", Origin: "CreateRoute" });
      return account;
    };
    const customer = await check(
      withRoute({ DestinationPrefixListId: "pl-0a000000000000001", TransitGatewayId: "tgw-0a1b2c3d4e5f60001" }),
      ["--instance", INSTANCE, "--format", "json"],
    );
    expect(customer.code).toBe(0);
    expect(report(customer).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(customer.stdout).toContain("routes prefix list pl-0a000000000000001 apart from 0.0.0.0/0");
    const gateway = await check(withRoute({ DestinationPrefixListId: "pl-63a5400a", GatewayId: "vpce-0550000000000009" }), [
      "--instance",
      INSTANCE,
      "--format",
      "json",
    ]);
    expect(report(gateway).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("looks for private hosted zones of the services the preferences add, even when ssm and ssmmessages have endpoints", async () => {
    // A hub's kms zone associated with the VPC answers the kms name with addresses the VPC has no route to. Before,
    // zones were listed only when ssm or ssmmessages lacked a private-DNS endpoint, and kms passed by the NAT path.
    const r = await check("centralised-kms-zone", ["--instance", INSTANCE, "--format", "json"]);
    expect(r.calls.map((c) => c.operation)).toContain("ListHostedZonesByVPC");
    expect(r.code).toBe(1);
    expect(failing(r)).toContain("SD601");
    // Without preferences naming another service, a VPC served by endpoints needs no look-up.
    const healthy = await check("healthy", ["--instance", INSTANCE, "--format", "json"]);
    expect(healthy.calls.map((c) => c.operation)).not.toContain("ListHostedZonesByVPC");
  });

  it("--check / --skip-check and SSM_DOCTOR_* variables work for check too; a rule left out leaves its prerequisite unverified", async () => {
    const skipped = await check("role-without-permissions", ["--instance", INSTANCE], {
      env: { SSM_DOCTOR_FORMAT: "json", SSM_DOCTOR_SKIP_CHECK: "role-lacks-permissions" },
    });
    expect(skipped.stderr).toBe("");
    expect(skipped.code).toBe(0);
    expect(report(skipped).findings.map((f) => f.ruleId)).not.toContain("SD503");
    const iam = (report(skipped).instances[0] as unknown as { checks: { prerequisite: string; status: string }[] }).checks.find(
      (c) => c.prerequisite === "iam",
    );
    expect(iam?.status).toBe("unknown");
    const only = await check("role-without-permissions", ["--instance", INSTANCE, "--format", "json", "--check", "SD503"]);
    expect(failing(only)).toEqual(["SD503"]);
    expect(new Set(report(only).findings.map((f) => f.ruleId))).toEqual(new Set(["SD503"]));
  });

  it("a permissions boundary is named as the cause (from iam:SimulatePrincipalPolicy)", async () => {
    const r = await check("boundary-removes-ssmmessages", ["--instance", INSTANCE, "--format", "json"]);
    const f = report(r).findings.find((x) => x.ruleId === "SD503")!;
    expect(f.messageId).toBe("boundary");
    expect(f.message).toContain("ssmmessages:CreateControlChannel");
    expect(r.calls.filter((c) => c.operation === "SimulatePrincipalPolicy")).toHaveLength(1);
    // The role already has AmazonSSMManagedInstanceCore: the fix changes the boundary, named once in the evidence.
    const human = await check("boundary-removes-ssmmessages");
    expect(human.stdout).toContain("the permissions boundary app-ssm-role-boundary does not allow ssmmessages:CreateControlChannel");
    expect(human.stdout).not.toMatch(/permissions boundary (the|of) permissions boundary/);
    expect(human.stdout).toContain("aws iam create-policy-version --policy-arn");
    expect(human.stdout).toContain("aws iam get-role --role-name app-ssm-role ");
    expect(human.stdout).not.toContain("attach-role-policy");
  });

  it("network ACL (SD304) and endpoint policy (SD206) failures print an AWS CLI fix naming the real resource", async () => {
    const nacl = await check("nacl-blocks-return-traffic");
    expect(nacl.stdout).toContain("fix (AWS CLI):");
    expect(nacl.stdout).toContain("aws ec2 create-network-acl-entry --network-acl-id acl-0a000000000000001 --ingress");
    const policy = await check("endpoint-policy-deny");
    expect(policy.stdout).toMatch(/aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-[0-9a-f]+ --reset-policy/);
  });

  it("--timings says where a check spent its time, on stderr", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--format", "json", "--timings"]);
    expect(r.code).toBe(0);
    expect(report(r).instances.map((i) => i.status)).toEqual(["pass"]);
    const phases = Object.fromEntries([...r.stderr.matchAll(/^ {2}([a-z-]+) +(\d+) ms/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(phases)).toEqual(["start-up", "read", "parse", "model", "analysis", "rules", "report", "other", "total"]);
    expect(phases.read).toBeGreaterThan(0);
  });

  it("the human report leads with the verdict and shows the path hop by hop", async () => {
    const r = await check("instance-egress-blocked");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ i-0a000000000000001 \(app-1\) .*: Session Manager will not connect/);
    expect(r.stdout.indexOf("will not connect")).toBeLessThan(r.stdout.indexOf("SD301"));
    expect(r.stdout).toContain("agent: Online, 3.3.2299.0");
    expect(r.stdout).toMatch(
      /✗ ssm via endpoint vpce-0550000000000001: ✓ type · ✓ state .*✗ instance SG egress 443 · ✓ endpoint SG ingress 443/,
    );
    expect(r.stdout).toContain("fix (AWS CLI):");
    // The same path in JSON: every hop with its verdict, the resource it is about, and the evidence.
    const json = await check("instance-egress-blocked", ["--instance", INSTANCE, "--format", "json"]);
    const paths = JSON.parse(json.stdout).files[0].instances[0].paths;
    expect(paths[0]).toMatchObject({ service: "ssm", route: "endpoint", routeText: "endpoint vpce-0550000000000001", verdict: "fail" });
    const egress = paths[0].hops.find((h: { id: string }) => h.id === "instance-sg-egress");
    expect(egress).toMatchObject({ label: "instance SG egress 443", verdict: "fail", resource: { key: expect.stringMatching(/^sg-/) } });
    expect(egress.evidence.length).toBeGreaterThan(0);
    expect(
      paths[0].hops
        .map((h: { label: string; verdict: string }) => `${h.verdict === "pass" ? "✓" : h.verdict === "fail" ? "✗" : "?"} ${h.label}`)
        .join(" · "),
    ).toMatch(/✓ type · ✓ state .*✗ instance SG egress 443 · ✓ endpoint SG ingress 443/);
  });

  it("--principal: an operator without ssm:StartSession on the instance and document fails SD506; one with it passes", async () => {
    const denied = await check("operator-cannot-start-session", [
      "--instance",
      INSTANCE,
      "--principal",
      "arn:aws:iam::111122223333:role/oncall",
      "--format",
      "json",
    ]);
    expect(denied.code).toBe(1);
    const sd506 = report(denied).findings.filter((f) => f.ruleId === "SD506");
    expect(sd506.map((f) => f.messageId).sort()).toEqual(["document", "instances"]);
    const allowed = await check("operator-cannot-start-session", [
      "--instance",
      INSTANCE,
      "--principal",
      "arn:aws:iam::111122223333:role/admin",
      "--format",
      "json",
    ]);
    expect(allowed.code).toBe(0);
    expect(report(allowed).findings).toEqual([]);
  });

  describe("--principal with Conditions on keys the first simulation has no value for", () => {
    const ONCALL = "arn:aws:iam::111122223333:role/oncall";
    const DOCUMENT = "arn:aws:ssm:us-east-1:111122223333:document/SSM-SessionManagerRunShell";
    const withOperator = (statements: unknown[], tags: Record<string, string> = {}) =>
      expandScenario(
        merge(loadScenarioSpec("operator-cannot-start-session"), {
          instances: [{ id: INSTANCE, tags }],
          principals: [{ arn: ONCALL, policies: [{ Version: "2012-10-17", Statement: statements }] }],
        } as never) as Record<string, never>,
        lookupAwsManagedPolicy,
      );
    const run = (account: Account) => check(account, ["--instance", INSTANCE, "--principal", ONCALL, "--format", "json"]);
    const byTeam = (team: string) => [
      {
        Effect: "Allow",
        Action: "ssm:StartSession",
        Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
        Condition: { StringEquals: { "ssm:resourceTag/Team": team } },
      },
      { Effect: "Allow", Action: "ssm:StartSession", Resource: DOCUMENT },
    ];

    it("an instance's tags decide a tag Condition: simulated again with them, the instance passes or fails", async () => {
      // AWS's own pattern (Session Manager, "Restrict access to instances by tag"): without the tag the simulation
      // refused, and SD506 failed an instance the operator may reach.
      const tagged = await run(withOperator(byTeam("web"), { Team: "web" }));
      expect(tagged.stderr).toBe("");
      expect(report(tagged).findings.filter((f) => f.ruleId === "SD506")).toEqual([]);
      const retried = tagged.calls.filter((c) => c.operation === "SimulatePrincipalPolicy" && JSON.stringify(c.params).includes("Team"));
      expect(retried).toHaveLength(1);
      const other = await run(withOperator(byTeam("db"), { Team: "web" }));
      expect(
        report(other)
          .findings.filter((f) => f.ruleId === "SD506")
          .map((f) => [f.messageId, f.verdict]),
      ).toEqual([["instances", "fail"]]);
      // An instance without the tag: a real request lacks it as the simulation did, so the refusal is verified.
      const untagged = await run(withOperator(byTeam("web")));
      expect(
        report(untagged)
          .findings.filter((f) => f.ruleId === "SD506")
          .map((f) => [f.messageId, f.verdict]),
      ).toEqual([["instances", "fail"]]);
    });

    it("a Condition on what only the operator's request carries leaves the answer unknown, never passed", async () => {
      const r = await run(
        withOperator([
          { Effect: "Allow", Action: "ssm:StartSession", Resource: "*" },
          { Effect: "Deny", Action: "ssm:StartSession", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } } },
        ]),
      );
      const sd506 = report(r).findings.filter((f) => f.ruleId === "SD506");
      expect(sd506.map((f) => [f.messageId, f.verdict])).toEqual([["unknownOperator", "unknown"]]);
      expect(JSON.stringify(sd506)).toContain("had no value for aws:SourceIp");
    });

    it("AWS's quickstart policy (BoolIfExists ssm:SessionDocumentAccessCheck) passes: the same answer with the key true", async () => {
      const r = await run(
        withOperator([
          {
            Effect: "Allow",
            Action: "ssm:StartSession",
            Resource: ["arn:aws:ec2:us-east-1:111122223333:instance/*", DOCUMENT],
            Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
          },
        ]),
      );
      expect(r.stderr).toBe("");
      expect(report(r).findings).toEqual([]);
    });
  });

  it("pages through every result when the service returns one item per page", async () => {
    const spec = { ...(await import("../fake-aws/scenario.js")).loadScenarioSpec("demo"), pageSize: 1 };
    const paged = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--all", "--format", "json"]);
    const whole = await check("demo", ["--all", "--format", "json"]);
    expect(paged.code).toBe(1);
    expect(report(paged).instances).toHaveLength(3);
    expect(report(paged)).toEqual(report(whole));
    expect(paged.calls.filter((c) => c.operation === "DescribeInstances").length).toBe(3);
    expect(paged.calls.filter((c) => c.operation === "DescribeVpcEndpoints").length).toBe(3);
  });
});

describe("centralised endpoints (hub and spoke) and the VPC resolver, hop by hop", () => {
  /** A human report on stdout and the JSON report beside it, from one run. */
  async function both(scenario: string | Account, extra: string[] = []) {
    const json = join(mkdtempSync(join(tmpdir(), "ssm-doctor-out-")), "report.json");
    const r = await check(scenario, ["--instance", INSTANCE, "--no-color", "--format", "human", "--format", `json=${json}`, ...extra]);
    return { ...r, json: JSON.parse(readFileSync(json, "utf8")).files[0] as ReturnType<typeof report> };
  }

  /** A configuration that declares the hub the transit gateway of the hub scenarios leads to. */
  function hubConfig(): string {
    const file = join(mkdtempSync(join(tmpdir(), "ssm-doctor-config-")), "hub.yaml");
    writeFileSync(
      file,
      [
        "hubs:",
        "  - name: network-hub",
        "    transitGateways: [tgw-0a1b2c3d4e5f60001]",
        "    cidr: 10.100.0.0/16",
        '    account: "444455556666"',
        "    endpoints: [ssm, ssmmessages, ec2messages]",
        "",
      ].join("\n"),
    );
    return file;
  }

  it.each([
    ["hub-instance-egress-ssh-only", ["SD301"]],
    ["hub-no-transit-gateway-route", ["SD201"]],
    ["hub-nacl-drops-https", ["SD304"]],
    ["hub-nacl-drops-return-traffic", ["SD304"]],
    ["hub-dns-support-off", ["SD401"]],
    ["nat-dns-support-off", ["SD401"]],
  ])("%s fails with %j and exit 1, and never says it should connect", async (scenario, rules) => {
    const r = await both(scenario);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("Session Manager should connect");
    expect(r.stdout).toContain("Session Manager will not connect");
    const failed = [...new Set(r.json.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId))].sort();
    expect(failed).toEqual(rules);
    expect(r.json.instances.map((i) => i.status)).toEqual(["fail"]);
  });

  it("the healthy hub is unknown, not passing: the hub's endpoint side is named with its account and the spoke's range", async () => {
    const r = await both("centralised-endpoints");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Session Manager should connect");
    expect(r.stdout).toContain("cannot tell yet");
    expect(r.stdout).toMatch(
      /\? ssm via private hosted zone \(centralised endpoint\): ✓ private hosted zone · ✓ VPC DNS support · ✓ route · ✓ instance SG egress 443 · ✓ instance ACL out 443 · ✓ instance ACL in 1024-65535 · \? hub endpoint side/,
    );
    expect(r.json.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(r.json.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    const hub = r.json.findings.find((f) => f.ruleId === "SD303")!;
    expect(hub.verdict).toBe("unknown");
    expect(hub.message).toContain("account 444455556666");
    expect(hub.unknowns[0]!.decide).toBe(
      "in account 444455556666: check its endpoint security group admits 10.0.0.0/16 on 443, its endpoint policy allows the agent's actions, and its network ACLs pass 443 and the replies",
    );
    const strict = await check("centralised-endpoints", ["--instance", INSTANCE, "--strict"]);
    expect(strict.code).toBe(1);
  });

  it("a declared hub gives the hub's range and name; its endpoint side stays unknown in live mode", async () => {
    const r = await both("centralised-endpoints", ["--config", hubConfig()]);
    expect(r.code).toBe(0);
    expect(r.json.instances.map((i) => i.status)).toEqual(["unknown"]);
    const hub = r.json.findings.find((f) => f.ruleId === "SD303")!;
    expect(hub.verdict).toBe("unknown");
    expect(hub.message).toContain("the hub network-hub (account 444455556666)");
  });

  it("egress allowed only to the VPC's own range: unknown without the hub's range, a failure once the hub is declared", async () => {
    const spec = merge(loadScenarioSpec("centralised-endpoints"), {
      securityGroups: [{ id: "sg-0a000000000000001", egress: [{ proto: "tcp", ports: 443, cidr: "10.0.0.0/16" }] }],
    }) as Record<string, never>;
    const account = () => expandScenario(spec, lookupAwsManagedPolicy);
    const undeclared = await both(account());
    expect(undeclared.code).toBe(0);
    expect(undeclared.json.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(undeclared.json.findings.find((f) => f.ruleId === "SD301")?.verdict).toBe("unknown");
    const declared = await both(account(), ["--config", hubConfig()]);
    expect(declared.code).toBe(1);
    expect(declared.stdout).not.toContain("Session Manager should connect");
    expect(declared.json.findings.find((f) => f.ruleId === "SD301" && f.verdict === "fail")).toBeDefined();
  });

  it("a default route to a hub declared for egress is judged to the internet; the hub's egress stays unknown", async () => {
    const spec = (egress?: { proto: string; ports: number; cidr: string }[]) =>
      merge(loadScenarioSpec("no-endpoints-no-nat"), {
        routeTables: [{ id: "rtb-0a000000000000001", routes: [{ dest: "0.0.0.0/0", target: "tgw-0a1b2c3d4e5f60001" }] }],
        ...(egress ? { securityGroups: [{ id: "sg-0a000000000000001", egress }] } : {}),
      }) as Record<string, never>;
    const config = join(mkdtempSync(join(tmpdir(), "ssm-doctor-config-")), "egress.yaml");
    writeFileSync(
      config,
      'hubs:\n  - name: egress-hub\n    transitGateways: [tgw-0a1b2c3d4e5f60001]\n    account: "444455556666"\n    internet: true\n',
    );
    const undeclared = await both(expandScenario(spec(), lookupAwsManagedPolicy));
    expect(undeclared.stdout).toContain("whether that reaches the internet is outside this input");
    const healthy = await both(expandScenario(spec(), lookupAwsManagedPolicy), ["--config", config]);
    expect(healthy.code).toBe(0);
    expect(healthy.json.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(healthy.stdout).toMatch(/\? ssm via internet \(NAT \/ internet gateway\): ✓ route · \? hub egress · ✓ instance SG egress 443/);
    const sd207 = healthy.json.findings.find((f) => f.ruleId === "SD207")!;
    expect(sd207.verdict).toBe("unknown");
    expect(sd207.message).toContain("egress-hub (account 444455556666)");
    const blocked = await both(expandScenario(spec([{ proto: "tcp", ports: 443, cidr: "10.0.0.0/16" }]), lookupAwsManagedPolicy), [
      "--config",
      config,
    ]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).not.toContain("Session Manager should connect");
    expect(blocked.json.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD301"]);
  });

  it("a route to a transit gateway the declaration does not name leaves the route unknown", async () => {
    const spec = merge(loadScenarioSpec("centralised-endpoints"), {
      routeTables: [{ id: "rtb-0a000000000000001", routes: [{ dest: "0.0.0.0/0", target: "tgw-0fffffffffffffff0" }] }],
    }) as Record<string, never>;
    const r = await both(expandScenario(spec, lookupAwsManagedPolicy), ["--config", hubConfig()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("? route");
    expect(JSON.stringify(r.json.findings)).toContain("which the declaration of the hub network-hub does not name");
  });
});

describe("faults", () => {
  it("throttling is retried and the result is complete", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--format", "json"], {
      faults: [
        { operation: "DescribeSecurityGroups", kind: "throttle", times: 2 },
        { operation: "DescribeInstanceInformation", kind: "throttle", times: 1 },
        { operation: "SimulatePrincipalPolicy", kind: "throttle", times: 1 },
        { operation: "DescribeVpcAttribute", kind: "error", times: 1 },
      ],
    });
    expect(r.code).toBe(0);
    expect(report(r).findings).toEqual([]);
    expect(report(r).instances[0]!.status).toBe("pass");
    const sg = r.calls.filter((c) => c.operation === "DescribeSecurityGroups");
    expect(sg.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(r.calls.filter((c) => c.operation === "DescribeInstanceInformation").map((c) => c.status)).toEqual([400, 200]);
  });

  it("AccessDenied on one operation leaves only what it reads unknown, naming the permission; the rest is still checked", async () => {
    const r = await check("role-without-permissions", ["--instance", INSTANCE, "--format", "json"], {
      faults: [{ operation: "DescribeNetworkAcls", kind: "denied" }],
    });
    expect(r.code).toBe(1); // SD503 is still found
    const findings = report(r).findings;
    expect(failing(r)).toEqual(["SD503"]);
    const unknowns = findings.filter((f) => f.verdict === "unknown");
    expect(unknowns.length).toBeGreaterThan(0);
    expect(unknowns.map((f) => f.ruleId)).toContain("SD304");
    const reasons = unknowns.flatMap((f) => f.unknowns);
    expect(reasons.some((u) => u.message.includes("ec2:DescribeNetworkAcls") && u.decide === "grant ec2:DescribeNetworkAcls")).toBe(true);
    expect(JSON.stringify(report(r).notes)).toContain("ec2:DescribeNetworkAcls was denied");
    // --strict makes the unknown fail a run that would otherwise pass
    const healthy = await check("healthy", ["--instance", INSTANCE, "--format", "json"], {
      faults: [{ operation: "DescribeNetworkAcls", kind: "denied" }],
    });
    expect(healthy.code).toBe(0);
    const strict = await check("healthy", ["--instance", INSTANCE, "--strict"], {
      faults: [{ operation: "DescribeNetworkAcls", kind: "denied" }],
    });
    expect(strict.code).toBe(1);
  });

  it("denied IAM simulation and session document leave IAM and logging unknown, not failed", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--format", "json"], {
      faults: [
        { operation: "SimulatePrincipalPolicy", kind: "denied" },
        { operation: "GetServiceSetting", kind: "denied" },
      ],
    });
    expect(r.code).toBe(0);
    const sd503 = report(r).findings.find((f) => f.ruleId === "SD503")!;
    expect(sd503.verdict).toBe("unknown");
    expect(sd503.unknowns[0]!.decide).toBe("grant iam:SimulatePrincipalPolicy");
  });

  it("ec2:DescribeVpcEndpoints denied: a NAT path is not a pass (an unseen endpoint may take the name over)", async () => {
    const r = await check("nat-gateway", ["--instance", INSTANCE, "--format", "json"], {
      faults: [{ operation: "DescribeVpcEndpoints", kind: "denied" }],
    });
    expect(r.code).toBe(0);
    expect(report(r).instances[0]!.status).toBe("unknown");
    const sd201 = report(r).findings.find((f) => f.ruleId === "SD201")!;
    expect(sd201.verdict).toBe("unknown");
    expect(sd201.unknowns.map((u) => u.decide)).toContain("grant ec2:DescribeVpcEndpoints");
    const human = await check("nat-gateway", ["--instance", INSTANCE], { faults: [{ operation: "DescribeVpcEndpoints", kind: "denied" }] });
    expect(human.stdout).toMatch(/\? i-0a000000000000001 .*\n\s+✓ SSM Agent\n\s+\? Path to the service endpoints/);
    expect(human.stdout).toMatch(/1 instance: 0 will connect, 0 will not, 1 unknown/);
  });

  it("ssm:GetDocument denied: session logging (SD601) is unknown, and counted", async () => {
    const r = await check("s3-logging-without-s3-path", ["--instance", INSTANCE, "--format", "json"], {
      faults: [{ operation: "GetDocument", kind: "denied" }],
    });
    expect(r.code).toBe(0);
    expect(report(r).instances[0]!.status).toBe("unknown");
    const sd601 = report(r).findings.find((f) => f.ruleId === "SD601")!;
    expect(sd601.verdict).toBe("unknown");
    expect(sd601.unknowns.map((u) => u.decide)).toEqual(["grant ssm:GetDocument"]);
    const human = await check("healthy", ["--instance", INSTANCE], { faults: [{ operation: "GetDocument", kind: "denied" }] });
    expect(human.stdout).toContain("? Session logging");
    expect(human.stdout).toMatch(/1 instance: 0 will connect, 0 will not, 1 unknown/);
  });

  it("a hung call times out (--timeout) and the run still finishes", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--timeout", "0.5", "--format", "json"], {
      faults: [{ operation: "GetDocument", kind: "slow", delayMs: 30_000 }],
    });
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(20_000);
    expect(JSON.stringify(report(r).notes)).toContain("ssm:GetDocument timed out");
    // The preferences decide whether session logging needs S3 / CloudWatch / KMS: not read, that is unknown.
    expect(report(r).instances[0]!.status).toBe("unknown");
    const sd601 = report(r).findings.find((f) => f.ruleId === "SD601")!;
    expect(sd601.verdict).toBe("unknown");
    expect(sd601.unknowns[0]!.message).toContain("ssm:GetDocument timed out");
  });
});

describe("calls the whole run depends on (sts:GetCallerIdentity, ec2:DescribeInstances)", () => {
  it("turns off the AWS SDK's Node-version warning itself: nothing on stderr", async () => {
    const r = await check("healthy", ["--instance", INSTANCE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("throttling on DescribeInstances and STS is retried like every other call", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--format", "json"], {
      faults: [
        { operation: "DescribeInstances", kind: "throttle", times: 2 },
        { operation: "GetCallerIdentity", kind: "error", times: 1 },
      ],
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.operation === "DescribeInstances").map((c) => c.status)).toEqual([503, 503, 200]);
    expect(r.calls.filter((c) => c.operation === "GetCallerIdentity").map((c) => c.status)).toEqual([500, 200]);
  });

  it("throttling that never ends is reported as throttling of the call, not as an internal error", async () => {
    const r = await check("healthy", ["--instance", INSTANCE], { faults: [{ operation: "DescribeInstances", kind: "throttle" }] });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "ssm-doctor: ec2:DescribeInstances failed after 4 attempts: AWS throttled the requests (RequestLimitExceeded: Request limit exceeded.); try again later, or lower --concurrency\n",
    );
    expect(r.calls.filter((c) => c.operation === "DescribeInstances")).toHaveLength(4);
  });

  it("a 500 on STS that persists is reported as a server error of sts:GetCallerIdentity", async () => {
    const r = await check("healthy", ["--instance", INSTANCE], { faults: [{ operation: "GetCallerIdentity", kind: "error" }] });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ssm-doctor: sts:GetCallerIdentity failed after 4 attempts: AWS answered with a server error \(ServiceFailure: .*\); try again later\n$/,
    );
  });

  it("a hung DescribeInstances is named as such, not blamed on sts:GetCallerIdentity", async () => {
    const r = await check("healthy", ["--instance", INSTANCE, "--timeout", "0.3"], {
      faults: [{ operation: "DescribeInstances", kind: "slow", delayMs: 30_000 }],
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ssm-doctor: AWS did not answer ec2:DescribeInstances in time: check the network, or raise --timeout\n");
  });
});

describe("setup errors: one clear line, exit 2", () => {
  it("no credentials", async () => {
    const r = await spawnCli(["check", "--instance", INSTANCE, "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"], {
      ...baseEnv(),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ssm-doctor: no AWS credentials found: .*\n$/);
  });

  it("expired credentials", async () => {
    const r = await check("healthy", ["--instance", INSTANCE], { env: { AWS_ACCESS_KEY_ID: "AKIDEXPIRED" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ssm-doctor: the AWS credentials have expired \(ExpiredToken\).*\n$/);
    expect(r.stdout).toBe("");
  });

  it("an unknown region, a bad instance id, and an instance that does not exist", async () => {
    const region = await check("healthy", ["--instance", INSTANCE, "--region", "moon-1"]);
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/^ssm-doctor: --region moon-1: not a known AWS region \(closest: [a-z]+-[a-z]+-\d\)$/m);
    const bad = await check("healthy", ["--instance", "web-1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--instance web-1: not an instance id/);
    const missing = await check("healthy", ["--instance", "i-0ffffffffffffffff"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ssm-doctor: no instance i-0ffffffffffffffff in us-east-1 of account 111122223333/);
    const none = await check("healthy", []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--instance ID");
  });
});

describe("cost and safety", () => {
  it("a fleet of 1,000 instances in 10 VPCs with 5 roles takes at most 60 calls, one of them DescribeInstances", async () => {
    const r = await check(expandScenario(fleetSpec(1000, 10, 5), lookupAwsManagedPolicy), ["--all", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(report(r).instances).toHaveLength(1000);
    expect(report(r).instances.every((i) => i.status === "pass")).toBe(true);
    expect(r.calls.length).toBeLessThanOrEqual(60);
    expect(r.calls.filter((c) => c.operation === "DescribeInstances")).toHaveLength(1);
    // The agents of all 1,000 in one page of the region's managed nodes, instead of 20 reads of 50 ids.
    expect(r.calls.filter((c) => c.operation === "DescribeInstanceProperties")).toHaveLength(1);
    expect(r.calls.filter((c) => c.operation === "DescribeInstanceInformation")).toHaveLength(0);
    expect(r.calls.filter((c) => c.operation === "DescribeVpcEndpoints")).toHaveLength(1);
    expect(r.calls.filter((c) => c.operation === "SimulatePrincipalPolicy")).toHaveLength(5);
  });

  it("a fleet larger than one page of DescribeInstances is listed by groups of VPCs at once, each instance once", async () => {
    const spec = { ...fleetSpec(60, 4, 2), pageSize: 20 };
    const r = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--all", "--format", "json"]);
    expect(r.code).toBe(0);
    const keys = report(r).instances.map((i) => i.key);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    const listings = r.calls.filter((c) => c.operation === "DescribeInstances");
    // The first page says there is more; then one listing per VPC group (4 VPCs of 15 instances: one page each).
    expect(listings).toHaveLength(5);
    expect(
      listings
        .slice(1)
        .map((c) => JSON.stringify(c.params))
        .every((p) => p.includes("vpc-id")),
    ).toBe(true);
  });

  describe("the agents of more instances than one DescribeInstanceInformation call reads", () => {
    /** 120 instances, one of them not registered with Systems Manager and one whose agent lost its connection. */
    const fleet = (pageSize?: number) => {
      const spec = fleetSpec(120, 2, 2) as { instances: Record<string, unknown>[] };
      spec.instances[7]!.agent = null;
      spec.instances[8]!.agent = { ping: "ConnectionLost" };
      return expandScenario({ ...spec, ...(pageSize ? { pageSize } : {}) }, lookupAwsManagedPolicy);
    };
    const ssmReads = (r: Run) =>
      r.calls.filter((c) => c.service === "ssm" && c.operation.startsWith("DescribeInstance")).map((c) => `${c.operation} ${c.status}`);
    const statuses = (r: Run) => report(r).instances.map((i) => `${i.key} ${i.status}`);

    it("come from one page of the region's managed nodes; the same report as reading them by id", async () => {
      const listed = await check(fleet(), ["--all", "--format", "json"]);
      const byId = await check(fleet(), ["--all", "--format", "json"], {
        faults: [{ operation: "DescribeInstanceProperties", kind: "denied" }],
      });
      expect(ssmReads(listed)).toEqual(["DescribeInstanceProperties 200"]);
      // Denied, the list is only an economy lost: every instance is read by id, and no note says anything was not read.
      expect(ssmReads(byId)).toEqual(["DescribeInstanceProperties 400", ...Array(3).fill("DescribeInstanceInformation 200")]);
      expect(listed.stdout).toBe(byId.stdout);
      expect(listed.code).toBe(1);
      expect(statuses(listed).filter((s) => !s.endsWith(" pass"))).toEqual(["i-00000000000000007 fail", "i-00000000000000008 fail"]);
      expect(listed.stdout).not.toContain("DescribeInstanceProperties");
    });

    it("a list cut short: the instances it did not reach are read by id", async () => {
      // Pages of 20: the list may take 2 pages (one fewer than the 3 reads by id), 40 nodes; 80 are read by id.
      const r = await check(fleet(20), ["--all", "--format", "json"]);
      const byIdOnly = await check(fleet(20), ["--all", "--format", "json"], {
        faults: [{ operation: "DescribeInstanceProperties", kind: "denied" }],
      });
      const reads = ssmReads(r);
      expect(reads.filter((c) => c.startsWith("DescribeInstanceProperties"))).toHaveLength(2);
      const byId = r.calls.filter((c) => c.operation === "DescribeInstanceInformation" && !c.params.NextToken);
      const ids = byId.flatMap((c) => (c.params.Filters as { Values: string[] }[])[0]!.Values);
      expect(ids).toHaveLength(80);
      expect(ids).not.toContain("i-00000000000000000");
      expect(
        statuses(r)
          .filter((x) => !x.endsWith(" pass"))
          .sort(),
      ).toEqual(["i-00000000000000007 fail", "i-00000000000000008 fail"]);
      expect(r.stdout).toBe(byIdOnly.stdout);
    });

    it("a fleet of more than one page of instances starts the list beside the instance listing, and waits for the count", async () => {
      const spec = { ...fleetSpec(240, 4, 2), pageSize: 100 };
      const listed = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--all", "--format", "json"]);
      const byId = await check(expandScenario(spec, lookupAwsManagedPolicy), ["--all", "--format", "json"], {
        faults: [{ operation: "DescribeInstanceProperties", kind: "denied" }],
      });
      const order = listed.calls.map((c) => c.operation);
      // 100 instances on the first page allow one page of the list at once; the count (240) allows 4, it takes 3.
      expect(ssmReads(listed)).toEqual(Array(3).fill("DescribeInstanceProperties 200"));
      expect(order.indexOf("DescribeInstanceProperties")).toBeLessThan(order.lastIndexOf("DescribeInstances"));
      expect(report(listed).instances).toHaveLength(240);
      expect(listed.stdout).toBe(byId.stdout);
    });

    it("both reads denied: every agent is unknown, naming ssm:DescribeInstanceInformation, never a pass", async () => {
      const r = await check(fleet(), ["--all", "--format", "json"], {
        faults: [
          { operation: "DescribeInstanceProperties", kind: "denied" },
          { operation: "DescribeInstanceInformation", kind: "denied" },
        ],
      });
      expect(report(r).instances.every((i) => i.status === "unknown")).toBe(true);
      expect(report(r).findings.some((f) => f.unknowns.some((u) => u.decide === "grant ssm:DescribeInstanceInformation"))).toBe(true);
      expect(JSON.stringify(report(r).notes)).toContain("ssm:DescribeInstanceInformation was denied");
    });
  });

  it("a report of megabytes written with --output /dev/stdout into a pipe is whole: a full pipe is waited for", async () => {
    const fake = await startFakeAws(expandScenario(fleetSpec(200, 2, 2), lookupAwsManagedPolicy));
    try {
      const env = { ...baseEnv(), ...fakeEnv(fake) };
      const piped = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          "sh",
          ["-c", `"${process.execPath}" "${BIN}" check --all --format json --output /dev/stdout | cat`],
          { env, encoding: "utf8", timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ code: error ? 2 : 0, stdout, stderr }),
        ),
      );
      expect(piped.stderr).toBe("");
      expect(piped.stdout.length).toBeGreaterThan(1 << 20);
      expect(JSON.parse(piped.stdout).files[0].instances).toHaveLength(200);
    } finally {
      await fake.close();
    }
  });

  it("the fake's DescribeInstanceProperties keeps the API's filters and limits", async () => {
    const { SSMClient, DescribeInstancePropertiesCommand } = await import("@aws-sdk/client-ssm");
    const fake = await startFakeAws("healthy");
    const env = fakeEnv(fake);
    const ssm = new SSMClient({
      endpoint: fake.url,
      region: fake.account.region,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      maxAttempts: 1,
    });
    const send = (input: NonNullable<ConstructorParameters<typeof DescribeInstancePropertiesCommand>[0]>) =>
      ssm.send(new DescribeInstancePropertiesCommand(input)).then(
        (a) => (a.InstanceProperties ?? []).map((p) => `${p.InstanceId} ${p.PingStatus} ${p.InstanceState}`),
        (e: Error) => e.name,
      );
    try {
      const all = await send({ MaxResults: 1000 });
      expect(all).toEqual(fake.account.instanceInformation.map((i) => `${i.InstanceId} ${i.PingStatus} running`));
      expect(await send({ InstancePropertyFilterList: [{ key: "InstanceIds", valueSet: [INSTANCE] }] })).toEqual([
        `${INSTANCE} Online running`,
      ]);
      expect(await send({ FiltersWithOperator: [{ Key: "PingStatus", Values: ["Online"], Operator: "NotEqual" }] })).toEqual([]);
      expect(await send({ MaxResults: 1001 })).toBe("ValidationException");
      expect(await send({ MaxResults: 4 })).toBe("ValidationException");
      const ids = Array.from({ length: 41 }, (_, n) => `i-0${n.toString(16).padStart(16, "0")}`);
      expect(await send({ InstancePropertyFilterList: [{ key: "InstanceIds", valueSet: ids }] })).toBe(
        "InvalidInstancePropertyFilterValue",
      );
      expect(await send({ InstancePropertyFilterList: [{ key: "DocumentName", valueSet: ["AWS-RunShellScript"] }] })).toBe(
        "InvalidFilterKey",
      );
    } finally {
      ssm.destroy();
      await fake.close();
    }
  });

  it("one instance takes at most 20 calls, through endpoints or through NAT", async () => {
    for (const scenario of ["healthy", "nat-gateway", "no-profile-no-dhmc"]) {
      const r = await check(scenario);
      expect(r.calls.length, scenario).toBeLessThanOrEqual(20);
      expect(r.calls.length, scenario).toBeGreaterThan(10);
    }
  });

  it("sends only read-only operations, all of them in the collector's list", () => {
    expect(allCalls.length).toBeGreaterThan(100);
    const allowed = new Set<string>(READ_ONLY_OPERATIONS);
    for (const c of allCalls) {
      expect(isReadOnlyOperation(c.operation), c.action).toBe(true);
      expect(allowed.has(c.action), c.action).toBe(true);
    }
  });

  it("docs/iam-policy.json grants exactly the operations the collector can call, all read-only", () => {
    const policy = JSON.parse(readFileSync(join(ROOT, "docs/iam-policy.json"), "utf8"));
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect([...actions].sort()).toEqual([...READ_ONLY_OPERATIONS].sort());
    expect(READ_ONLY_OPERATIONS.every(isReadOnlyOperation)).toBe(true);
    expect(policy.Statement.every((s: { Effect: string }) => s.Effect === "Allow")).toBe(true);
  });
});

afterAll(() => {
  allCalls.length = 0;
});
