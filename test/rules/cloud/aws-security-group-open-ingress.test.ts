import rule from '../../../rules/aws/security-group-open-ingress.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'ingress from the load balancer and the VPC',
      file: 'main.tf',
      code: `resource "aws_security_group" "model" {
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  ingress {
    from_port   = 8081
    to_port     = 8081
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
  ingress {
    from_port   = 8082
    to_port     = 8082
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "172.16.0.0/12", "203.0.113.0/24", "1.1.1.1/1"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
    },
    {
      name: 'unknown: CIDRs from variables',
      file: 'main.tf',
      code: `resource "aws_security_group_rule" "in" {
  type        = "ingress"
  from_port   = 443
  to_port     = 443
  protocol    = "tcp"
  cidr_blocks = var.allowed
}

resource "aws_vpc_security_group_ingress_rule" "in" {
  cidr_ipv4   = var.cidr
  from_port   = 443
  to_port     = 443
  ip_protocol = "tcp"
}
`,
    },
  ],
  invalid: [
    {
      name: 'inline ingress, rule resources, IPv6',
      file: 'main.tf',
      code: `resource "aws_security_group" "model" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "triton" {
  type             = "ingress"
  from_port        = 8000
  to_port          = 8002
  protocol         = "tcp"
  ipv6_cidr_blocks = ["::/0"]
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.model.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
`,
      errors: [
        { line: 6, message: 'port 22 from `0.0.0.0/0`' },
        { line: 15, message: 'ports 8000-8002 from `::/0`' },
        { line: 20, message: 'all ports' },
      ],
      output: null,
    },
    {
      name: 'the internet in two halves, a public /8, and the default security group',
      file: 'main.tf',
      code: `resource "aws_vpc_security_group_ingress_rule" "low" {
  security_group_id = aws_security_group.model.id
  cidr_ipv4         = "0.0.0.0/1"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "high" {
  security_group_id = aws_security_group.model.id
  cidr_ipv4         = "128.0.0.0/1"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8000
    to_port     = 8000
    protocol    = "tcp"
    cidr_blocks = ["8.0.0.0/8"]
  }
}
`,
      errors: [
        { line: 3, message: 'port 22 from `0.0.0.0/1`: a public range of at least 16 million addresses' },
        { line: 11, message: 'port 22 from `128.0.0.0/1`' },
        { line: 23, message: 'port 8000 from `8.0.0.0/8`' },
      ],
      output: null,
    },
  ],
});
