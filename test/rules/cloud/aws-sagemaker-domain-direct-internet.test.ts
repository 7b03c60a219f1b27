import rule from '../../../rules/aws/sagemaker-domain-direct-internet.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'VpcOnly',
      file: 'main.tf',
      code: `resource "aws_sagemaker_domain" "studio" {
  domain_name             = "studio"
  auth_mode               = "IAM"
  vpc_id                  = aws_vpc.ml.id
  subnet_ids              = aws_subnet.private[*].id
  app_network_access_type = "VpcOnly"
}
`,
    },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_sagemaker_domain" "studio" {\n  app_network_access_type = var.network_access\n}\n` },
  ],
  invalid: [
    {
      name: 'absent: the default is PublicInternetOnly',
      file: 'main.tf',
      code: `resource "aws_sagemaker_domain" "studio" {
  domain_name = "studio"
  auth_mode   = "IAM"
  vpc_id      = aws_vpc.ml.id
}
`,
      errors: [{ line: 1, message: 'SageMaker Studio domain `studio` gives its apps direct internet access (`app_network_access_type` is not set, and the provider\'s default is "PublicInternetOnly")' }],
      output: `resource "aws_sagemaker_domain" "studio" {
  domain_name             = "studio"
  auth_mode               = "IAM"
  vpc_id                  = aws_vpc.ml.id
  app_network_access_type = "VpcOnly"
}
`,
    },
    {
      name: 'explicit PublicInternetOnly',
      file: 'main.tf',
      code: `resource "aws_sagemaker_domain" "studio" {
  domain_name             = "studio"
  app_network_access_type = "PublicInternetOnly"
}
`,
      errors: [{ line: 3 }],
      output: `resource "aws_sagemaker_domain" "studio" {
  domain_name             = "studio"
  app_network_access_type = "VpcOnly"
}
`,
    },
  ],
});
