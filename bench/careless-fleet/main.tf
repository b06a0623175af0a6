# The careless fleet (benchmark seed): instances on VPC defaults (one subnet, one security group without
# rules, literal AMIs, no instance profile), so every instance fails several prerequisites. bench/ turns
# the plan of `count = 3` into plans of 500 to 20,000 instances by repeating the instance entries.

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "main" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/20"
}

resource "aws_security_group" "app" {
  name_prefix = "app-"
  vpc_id      = aws_vpc.main.id
}

resource "aws_instance" "app" {
  count                  = 3
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.main.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
