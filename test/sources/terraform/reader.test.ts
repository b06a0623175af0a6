/** The plan reader: planned values, unknowns, defaults, deletes, old formats, partial plans, sensitive values. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/model/index.js";
import { constant, lint, load, plan, refs, resource } from "./helpers.js";

const vpc = {
  address: "aws_vpc.main",
  after: { cidr_block: "10.0.0.0/16", enable_dns_support: true },
  unknown: { id: true, enable_dns_hostnames: true },
};

describe("values", () => {
  it("a known value is explicit, with the plan pointer and address as origin", () => {
    const world = load(
      plan({
        changes: [vpc],
        configuration: { root_module: { resources: [resource("aws_vpc.main", { cidr_block: constant("10.0.0.0/16") })] } },
      }),
    );
    const v = world.vpcs.get("aws_vpc.main")!;
    expect(v.cidrBlocks).toMatchObject({ kind: "known", value: ["10.0.0.0/16"], provenance: "explicit" });
    expect(v.enableDnsSupport).toMatchObject({ kind: "known", value: true, provenance: "explicit" });
    expect(v.cidrBlocks.kind === "known" && v.cidrBlocks.origin).toEqual({
      source: "terraform",
      file: "plan.json",
      pointer: "/resource_changes/0/change/after/cidr_block",
      id: "aws_vpc.main",
    });
  });

  it("a computed Optional+Computed argument the configuration does not set takes the provider default", () => {
    const world = load(
      plan({
        changes: [vpc],
        configuration: { root_module: { resources: [resource("aws_vpc.main", { cidr_block: constant("10.0.0.0/16") })] } },
      }),
    );
    expect(world.vpcs.get("aws_vpc.main")!.enableDnsHostnames).toEqual({ kind: "known", value: false, provenance: "default" });
  });

  it("a computed argument the configuration sets from a reference is unknown (computed at apply), naming the reference", () => {
    const config = { root_module: { resources: [resource("aws_vpc.main", { enable_dns_hostnames: refs("var.dns") })] } };
    const world = load(plan({ changes: [vpc], configuration: config }));
    const value = world.vpcs.get("aws_vpc.main")!.enableDnsHostnames;
    expect(value.kind).toBe("unknown");
    expect(value.kind === "unknown" && value.reason).toMatchObject({ code: "computed", message: expect.stringContaining("var.dns") });
  });

  it("without a configuration section a computed value stays unknown, and a note says why", () => {
    const text = JSON.stringify({
      format_version: "0.1",
      terraform_version: "0.12.3",
      resource_changes: JSON.parse(plan({ changes: [vpc] })).resource_changes,
    });
    const world = load(text);
    expect(world.vpcs.get("aws_vpc.main")!.enableDnsHostnames.kind).toBe("unknown");
    expect(world.notes.map((n) => n.code)).toContain("plan-no-configuration");
  });

  it("a known null means not set: the provider default", () => {
    const world = load(
      plan({
        changes: [{ address: "aws_vpc.main", after: { cidr_block: "10.0.0.0/16", enable_dns_support: null, enable_dns_hostnames: null } }],
      }),
    );
    expect(world.vpcs.get("aws_vpc.main")!.enableDnsSupport).toEqual({ kind: "known", value: true, provenance: "default" });
    expect(world.vpcs.get("aws_vpc.main")!.enableDnsHostnames).toEqual({ kind: "known", value: false, provenance: "default" });
  });

  it("endpoint type defaults to Gateway and private DNS to false", () => {
    const world = load(
      plan({
        changes: [
          vpc,
          {
            address: "aws_vpc_endpoint.ssm",
            after: { service_name: "com.amazonaws.us-east-1.ssm", vpc_endpoint_type: "Gateway" },
            unknown: { private_dns_enabled: true, vpc_id: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_vpc_endpoint.ssm", {
                service_name: constant("com.amazonaws.us-east-1.ssm"),
                vpc_id: refs("aws_vpc.main.id", "aws_vpc.main"),
              }),
            ],
          },
        },
      }),
    );
    const e = world.vpcEndpoints.get("aws_vpc_endpoint.ssm")!;
    expect(e.endpointType).toMatchObject({ kind: "known", value: "Gateway" });
    expect(e.privateDnsEnabled).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(e.vpc).toMatchObject({ kind: "known", value: "aws_vpc.main" });
  });
});

describe("resource changes", () => {
  it("drops deleted resources and keeps the create of a replacement", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_vpc.gone", actions: ["delete"], after: {} },
          { address: "aws_vpc.forgotten", actions: ["forget"] },
          { address: "aws_vpc.replaced", actions: ["delete", "create"], after: { cidr_block: "10.1.0.0/16" } },
          { address: "aws_vpc.kept", actions: ["no-op"], after: { cidr_block: "10.2.0.0/16", id: "vpc-123" } },
        ],
      }),
    );
    expect([...world.vpcs.keys()].sort()).toEqual(["aws_vpc.kept", "aws_vpc.replaced"]);
  });

  it("reads old provider names and other providers' resources are ignored", () => {
    const world = load(
      plan({
        version: "0.12.3",
        format: "0.1",
        changes: [
          { address: "aws_vpc.a", provider: "aws", after: { cidr_block: "10.0.0.0/16" } },
          { address: "aws_vpc.b", provider: "registry.terraform.io/-/aws", after: { cidr_block: "10.1.0.0/16" } },
          { address: "google_compute_network.c", provider: "registry.terraform.io/hashicorp/google", after: {} },
        ],
      }),
    );
    expect([...world.vpcs.keys()].sort()).toEqual(["aws_vpc.a", "aws_vpc.b"]);
  });

  it("reads a plan with only planned_values (absent values are computed) and says so", () => {
    const text = JSON.stringify({
      planned_values: {
        root_module: {
          resources: [
            {
              address: "aws_vpc_endpoint.test",
              mode: "managed",
              type: "aws_vpc_endpoint",
              name: "test",
              values: { service_name: "com.amazonaws.us-east-1.ssm", vpc_endpoint_type: "Interface" },
            },
          ],
          child_modules: [
            {
              address: "module.net",
              resources: [
                {
                  address: "module.net.aws_vpc.v",
                  mode: "managed",
                  type: "aws_vpc",
                  name: "v",
                  values: { cidr_block: "10.0.0.0/16", enable_dns_hostnames: null },
                },
              ],
            },
          ],
        },
      },
    });
    const world = load(text);
    expect(world.vpcEndpoints.get("aws_vpc_endpoint.test")!.privateDnsEnabled.kind).toBe("unknown");
    expect(world.vpcs.get("module.net.aws_vpc.v")!.enableDnsHostnames).toMatchObject({
      kind: "known",
      value: false,
      provenance: "default",
    });
    expect(world.notes.map((n) => n.code)).toEqual(expect.arrayContaining(["plan-partial", "plan-no-configuration"]));
  });

  it("says when the format is newer than it knows", () => {
    expect(load(plan({ format: "2.0", changes: [] })).notes.map((n) => n.code)).toContain("plan-format");
  });

  it.each([
    ["a state, not a plan", '{"format_version":"1.0","terraform_version":"1.5.0","values":{}}', /Terraform state, not a plan/],
    ["a tfstate file", '{"version":4,"terraform_version":"1.5.0","lineage":"x","resources":[]}', /state file/],
    ["some other JSON", '{"hello":"world"}', /not a Terraform plan/],
    ["an array", "[1,2]", /not a Terraform plan/],
    ["empty", "   ", /empty file/],
  ])("rejects %s with one clear line", (_name, text, message) => {
    expect(() => load(text)).toThrow(InputError);
    expect(() => load(text)).toThrow(message);
  });

  it("reports invalid JSON with its line and column", () => {
    try {
      load('{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).format()).toMatch(/^plan\.json:3:\d+: invalid JSON/);
    }
  });
});

describe("sensitive values", () => {
  it("are never read into the model, and never printed", () => {
    const secret = "s3cr3t-value-do-not-print";
    const text = plan({
      changes: [
        {
          address: "aws_instance.app",
          after: { ami: secret, user_data: secret, subnet_id: secret, iam_instance_profile: secret },
          sensitive: { ami: true, user_data: true, subnet_id: true, iam_instance_profile: true },
        },
      ],
    });
    const result = lint(text);
    const instance = result.world.instances.get("aws_instance.app")!;
    expect(instance.image.kind).toBe("unknown");
    expect(instance.userData.kind).toBe("unknown");
    expect(instance.subnets.kind === "known" && instance.subnets.value[0]?.kind).toBe("unknown");
    expect(JSON.stringify([...result.world.instances.values()])).not.toContain(secret);
    expect(JSON.stringify(result.findings)).not.toContain(secret);
  });

  it("user data is read from the configuration's constant (the plan holds a hash), searched, never printed", () => {
    const script = "#!/bin/bash\ndpkg -i amazon-ssm-agent.deb\n";
    const text = plan({
      changes: [
        { address: "aws_instance.app", after: { ami: "ami-0123456789abcdef0", user_data: "0123456789abcdef0123456789abcdef01234567" } },
      ],
      configuration: { root_module: { resources: [resource("aws_instance.app", { user_data: constant(script) })] } },
    });
    const result = lint(text);
    expect(result.world.instances.get("aws_instance.app")!.userData).toMatchObject({ kind: "known", value: script });
    expect(result.analysis.instances[0]!.userDataInstallsAgent).toBe(true);
    expect(JSON.stringify(result.findings)).not.toContain("dpkg");
  });
});

describe("images", () => {
  const instance = (ami: { references: string[] }) => ({
    changes: [{ address: "aws_instance.app", after: { ami: "ami-0123456789abcdef0" }, sensitive: { ami: true } }],
    configuration: {
      root_module: {
        resources: [
          resource("aws_instance.app", { ami }),
          resource("data.aws_ssm_parameter.al2023", {
            name: constant("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
          }),
          resource("data.aws_ami.rhel", {
            filter: [{ name: constant("name"), values: constant(["RHEL-9.*_HVM-*"]) }],
            owners: constant(["309956199498"]),
          }),
        ],
      },
    },
  });

  it("data aws_ssm_parameter: the parameter's name says the family", () => {
    const world = load(plan(instance(refs("data.aws_ssm_parameter.al2023.value", "data.aws_ssm_parameter.al2023"))));
    expect(world.instances.get("aws_instance.app")!.image).toMatchObject({
      kind: "known",
      value: { kind: "ssm-parameter", name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
    });
  });

  it("data aws_ami: its name filter", () => {
    const world = load(plan(instance(refs("data.aws_ami.rhel.id", "data.aws_ami.rhel"))));
    expect(world.instances.get("aws_instance.app")!.image).toMatchObject({
      kind: "known",
      value: { kind: "name-filter", pattern: "RHEL-9.*_HVM-*", owners: ["309956199498"] },
    });
  });

  it("a literal AMI id, and resolve:ssm: parameters", () => {
    const literal = load(plan({ changes: [{ address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0" } }] }));
    expect(literal.instances.get("aws_instance.a")!.image).toMatchObject({ value: { kind: "ami-id" } });
    const resolved = load(
      plan({
        changes: [
          { address: "aws_instance.a", after: { ami: "resolve:ssm:/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" } },
        ],
      }),
    );
    expect(resolved.instances.get("aws_instance.a")!.image).toMatchObject({
      value: { kind: "ssm-parameter", name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" },
    });
  });
});

describe("compute", () => {
  it("an instance without subnet_id launches in the default VPC: unknown, outside the plan", () => {
    const world = load(
      plan({
        changes: [
          {
            address: "aws_instance.a",
            after: { ami: "ami-0123456789abcdef0" },
            unknown: { subnet_id: true, vpc_security_group_ids: true },
          },
        ],
        configuration: { root_module: { resources: [resource("aws_instance.a", {})] } },
      }),
    );
    const i = world.instances.get("aws_instance.a")!;
    expect(i.subnets).toMatchObject({ kind: "unknown", reason: { code: "outside", message: expect.stringContaining("default VPC") } });
    expect(i.securityGroups.kind).toBe("unknown");
  });

  it("a known subnet_id that is no id of the plan is outside it, though the configuration names a subnet of the plan", () => {
    // subnet_id = var.existing != "" ? var.existing : aws_subnet.a.id: the plan knows the variable's subnet, and the
    // configuration names aws_subnet.a in the branch not taken (its id, being created, is not known yet).
    const world = load(
      plan({
        changes: [
          { address: "aws_subnet.a", after: { cidr_block: "10.0.1.0/24" }, unknown: { id: true } },
          { address: "aws_instance.a", after: { ami: "ami-0123456789abcdef0", subnet_id: "subnet-0123456789abcdef0" } },
        ],
        configuration: {
          root_module: {
            resources: [resource("aws_instance.a", { subnet_id: refs("var.existing", "aws_subnet.a.id", "aws_subnet.a") })],
          },
        },
      }),
    );
    const subnets = world.instances.get("aws_instance.a")!.subnets;
    expect(subnets.kind === "known" && subnets.value).toEqual([
      expect.objectContaining({
        kind: "unknown",
        reason: expect.objectContaining({
          code: "outside",
          message: expect.stringContaining("is subnet-0123456789abcdef0, a subnet not in this plan"),
        }),
      }),
    ]);
  });

  it("security_groups by name and vpc_security_group_ids by reference", () => {
    const world = load(
      plan({
        changes: [
          { address: "aws_security_group.named", after: { name: "web", vpc_id: "vpc-1" }, unknown: { id: true } },
          { address: "aws_security_group.byid", after: {}, unknown: { id: true } },
          {
            address: "aws_instance.a",
            after: { ami: "ami-0123456789abcdef0", security_groups: ["web"] },
            unknown: { vpc_security_group_ids: true, subnet_id: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_instance.a", {
                vpc_security_group_ids: refs("aws_security_group.byid.id", "aws_security_group.byid"),
                security_groups: constant(["web"]),
              }),
            ],
          },
        },
      }),
    );
    const groups = world.instances.get("aws_instance.a")!.securityGroups;
    expect(groups.kind === "known" && groups.value.map((g) => g.kind === "known" && g.value)).toEqual([
      "aws_security_group.byid",
      "aws_security_group.named",
    ]);
  });

  it("an Auto Scaling group takes its launch settings from the launch configuration it names", () => {
    const world = load(
      plan({
        changes: [
          {
            address: "aws_launch_configuration.lc",
            after: { image_id: "ami-0123456789abcdef0", iam_instance_profile: null, associate_public_ip_address: false },
            unknown: { name: true, security_groups: true },
          },
          {
            address: "aws_autoscaling_group.asg",
            after: { vpc_zone_identifier: ["subnet-outside"] },
            unknown: { launch_configuration: true },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_autoscaling_group.asg", {
                launch_configuration: refs("aws_launch_configuration.lc.name", "aws_launch_configuration.lc"),
              }),
            ],
          },
        },
      }),
    );
    expect([...world.instances.keys()]).toEqual(["aws_autoscaling_group.asg"]);
    const asg = world.instances.get("aws_autoscaling_group.asg")!;
    expect(asg.instanceProfile).toMatchObject({ kind: "known", value: null });
    expect(asg.associatePublicIp).toMatchObject({ kind: "known", value: false });
    expect(asg.subnets).toMatchObject({ kind: "known" });
    expect(asg.subnets.kind === "known" && asg.subnets.value[0]).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
  });

  it("an instance profile names its role by name; the role's policies come from attachments", () => {
    const world = load(
      plan({
        changes: [
          {
            address: "aws_iam_role.r",
            after: { name: "app-role", assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' },
            unknown: { managed_policy_arns: true, inline_policy: true },
          },
          { address: "aws_iam_instance_profile.p", after: { role: "app-role" } },
          { address: "aws_iam_policy.custom", after: { policy: '{"Version":"2012-10-17","Statement":[]}' }, unknown: { arn: true } },
          {
            address: "aws_iam_role_policy_attachment.core",
            after: { role: "app-role", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
          },
          { address: "aws_iam_role_policy_attachment.custom", after: { role: "app-role" }, unknown: { policy_arn: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              resource("aws_iam_role.r"),
              resource("aws_iam_role_policy_attachment.custom", { policy_arn: refs("aws_iam_policy.custom.arn", "aws_iam_policy.custom") }),
            ],
          },
        },
      }),
    );
    expect(world.instanceProfiles.get("aws_iam_instance_profile.p")!.roles).toMatchObject({
      kind: "known",
      value: [{ kind: "known", value: "aws_iam_role.r" }],
    });
    const role = world.roles.get("aws_iam_role.r")!;
    expect(role.managedPolicies.kind === "known" && role.managedPolicies.value.map((p) => p.kind === "known" && p.value)).toEqual([
      { kind: "aws-managed", arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", name: "AmazonSSMManagedInstanceCore" },
      { kind: "element", ref: "aws_iam_policy.custom" },
    ]);
    expect(world.managedPolicies.has("aws_iam_policy.custom")).toBe(true);
  });

  it("DHMC comes from aws_ssm_service_setting, unless the caller knows better", () => {
    const text = plan({
      changes: [
        {
          address: "aws_ssm_service_setting.dhmc",
          after: {
            setting_id: "arn:aws:ssm:us-east-1:123456789012:servicesetting/ssm/managed-instance/default-ec2-instance-management-role",
            setting_value: "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole",
          },
        },
      ],
    });
    expect(load(text).assumptions.dhmc).toMatchObject({
      kind: "known",
      value: { enabled: true, roleName: "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole" },
    });
    expect(load(text, { dhmc: { kind: "known", value: { enabled: false }, provenance: "explicit" } }).assumptions.dhmc).toMatchObject({
      value: { enabled: false },
    });
  });

  it("session preferences come from the SSM-SessionManagerRunShell document", () => {
    const content = JSON.stringify({
      schemaVersion: "1.0",
      sessionType: "Standard_Stream",
      inputs: { s3BucketName: "logs", cloudWatchLogGroupName: "" },
    });
    const world = load(
      plan({
        changes: [{ address: "aws_ssm_document.prefs", after: { name: "SSM-SessionManagerRunShell", document_type: "Session", content } }],
      }),
    );
    expect(world.sessionPreferences).toMatchObject({
      kind: "known",
      value: { s3BucketName: { value: "logs" }, cloudWatchLogGroupName: { value: null } },
    });
  });

  it("the region is the provider's, a root variable's value, or --region", () => {
    expect(load(plan({ changes: [], region: "eu-west-1" })).assumptions.region).toMatchObject({ kind: "known", value: "eu-west-1" });
    const viaVariable = plan({
      changes: [],
      variables: { region: "ap-south-1" },
      configuration: { provider_config: { aws: { name: "aws", expressions: { region: refs("var.region") } } }, root_module: {} },
    });
    expect(load(viaVariable).assumptions.region).toMatchObject({ value: "ap-south-1" });
    expect(load(viaVariable, { region: "us-west-2" }).assumptions.region).toMatchObject({ value: "us-west-2" });
  });
});
