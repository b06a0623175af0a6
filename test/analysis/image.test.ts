import { describe, expect, it } from "vitest";
import { classifyImage, type ImageVerdict, userDataInstallsAgent, userDataStopsAgent } from "../../src/analysis/image.js";

const param = (name: string) => classifyImage({ kind: "ssm-parameter", name });
const filter = (pattern: string) => classifyImage({ kind: "name-filter", pattern });
const brief = (v: ImageVerdict) => [v.family, v.agent];

describe("classifyImage: SSM public parameters", () => {
  // Every /aws/service/ path in the corpus (cfn, tf, tfplan), plus the other families.
  it.each([
    ["/aws/service/ami-amazon-linux-latest/al2022-ami-kernel-default-arm64", "Amazon Linux 2022", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/al2022-ami-kernel-default-x86_64", "Amazon Linux 2022", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64", "Amazon Linux 2023", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64", "Amazon Linux 2023", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "Amazon Linux 2023", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64", "Amazon Linux 2023 (minimal)", "not-preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn-ami-hvm-x86_64-gp2", "Amazon Linux 1", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-arm64-gp2", "Amazon Linux 2", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-ebs", "Amazon Linux 2", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2", "Amazon Linux 2", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2", "Amazon Linux 2", "preinstalled"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-minimal-hvm-x86_64-ebs", "Amazon Linux 2 (minimal)", "not-preinstalled"],
    ["/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-Base", "Windows Server", "preinstalled"],
    ["/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", "Windows Server", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/20.04/stable/current/amd64/hvm/ebs-gp2/ami-id", "Ubuntu 20.04", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id", "Ubuntu 22.04", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id", "Ubuntu 22.04", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/jammy/stable/current/amd64/hvm/ebs-gp2/ami-id", "Ubuntu 22.04", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/16.04/stable/current/amd64/hvm/ebs-gp2/ami-id", "Ubuntu 16.04", "preinstalled"],
    ["/aws/service/canonical/ubuntu/server/14.04/stable/current/amd64/hvm/ebs-gp2/ami-id", "Ubuntu 14.04", "not-preinstalled"],
    ["/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id", "ECS-optimized Amazon Linux 2", "preinstalled"],
    ["/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id", "ECS-optimized Amazon Linux 2023", "preinstalled"],
    [
      "/aws/service/ecs/optimized-ami/windows_server/2022/english/full/recommended/image_id",
      "ECS-optimized Windows Server",
      "preinstalled",
    ],
    ["/aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id", "EKS-optimized Amazon Linux 2", "preinstalled"],
    [
      "/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/image_id",
      "EKS-optimized Amazon Linux 2023",
      "preinstalled",
    ],
    ["/aws/service/bottlerocket/aws-k8s-1.30/x86_64/latest/image_id", "Bottlerocket", "preinstalled"],
    ["/aws/service/suse/sles/15-sp5/x86_64/latest", "SLES", "preinstalled"],
    ["/aws/service/debian/release/12/latest/amd64", "Debian 12", "not-preinstalled"],
  ])("%s → %s, %s", (name, family, agent) => {
    const v = param(name);
    expect(brief(v)).toEqual([family, agent]);
    expect(v.basis).toContain(`SSM parameter ${name}`);
  });

  it("notes Amazon Linux 1's end of life", () => {
    expect(param("/aws/service/ami-amazon-linux-latest/amzn-ami-hvm-x86_64-gp2").basis).toMatch(/end of life/);
  });

  it.each([
    ["{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}", "Amazon Linux 2023"],
    ["resolve:ssm:/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2", "Amazon Linux 2"],
    ["/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2:12", "Amazon Linux 2"],
  ])("reads %s", (name, family) => {
    expect(param(name)).toMatchObject({ family, agent: "preinstalled" });
  });

  it("a custom parameter says nothing", () => {
    expect(brief(param("/golden/ami/latest"))).toEqual(["unknown", "unknown"]);
    expect(brief(param("/aws/service/ami-amazon-linux-latest/something-new"))).toEqual(["unknown", "unknown"]);
  });
});

describe("classifyImage: name filters", () => {
  it.each([
    // corpus: tfplan / tf
    ["amzn2-ami-hvm-*-x86_64-ebs", "Amazon Linux 2", "preinstalled"],
    ["ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-*", "Ubuntu 14.04", "not-preinstalled"],
    ["ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-*", "Ubuntu 20.04", "preinstalled"],
    ["^al2023-ami-2023.*-x86_64", "Amazon Linux 2023", "preinstalled"],
    ["CENTOS-*-PTCT-AMI-*", "CentOS", "not-preinstalled"],
    // the common ones
    ["amzn2-ami-hvm-*", "Amazon Linux 2", "preinstalled"],
    ["al2023-ami-*", "Amazon Linux 2023", "preinstalled"],
    ["al2023-ami-minimal-*", "Amazon Linux 2023 (minimal)", "not-preinstalled"],
    ["amzn2-ami-ecs-hvm-*-x86_64-ebs", "ECS-optimized Amazon Linux 2", "preinstalled"],
    ["amazon-eks-node-1.29-v*", "EKS-optimized Amazon Linux", "preinstalled"],
    ["bottlerocket-aws-k8s-1.30-x86_64-*", "Bottlerocket", "preinstalled"],
    ["amzn-ami-hvm-*-x86_64-gp2", "Amazon Linux 1", "preinstalled"],
    ["amzn-ami-hvm-2016.09*", "Amazon Linux 1", "not-preinstalled"],
    ["amzn-ami-vpc-nat-*", "Amazon Linux NAT AMI", "unknown"],
    ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*", "Ubuntu 22.04", "preinstalled"],
    ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*", "Ubuntu 24.04", "preinstalled"],
    ["ubuntu/images/hvm-ssd/ubuntu-xenial-*", "Ubuntu 16.04", "preinstalled"],
    ["ubuntu/images/*", "Ubuntu", "unknown"],
    ["RHEL-9*", "RHEL", "not-preinstalled"],
    ["RHEL-8.6.0_HVM-*-x86_64-*", "RHEL", "not-preinstalled"],
    ["debian-12-*", "Debian 12", "not-preinstalled"],
    ["Windows_Server-2019-English-Full-Base-*", "Windows Server", "preinstalled"],
    ["suse-sles-15-sp5-v*-hvm-ssd-x86_64", "SLES", "preinstalled"],
    ["amzn-ec2-macos-14.*", "macOS", "preinstalled"],
    ["my-golden-image-*", "unknown", "unknown"],
  ])("%s → %s, %s", (pattern, family, agent) => {
    const v = filter(pattern);
    expect(brief(v)).toEqual([family, agent]);
    expect(v.basis).toContain(pattern);
  });
});

describe("classifyImage: mappings, literal ids, described images", () => {
  it("a literal AMI id is unknown", () => {
    expect(classifyImage({ kind: "ami-id", id: "ami-0abcdef1234567890" })).toEqual({
      family: "unknown",
      agent: "unknown",
      basis: "a literal AMI id does not say which image it is",
    });
  });

  it.each([
    ["AWSAMIRegionMap/RHEL74HVM", "RHEL", "not-preinstalled"],
    ["AWSAMIRegionMap/AWSNATHVM", "Amazon Linux NAT AMI", "unknown"],
    ["AWSAMIRegionMap/AMZNLINUXHVM", "Amazon Linux 1", "unknown"],
    ["AWSAMIRegionMap/AMZNLINUX2", "Amazon Linux 2", "preinstalled"],
    ["AWSAMIRegionMap/AMZNLINUX2ARM", "Amazon Linux 2", "preinstalled"],
    ["AWSAMIRegionMap/AMZNLINUX2022", "Amazon Linux 2022", "preinstalled"],
    ["AWSAMIRegionMap/US2004HVM", "Ubuntu 20.04", "preinstalled"],
    ["AWSAMIRegionMap/US2204HVMARM", "Ubuntu 22.04", "preinstalled"],
    ["AWSAMIRegionMap/CENTOS7HVM", "CentOS", "not-preinstalled"],
    ["AWSAMIRegionMap/WS2019FULLBASE", "Windows Server", "preinstalled"],
    ["AWSRegionArch2AMI/HVM64", "unknown", "unknown"],
    ["EC2RegionMap/64", "unknown", "unknown"],
  ])("mapping %s → %s, %s", (description, family, agent) => {
    expect(brief(classifyImage({ kind: "mapping", description, candidates: ["ami-0123456789abcdef0"] }))).toEqual([family, agent]);
  });

  it("a mapping whose candidates are image names is classified from them", () => {
    const v = classifyImage({
      kind: "mapping",
      description: "AWSAMIRegionMap/AMI",
      candidates: ["ami-1", "RHEL-7.4_HVM_GA-20170808-x86_64-2-Hourly2-GP2"],
    });
    expect(brief(v)).toEqual(["RHEL", "not-preinstalled"]);
    expect(v.basis).toContain("RHEL-7.4_HVM_GA");
  });

  it.each([
    ["amzn2-ami-hvm-2.0.20200917.0-x86_64-ebs", "Amazon Linux 2", "preinstalled"],
    ["Amazon Linux 2 AMI 2.0.20200917.0 x86_64 HVM ebs", "Amazon Linux 2", "preinstalled"],
    ["al2023-ami-2023.5.20240624.0-kernel-6.1-x86_64", "Amazon Linux 2023", "preinstalled"],
    ["Canonical, Ubuntu, 14.04 LTS, amd64 trusty image build on 2019-11-07", "Ubuntu 14.04", "not-preinstalled"],
    ["Canonical, Ubuntu, 20.04 LTS, amd64 focal image build on 2021-07-20", "Ubuntu 20.04", "preinstalled"],
    ["CENTOS-7-PTCT-AMI-2019.12.06.02.41.48", "CentOS", "not-preinstalled"],
    ["RHEL-9.2.0_HVM-20230503-x86_64-41-Hourly2-GP2", "RHEL", "not-preinstalled"],
    ["Windows_Server-2022-English-Full-Base-2024.06.12", "Windows Server", "preinstalled"],
    ["something-custom", "unknown", "unknown"],
  ])("described %s → %s, %s", (description, family, agent) => {
    expect(brief(classifyImage({ kind: "described", description }))).toEqual([family, agent]);
  });
});

describe("userDataInstallsAgent", () => {
  it.each([
    ["yum install -y https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/linux_amd64/amazon-ssm-agent.rpm"],
    ["#!/bin/bash\nsudo dnf install -y https://s3.us-east-1.amazonaws.com/amazon-ssm-us-east-1/latest/linux_amd64/amazon-ssm-agent.rpm"],
    ["sudo yum install -y amazon-ssm-agent"],
    ["apt-get install -y amazon-ssm-agent"],
    ["sudo snap install amazon-ssm-agent --classic"],
    ["zypper --non-interactive install amazon-ssm-agent"],
    [
      "cd /tmp\nwget https://s3-us-west-1.amazonaws.com/amazon-ssm-us-west-1/latest/debian_amd64/amazon-ssm-agent.deb\nsudo dpkg -i amazon-ssm-agent.deb",
    ],
    ["curl https://amazon-ssm-us-east-1.s3.amazonaws.com/latest/linux_amd64/amazon-ssm-agent.rpm -o /tmp/agent.rpm"],
    ["sudo rpm -ivh /tmp/amazon-ssm-agent.rpm"],
    ["dpkg --install /tmp/amazon-ssm-agent.deb"],
    [
      "<powershell>\nInvoke-WebRequest https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/windows_amd64/AmazonSSMAgentSetup.exe -OutFile $env:USERPROFILE\\Desktop\\SSMAgent_latest.exe\n</powershell>",
    ],
    ["Start-Process -FilePath C:\\Temp\\AmazonSSMAgentSetup.exe -ArgumentList '/S' -Wait"],
    ["#cloud-config\npackages:\n  - amazon-ssm-agent\n"],
  ])("installs: %s", (script) => {
    expect(userDataInstallsAgent(script)).toBe(true);
  });

  it.each([
    [null],
    [""],
    ["#!/bin/bash\nsudo systemctl enable amazon-ssm-agent\nsudo systemctl start amazon-ssm-agent"],
    ["sudo snap start amazon-ssm-agent"],
    ["sudo yum install -y httpd && sudo systemctl restart amazon-ssm-agent"],
    ["rpm -qi amazon-ssm-agent"],
    ["#!/bin/bash\n# yum install -y amazon-ssm-agent  (not needed on AL2)\nyum update -y"],
    ["#cloud-config\nruncmd:\n  - systemctl start amazon-ssm-agent\n"],
  ])("does not install: %s", (script) => {
    expect(userDataInstallsAgent(script)).toBe(false);
  });
});

describe("private images built from a family without the agent", () => {
  it("are unknown: the account may have baked the agent in", () => {
    const v = classifyImage({ kind: "name-filter", pattern: "CENTOS-*-PTCT-AMI-*", owners: ["147721705183"] });
    expect(v.agent).toBe("unknown");
    expect(v.basis).toContain("147721705183");
  });

  it("from the vendor's own account keep the family's verdict", () => {
    expect(classifyImage({ kind: "name-filter", pattern: "RHEL-9*", owners: ["309956199498"] }).agent).toBe("not-preinstalled");
    expect(
      classifyImage({ kind: "name-filter", pattern: "ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-*", owners: ["099720109477"] })
        .agent,
    ).toBe("not-preinstalled");
  });
});

describe("userDataStopsAgent", () => {
  it.each([
    ["#!/bin/bash\nsystemctl disable --now amazon-ssm-agent\ndnf remove -y amazon-ssm-agent\n", "dnf remove -y amazon-ssm-agent"],
    ["#!/bin/bash\nsnap remove amazon-ssm-agent\n", "snap remove amazon-ssm-agent"],
    ["#!/bin/bash\nsudo apt-get purge -y amazon-ssm-agent\n", "apt-get purge -y amazon-ssm-agent"],
    ["#!/bin/bash\nrpm -e amazon-ssm-agent\n", "rpm -e amazon-ssm-agent"],
    ["#!/bin/bash\nsystemctl mask amazon-ssm-agent\n", "systemctl mask amazon-ssm-agent"],
    ["<powershell>\nStop-Service AmazonSSMAgent\n</powershell>", "Stop-Service AmazonSSMAgent"],
  ])("%j leaves the agent stopped: %s", (userData, command) => {
    expect(userDataStopsAgent(userData)).toBe(command);
  });

  it.each([
    [
      "a stop, a change and a start (a restart)",
      "#!/bin/bash\nsystemctl stop amazon-ssm-agent\necho x > /etc/amazon/ssm/seelog.xml\nsystemctl start amazon-ssm-agent\n",
    ],
    [
      "a removal and an install of another version",
      "#!/bin/bash\nyum remove -y amazon-ssm-agent\nyum install -y https://s3.amazonaws.com/ec2-downloads-windows/SSMAgent/latest/linux_amd64/amazon-ssm-agent.rpm\n",
    ],
    ["a comment", "#!/bin/bash\n# systemctl stop amazon-ssm-agent\necho hi\n"],
    ["another service", "#!/bin/bash\nsystemctl stop amazon-cloudwatch-agent\n"],
    ["nothing", null],
  ])("%s: not stopped", (_, userData) => {
    expect(userDataStopsAgent(userData)).toBeUndefined();
  });
});
