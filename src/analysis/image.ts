/**
 * Whether an image ships the SSM Agent (DESIGN section 2, prerequisite 1). Pure.
 *
 * Preinstalled (https://docs.aws.amazon.com/systems-manager/latest/userguide/ami-preinstalled-agent.html):
 * Amazon Linux base AMIs 2017.09 and later, Amazon Linux 2, AL2023, ECS-optimized and EKS-optimized Amazon Linux,
 * Bottlerocket (the agent runs in the control container, enabled by default), Windows Server, Ubuntu Server 16.04 and
 * later (snap), SUSE Linux Enterprise Server, macOS. Not preinstalled: RHEL, CentOS, Debian, Ubuntu 14.04, and the
 * Amazon Linux *minimal* AMIs (https://docs.aws.amazon.com/linux/al2023/ug/image-comparison.html).
 */
import type { ImageSource, OperatingSystem } from "../model/index.js";

export interface ImageVerdict {
  /** "Amazon Linux 2023", "RHEL", "Ubuntu 14.04", "unknown" … */
  family: string;
  agent: "preinstalled" | "not-preinstalled" | "unknown";
  /** Short: what the verdict rests on. */
  basis: string;
}

const UBUNTU_CODENAMES: Record<string, string> = {
  precise: "12.04",
  trusty: "14.04",
  xenial: "16.04",
  bionic: "18.04",
  focal: "20.04",
  jammy: "22.04",
  kinetic: "22.10",
  lunar: "23.04",
  mantic: "23.10",
  noble: "24.04",
  oracular: "24.10",
  plucky: "25.04",
  questing: "25.10",
};

type Family = Omit<ImageVerdict, "basis"> & { note?: string };

const AL1_NOTE = "Amazon Linux 1 reached end of life on 2023-12-31";

function ubuntu(version: string | undefined, minimal = false): Family {
  if (!version) return { family: "Ubuntu", agent: "unknown", note: "the Ubuntu release is not named" };
  const [major, minor] = version.split(".").map(Number) as [number, number];
  const family = `Ubuntu ${version}${minimal ? " (minimal)" : ""}`;
  if (major < 16) return { family, agent: "not-preinstalled" };
  if (minimal) return { family, agent: "unknown", note: "Ubuntu minimal images are not on AWS's list of images with the agent" };
  return Number.isFinite(minor) ? { family, agent: "preinstalled" } : { family, agent: "unknown" };
}

/** The Ubuntu release named in a string ("ubuntu-jammy-22.04", "ubuntu/server/20.04/", "US2004HVM"). */
function ubuntuVersion(s: string): string | undefined {
  const num = /(?:^|[^\d.])(\d{2})\.(\d{2})(?![\d])/.exec(s);
  if (num) return `${num[1]}.${num[2]}`;
  for (const [code, v] of Object.entries(UBUNTU_CODENAMES)) if (new RegExp(`(^|[^a-z])${code}([^a-z]|$)`).test(s)) return v;
  const key = /US(\d{2})(\d{2})HVM/i.exec(s);
  if (key) return `${key[1]}.${key[2]}`;
  return undefined;
}

/**
 * Classify an image by its name (AMI name, name filter, or description text). Case-insensitive.
 * undefined when nothing in the text names a family.
 */
