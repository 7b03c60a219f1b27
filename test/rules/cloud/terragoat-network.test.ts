// The internet-facing misconfigurations of terragoat that Warden missed: Azure NSG rule and GCP firewall rule open to
// 0.0.0.0/0, an Elasticsearch domain policy granting es:* to *, an Azure custom role with `*` actions, and database
// firewalls open to every address.
import nsgOpenIngress from '../../../rules/azure/nsg-open-ingress.js';
import firewallOpenIngress from '../../../rules/gcp/firewall-open-ingress.js';
import opensearchPolicyPublic from '../../../rules/aws/opensearch-policy-public.js';
import customRoleWildcard from '../../../rules/azure/custom-role-wildcard.js';
import sqlFirewallOpen from '../../../rules/azure/sql-firewall-open.js';
import sqlPublicNetwork from '../../../rules/gcp/sql-public-network.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'main.tf';

ruleTester(nsgOpenIngress, {
  valid: [
    {
      name: 'inbound from the virtual network; outbound to anywhere; a denied internet source',
      file,
      code: `resource "azurerm_network_security_group" "serving" {
  name = "serving"
  security_rule {
    name                       = "https-from-vnet"
    direction                  = "Inbound"
    access                     = "Allow"
    source_address_prefix      = "VirtualNetwork"
    destination_port_range     = "443"
  }
  security_rule {
    name                       = "egress"
    direction                  = "Outbound"
    access                     = "Allow"
    source_address_prefix      = "*"
  }
  security_rule {
    name                       = "deny-internet"
    direction                  = "Inbound"
    access                     = "Deny"
    source_address_prefix      = "Internet"
  }
}
`,
    },
    { name: 'unknown: source from a variable', file, code: `resource "azurerm_network_security_rule" "ssh" {\n  direction             = "Inbound"\n  access                = "Allow"\n  source_address_prefix = var.source\n}\n` },
  ],
  invalid: [
    {
      name: 'terragoat: inline SSH rule from *, and a separate rule with Internet in a prefix list',
      file,
      code: `resource "azurerm_network_security_group" "bad_sg" {
  name = "terragoat"
  security_rule {
    access                     = "Allow"
    direction                  = "Inbound"
    name                       = "AllowSSH"
    priority                   = 200
    protocol                   = "TCP"
    source_address_prefix      = "*"
    source_port_range          = "*"
    destination_port_range     = "22-22"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "inference" {
  name                    = "inference"
  direction               = "Inbound"
  access                  = "Allow"
  source_address_prefixes = ["10.0.0.0/8", "Internet"]
  destination_port_ranges = ["8080", "8081"]
}
`,
      errors: [
        { line: 9, message: 'NSG rule `AllowSSH` of `bad_sg` allows inbound traffic on ports 22-22 from `*`' },
        { line: 20, message: 'ports 8080, 8081 from `Internet`' },
      ],
      output: null,
    },
  ],
});

ruleTester(firewallOpenIngress, {
  valid: [
    {
      name: 'health-check ranges; an egress rule; a disabled rule; a deny rule',
      file,
      code: `resource "google_compute_firewall" "lb" {
  name          = "lb"
  source_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  allow {
    protocol = "tcp"
    ports    = ["8080"]
  }
}

resource "google_compute_firewall" "egress" {
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "off" {
  disabled      = true
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
  }
}

resource "google_compute_firewall" "deny" {
  source_ranges = ["0.0.0.0/0"]
  deny {
    protocol = "tcp"
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'terragoat: every TCP port from 0.0.0.0/0 on the whole network',
      file,
      code: `resource "google_compute_firewall" "allow_all" {
  name          = "terragoat-firewall"
  network       = google_compute_network.vpc.id
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["0-65535"]
  }
}
`,
      errors: [{ line: 4, message: 'allows `tcp 0-65535` from `0.0.0.0/0`: the whole internet, on every instance of the network' }],
      output: null,
    },
  ],
});

ruleTester(opensearchPolicyPublic, {
  valid: [
    {
      name: 'a named role; anyone narrowed by source IP',
      file,
      code: `resource "aws_opensearch_domain_policy" "search" {
  domain_name     = aws_opensearch_domain.search.domain_name
  access_policies = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = { AWS = aws_iam_role.rag.arn }, Action = "es:ESHttpGet", Resource = "*" },
      { Effect = "Allow", Principal = "*", Action = "es:*", Resource = "*", Condition = { IpAddress = { "aws:SourceIp" = ["10.0.0.0/8"] } } },
    ]
  })
}
`,
    },
  ],
  invalid: [
    {
      name: 'terragoat: es:* to * in a heredoc, reported at the statement',
      file,
      code: `resource "aws_elasticsearch_domain_policy" "monitoring-framework-policy" {
  domain_name     = aws_elasticsearch_domain.monitoring-framework.domain_name
  access_policies = <<POLICIES
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Action": [
                "es:*"
            ],
            "Principal": "*",
            "Effect": "Allow",
            "Resource": "\${aws_elasticsearch_domain.monitoring-framework.arn}/*"
        }
    ]
}
POLICIES
}
`,
      errors: [{ line: 7, endLine: 14, message: 'allows anyone (`Principal: "*"`) to `es:*`' }],
      output: null,
    },
  ],
});

ruleTester(customRoleWildcard, {
  valid: [
    {
      name: 'listed actions; `*` only in not_actions',
      file,
      code: `resource "azurerm_role_definition" "reader" {
  name  = "model-reader"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions     = ["Microsoft.MachineLearningServices/workspaces/read"]
    not_actions = ["*"]
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'terragoat: actions = ["*"]',
      file,
      code: `resource "azurerm_role_definition" "example" {
  name        = "my-custom-role"
  scope       = data.azurerm_subscription.primary.id
  description = "This is a custom role created via Terraform"

  permissions {
    actions     = ["*"]
    not_actions = []
  }

  assignable_scopes = [data.azurerm_subscription.primary.id]
}
`,
      errors: [{ line: 7, message: 'Custom role `example` allows `*`' }],
      output: null,
    },
  ],
});

ruleTester(sqlFirewallOpen, {
  valid: [
    {
      name: 'one address; the "allow Azure services" rule 0.0.0.0-0.0.0.0',
      file,
      code: `resource "azurerm_mssql_firewall_rule" "office" {
  start_ip_address = "203.0.113.10"
  end_ip_address   = "203.0.113.10"
}

resource "azurerm_mssql_firewall_rule" "azure" {
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}
`,
    },
  ],
  invalid: [
    {
      name: 'SQL and PostgreSQL firewalls open to every address',
      file,
      code: `resource "azurerm_sql_firewall_rule" "all" {
  name             = "all"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
`,
      errors: [
        { line: 4, message: 'allows `0.0.0.0`–`255.255.255.255`' },
        { line: 9, message: 'every address on the internet' },
      ],
      output: null,
    },
  ],
});

ruleTester(sqlPublicNetwork, {
  valid: [
    {
      name: 'private IP only; a known authorized range',
      file,
      code: `resource "google_sql_database_instance" "features" {
  settings {
    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.vpc.id
      authorized_networks {
        name  = "office"
        value = "203.0.113.0/24"
      }
    }
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'authorized network 0.0.0.0/0',
      file,
      code: `resource "google_sql_database_instance" "features" {
  settings {
    ip_configuration {
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}
`,
      errors: [{ line: 6, message: 'authorizes `0.0.0.0/0`' }],
      output: null,
    },
  ],
});
