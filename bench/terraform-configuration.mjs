// Benchmark of `lint` on a Terraform configuration without a plan (issue 13): a generated folder of
// .tf files with N resources (subnets, security groups with egress blocks and standalone rules,
// instances, a shared VPC and endpoints), at several sizes. Prints wall time and peak RSS per size and
// time per resource. Run with `node bench/terraform-configuration.mjs` after `npm run build`
// (`npm run bench` runs it too). Timings are measured, never asserted in tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** A configuration of about `resources` resources: one VPC and endpoints, then groups of four. */
export function syntheticConfiguration(resources) {
  const parts = [
    `provider "aws" {
  region = var.region
}
variable "region" {
  type    = string
  default = "eu-west-1"
}
locals {
  cidr     = "10.0.0.0/16"
  services = toset(["ssm", "ssmmessages"])
}
resource "aws_vpc" "main" {
  cidr_block           = local.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
resource "aws_vpc_endpoint" "ssm" {
  for_each            = local.services
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.\${var.region}.\${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.app_0.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}
`,
  ];
  for (let i = 0; i * 4 + 5 < resources; i++) {
    parts.push(`resource "aws_subnet" "app_${i}" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(local.cidr, 8, ${i % 256})
}
resource "aws_security_group" "app_${i}" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_egress_rule" "app_${i}_dns" {
  security_group_id = aws_security_group.app_${i}.id
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = local.cidr
}
resource "aws_instance" "app_${i}" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app_${i}.id
  vpc_security_group_ids = [aws_security_group.app_${i}.id]
  tags = { Name = format("app-%03d", ${i}) }
}
`);
  }
  return parts.join("");
}

function measure(args) {
  const walls = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", cwd: root });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    const kb = Number(r.stderr?.trim().split("\n").pop());
    if (Number.isFinite(kb)) rss = Math.max(rss, kb / 1024);
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[Math.floor(walls.length / 2)], rss };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(root, "bench/out/terraform-configuration");
  console.log("| configuration | wall (median) | peak RSS | per resource |");
  console.log("|---|---|---|---|");
  const base = measure(["-e", "0"]);
  console.log(`| node -e 0 (baseline) | ${base.wall.toFixed(0)} ms | ${base.rss.toFixed(0)} MB | - |`);
  for (const n of [200, 2000]) {
    const dir = join(out, `r${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf"), syntheticConfiguration(n));
    const m = measure(["bin/ssm-doctor.js", "lint", dir, "--format", "json", "--output", join(out, `r${n}.json`), "--fail-on", "never"]);
    console.log(`| ${n} resources | ${m.wall.toFixed(0)} ms | ${m.rss.toFixed(0)} MB | ${((m.wall - base.wall) / n).toFixed(2)} ms |`);
  }
}