function familyFromName(text: string): Family | undefined {
  const raw = text.trim();
  const s = raw.toLowerCase().replace(/^\^/, "");

  // Amazon Linux and AWS-built derivatives.
  if (/bottlerocket/.test(s)) return { family: "Bottlerocket", agent: "preinstalled", note: "the agent runs in the control container" };
  if (/amazon-eks-(gpu-|arm64-)?node|eks[-_]optimized|eks-node/.test(s)) {
    if (/windows/.test(s)) return { family: "EKS-optimized Windows Server", agent: "preinstalled" };
    return { family: "EKS-optimized Amazon Linux", agent: "preinstalled" };
  }
  if (/al2023-ami-minimal/.test(s))
    return { family: "Amazon Linux 2023 (minimal)", agent: "not-preinstalled", note: "minimal AMIs leave the agent out" };
  if (/al2023-ami-ecs/.test(s)) return { family: "ECS-optimized Amazon Linux 2023", agent: "preinstalled" };
  if (/al2023-ami|amazon linux 2023|amzn2023|\bal2023\b/.test(s)) return { family: "Amazon Linux 2023", agent: "preinstalled" };
  if (/al2022-ami|amazon linux 2022/.test(s))
    return { family: "Amazon Linux 2022", agent: "preinstalled", note: "AL2022 was the preview of AL2023" };
  if (/amzn2-ami-minimal/.test(s))
    return { family: "Amazon Linux 2 (minimal)", agent: "not-preinstalled", note: "minimal AMIs leave the agent out" };
  if (/amzn2-ami-ecs|amazon linux 2 ecs|ecs[-_ ]optimized/.test(s))
    return { family: "ECS-optimized Amazon Linux 2", agent: "preinstalled" };
  if (/amzn2-ami|amazon linux 2\b|amzn2/.test(s)) return { family: "Amazon Linux 2", agent: "preinstalled" };
  if (/amzn-ami-vpc-nat/.test(s))
    return { family: "Amazon Linux NAT AMI", agent: "unknown", note: "NAT AMIs are not on AWS's list of images with the agent" };
  if (/amzn-ami-minimal/.test(s)) return { family: "Amazon Linux 1 (minimal)", agent: "unknown", note: AL1_NOTE };
  if (/amzn-ami|amazon linux ami|^amazon linux\b/.test(s)) {
    const v = /(20\d\d)\.(\d\d)/.exec(s);
    if (v && Number(`${v[1]}${v[2]}`) < 201709) {
      return { family: "Amazon Linux 1", agent: "not-preinstalled", note: `builds before 2017.09 lack the agent; ${AL1_NOTE}` };
    }
    return { family: "Amazon Linux 1", agent: "preinstalled", note: `base AMIs 2017.09 and later; ${AL1_NOTE}` };
  }

  if (/windows/.test(s)) return { family: "Windows Server", agent: "preinstalled" };
  if (/macos/.test(s)) return { family: "macOS", agent: "preinstalled" };
  if (/suse|sles/.test(s)) return { family: "SLES", agent: "preinstalled" };
  if (/ubuntu|canonical/.test(s)) return ubuntu(ubuntuVersion(s), /ubuntu-minimal|server-minimal|minimal/.test(s));
  if (/(^|[^a-z])rhel|red ?hat/.test(s)) return { family: "RHEL", agent: "not-preinstalled" };
  if (/centos/.test(s)) return { family: "CentOS", agent: "not-preinstalled" };
  if (/debian/.test(s)) {
    const v = /debian[-/ ]?(\d+)/.exec(s);
    return { family: v ? `Debian ${v[1]}` : "Debian", agent: "not-preinstalled" };
  }
  return undefined;
}

/** Classify a mapping key / description ("AWSAMIRegionMap/AMZNLINUX2", "RHEL74HVM", "AWSNATHVM", "US2204HVM"). */
function familyFromMappingKey(text: string): Family | undefined {
  const s = text.toUpperCase();
  if (/AWSNATHVM|NATHVM|VPC-NAT/.test(s))
    return { family: "Amazon Linux NAT AMI", agent: "unknown", note: "NAT AMIs are not on AWS's list of images with the agent" };
  if (/AMZNLINUX2023|AL2023/.test(s)) return { family: "Amazon Linux 2023", agent: "preinstalled" };
  if (/AMZNLINUX2022|AL2022/.test(s)) return { family: "Amazon Linux 2022", agent: "preinstalled" };
  if (/AMZNLINUX2|AMAZON-?LINUX-?2|AMZN2/.test(s)) return { family: "Amazon Linux 2", agent: "preinstalled" };
  if (/AMZNLINUX|AMAZON-?LINUX|AMZN/.test(s)) {
    return {
      family: "Amazon Linux 1",
      agent: "unknown",
      note: `literal AMI ids may predate 2017.09, the first builds with the agent; ${AL1_NOTE}`,
    };
  }
  if (/RHEL|REDHAT/.test(s)) return { family: "RHEL", agent: "not-preinstalled" };
  if (/CENTOS/.test(s)) return { family: "CentOS", agent: "not-preinstalled" };
  if (/DEBIAN/.test(s)) return { family: "Debian", agent: "not-preinstalled" };
  if (/SLES|SUSE/.test(s)) return { family: "SLES", agent: "preinstalled" };
  if (/WINDOWS|(^|[^A-Z])WS20\d\d|WIN20\d\d/.test(s)) return { family: "Windows Server", agent: "preinstalled" };
  if (/UBUNTU|US\d{4}HVM/.test(s)) return ubuntu(ubuntuVersion(text));
  return undefined;
}

function verdict(f: Family, basis: string): ImageVerdict {
  return { family: f.family, agent: f.agent, basis: f.note ? `${basis} (${f.note})` : basis };
}

const UNKNOWN = (basis: string): ImageVerdict => ({ family: "unknown", agent: "unknown", basis });

/** "{{resolve:ssm:/aws/service/...:3}}" / "resolve:ssm:/aws/..." / "/aws/...:3" → "/aws/service/...". */
function parameterPath(name: string): string {
  let s = name.trim();
  const m = /^\{\{\s*resolve:ssm:(.*?)\s*\}\}$/.exec(s);
  if (m) s = m[1] ?? s;
  s = s.replace(/^resolve:ssm:/, "");
  s = s.replace(/:\d+$/, ""); // version selector
  return s;
}

function classifyParameter(name: string): ImageVerdict {
  const path = parameterPath(name);
  const p = path.toLowerCase();
  const basis = `SSM parameter ${path}`;
  if (!p.startsWith("/aws/service/"))
    return UNKNOWN(`${basis} is not an AWS public image parameter, so it does not say which image it holds`);
  const rest = p.slice("/aws/service/".length);
  const [root, ...tail] = rest.split("/");
  const leaf = tail.join("/");

  switch (root) {
    case "ami-amazon-linux-latest": {
      const f = familyFromName(leaf);
      return f ? verdict(f, basis) : UNKNOWN(`${basis}: not a known Amazon Linux image`);
    }
    case "ecs": {
      // /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id, …/amazon-linux-2/…, …/windows_server/…
      if (/windows/.test(leaf)) return verdict({ family: "ECS-optimized Windows Server", agent: "preinstalled" }, basis);
      if (/amazon-linux-2023/.test(leaf)) return verdict({ family: "ECS-optimized Amazon Linux 2023", agent: "preinstalled" }, basis);
      if (/amazon-linux-2(\/|-|$)/.test(leaf)) return verdict({ family: "ECS-optimized Amazon Linux 2", agent: "preinstalled" }, basis);
      if (/amazon-linux(\/|$)/.test(leaf)) {
        return verdict(
          { family: "ECS-optimized Amazon Linux 1", agent: "unknown", note: `not on AWS's list of images with the agent; ${AL1_NOTE}` },
          basis,
        );
      }
      return UNKNOWN(`${basis}: not a known ECS-optimized image`);
    }
    case "eks": {
      // /aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id, …/amazon-linux-2023/x86_64/standard/…
      if (/windows/.test(leaf)) return verdict({ family: "EKS-optimized Windows Server", agent: "preinstalled" }, basis);
      if (/amazon-linux-2023/.test(leaf)) return verdict({ family: "EKS-optimized Amazon Linux 2023", agent: "preinstalled" }, basis);
      if (/amazon-linux/.test(leaf)) return verdict({ family: "EKS-optimized Amazon Linux 2", agent: "preinstalled" }, basis);
      if (/bottlerocket/.test(leaf))
        return verdict({ family: "Bottlerocket", agent: "preinstalled", note: "the agent runs in the control container" }, basis);
      return UNKNOWN(`${basis}: not a known EKS-optimized image`);
    }
    case "bottlerocket":
      return verdict(
        { family: "Bottlerocket", agent: "preinstalled", note: "the agent runs in the control container, enabled by default" },
        basis,
      );
    case "ami-windows-latest":
      return verdict({ family: "Windows Server", agent: "preinstalled" }, basis);
    case "ec2-macos":
    case "ami-macos-latest":
      return verdict({ family: "macOS", agent: "preinstalled" }, basis);
    case "canonical": {
      // /aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id, …/server-minimal/…, …/eks/…
      const minimal = /(^|\/)[a-z-]*minimal(\/|$)/.test(leaf);
      return verdict(ubuntu(ubuntuVersion(leaf), minimal), basis);
    }
    case "suse":
      return verdict({ family: "SLES", agent: "preinstalled" }, basis);
    case "debian": {
      const v = /(?:release|daily)\/(\d+)/.exec(leaf) ?? /(?:^|\/)(\d+)(?:\/|$)/.exec(leaf);
      return verdict({ family: v ? `Debian ${v[1]}` : "Debian", agent: "not-preinstalled" }, basis);
    }
    default: {
      const f = familyFromName(leaf);
      return f ? verdict(f, basis) : UNKNOWN(`${basis}: not a known image family`);
    }
  }
}

/** Whether the agent ships with the image the source names. */
/** Owners (aliases and account ids) whose AMIs are the vendors' own images. */
const PUBLIC_PUBLISHERS = new Set([
  "amazon",
  "aws-marketplace",
  "self-published-by-vendor",
  "099720109477", // Canonical (Ubuntu)
  "309956199498", // Red Hat
  "125523088429", // CentOS
  "136693071363", // Debian
  "379101102735", // Debian (older images)
  "013907871322", // SUSE
  "801119661308", // Amazon (Windows)
  "137112412989", // Amazon (Amazon Linux)
  "591542846629", // Amazon (ECS-optimized)
  "602401143452", // Amazon (EKS-optimized)
]);

/**
 * The operating system an image runs, for the ports its connections take replies on; undefined when the image does
 * not say. A private image is named by what it was built from, which decides the system even when not the agent.
 */
export function operatingSystemOf(image: ImageSource): OperatingSystem | undefined {
  let family = classifyImage(image).family;
  if (family === "unknown" && image.kind === "name-filter") family = familyFromName(image.pattern)?.family ?? family;
  if (family === "unknown") return undefined;
  if (/windows/i.test(family)) return "Windows";
  return family === "macOS" ? "macOS" : "Linux";
}

export function classifyImage(image: ImageSource): ImageVerdict {
  switch (image.kind) {
    case "ssm-parameter":
      return classifyParameter(image.name);
    case "ami-id": {
      // Picked from a mapping by its keys: the mapping's key and the names beside the ids may tell the family.
      if (image.mapping) {
        const f = familyFromMappingKey(image.mapping) ?? familyFromName(image.mapping);
        if (f) return verdict(f, `mapping ${image.mapping}`);
      }
      return UNKNOWN("a literal AMI id does not say which image it is");
    }
    case "name-filter": {
      const f = familyFromName(image.pattern);
      if (!f) return UNKNOWN(`AMI name filter ${image.pattern} does not name a known image family`);
      // An image the account builds itself from, say, CentOS may have the agent baked in: only the
      // publishers' own images tell the truth about what is preinstalled.
      const owners = image.owners ?? [];
      if (f.agent === "not-preinstalled" && owners.length > 0 && !owners.some((o) => PUBLIC_PUBLISHERS.has(o.toLowerCase()))) {
        return UNKNOWN(
          `AMI name filter ${image.pattern} from owner ${owners.join(", ")}: a private image built from ${f.family}, which may have the agent baked in`,
        );
      }
      return verdict(f, `AMI name filter ${image.pattern}`);
    }
    case "mapping": {
      const f = familyFromMappingKey(image.description) ?? familyFromName(image.description);
      if (f) return verdict(f, `mapping ${image.description}`);
      for (const c of image.candidates) {
        if (/^ami-[0-9a-f]+$/i.test(c.trim())) continue;
        const g = familyFromName(c) ?? familyFromMappingKey(c);
        if (g) return verdict(g, `mapping ${image.description} (image name ${c})`);
      }
      return UNKNOWN(`mapping ${image.description} lists literal AMI ids and does not name the image family`);
    }
    case "described": {
      const f = familyFromName(image.description);
      return f ? verdict(f, `image ${image.description}`) : UNKNOWN(`image ${image.description} is not a known image family`);
    }
  }
}

// ---------------------------------------------------------------- user data

const INSTALL_PATTERNS: readonly RegExp[] = [
  // package managers: yum/dnf/zypper/apt/apt-get/snap install … amazon-ssm-agent (also a URL or file ending in it)
  /\b(?:yum|dnf|microdnf|zypper|apt-get|apt|snap)\b[^\n;&|]*\binstall\b[^\n;&|]*amazon-ssm-agent/i,
  // rpm / dpkg of an amazon-ssm-agent package
  /(?:^|[\s;&|(])(?:sudo\s+)?rpm\s+(?:[^\n;&|]*\s)?(?:-[vh]*[iU][vh]*|--install|--upgrade)\s[^\n;&|]*amazon-ssm-agent/,
  /\bdpkg\b[^\n;&|]*\s(?:-i|--install)\b[^\n;&|]*amazon-ssm-agent/i,
  // the agent's download locations: s3 (…/amazon-ssm-<region>/…, ec2-downloads-windows/SSMAgent/…)
  /amazon-ssm-[a-z0-9-]+\.s3[.-][^\s"']*amazon-ssm-agent\.(?:rpm|deb)/i,
  /s3[.-][a-z0-9.-]*amazonaws\.com(?:\.cn)?\/amazon-ssm-[a-z0-9-]+\/[^\s"']*amazon-ssm-agent/i,
  /ec2-downloads-windows\/SSMAgent\/[^\s"']*(?:amazon-ssm-agent\.(?:rpm|deb|pkg)|AmazonSSMAgentSetup\.exe)/i,
  // Windows
  /AmazonSSMAgentSetup\.exe/i,
  /msiexec[^\n]*(?:ssm|AmazonSSMAgent)/i,
  // Chocolatey / Ansible-style helpers are not recognised on purpose: they install by other names.
];

/** User data without its shell comments ("#!" and "#cloud-config" headers are kept): comments say nothing. */
function withoutComments(userData: string): string {
  return userData
    .split(/\r?\n/)
    .filter((line) => !/^\s*#(?!!|cloud-config)/.test(line))
    .join("\n");
}

/** Commands that leave the agent removed, disabled or stopped (the agent's package or service by its names). */
const STOP_PATTERNS: readonly RegExp[] = [
  /\b(?:yum|dnf|microdnf|zypper|apt-get|apt|snap)\b[^\n;&|]*\b(?:remove|erase|purge|autoremove)\b[^\n;&|]*amazon-ssm-agent/gi,
  /(?:^|[\s;&|(])(?:sudo\s+)?rpm\s+(?:[^\n;&|]*\s)?(?:-e|--erase)\s[^\n;&|]*amazon-ssm-agent/g,
  /\bdpkg\b[^\n;&|]*\s(?:-r|-P|--remove|--purge)\b[^\n;&|]*amazon-ssm-agent/gi,
  /\bsystemctl\b[^\n;&|]*\b(?:disable|stop|mask)\b[^\n;&|]*amazon-ssm-agent/gi,
  /\bservice\s+amazon-ssm-agent\s+stop\b/gi,
  /\bsnap\s+(?:stop|disable)\b[^\n;&|]*amazon-ssm-agent/gi,
  /\b(?:Stop-Service|Uninstall-Package)\b[^\n;&|]*AmazonSSMAgent/gi,
  /\bSet-Service\b[^\n;&|]*AmazonSSMAgent[^\n;&|]*-StartupType\s+Disabled/gi,
];

/** Commands that install, start or enable the agent again after a stop. */
const START_PATTERNS: readonly RegExp[] = [
  ...INSTALL_PATTERNS.map((re) => new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`)),
  /\bsystemctl\b[^\n;&|]*\b(?:enable|start|restart|unmask)\b[^\n;&|]*amazon-ssm-agent/gi,
  /\bservice\s+amazon-ssm-agent\s+(?:start|restart)\b/gi,
  /\bsnap\s+(?:start|enable|restart)\b[^\n;&|]*amazon-ssm-agent/gi,
  /\b(?:Start-Service|Restart-Service)\b[^\n;&|]*AmazonSSMAgent/gi,
];

/** The last match of any of the patterns in the text: where it starts, and the command it matched. */
function lastMatch(text: string, patterns: readonly RegExp[]): { at: number; command: string } | undefined {
  let last: { at: number; command: string } | undefined;
  for (const re of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) if (!last || m.index > last.at) last = { at: m.index, command: m[0].trim() };
  }
  return last;
}

/**
 * The command by which user data leaves the SSM Agent removed, disabled or stopped, when no later command
 * installs, starts or enables it again (a stop, a change of configuration and a start is the usual restart).
 */
export function userDataStopsAgent(userData: string | null): string | undefined {
  if (!userData) return undefined;
  const text = withoutComments(userData);
  const stop = lastMatch(text, STOP_PATTERNS);
  if (!stop) return undefined;
  const start = lastMatch(text, START_PATTERNS);
  return start && start.at > stop.at ? undefined : stop.command.slice(0, 120);
}

/**
 * Whether user data installs the SSM Agent (package managers, rpm/dpkg of the agent's package, the agent's
 * download URL, the Windows installer). Only starting the agent ("systemctl start amazon-ssm-agent") does not install it.
 */
export function userDataInstallsAgent(userData: string | null): boolean {
  if (!userData) return false;
  const text = withoutComments(userData);
  if (INSTALL_PATTERNS.some((re) => re.test(text))) return true;
  // cloud-init: packages: [amazon-ssm-agent]
  return /^#cloud-config/m.test(text) && /^\s*-\s*["']?amazon-ssm-agent["']?\s*$/m.test(text);
}
