import rule from '../../../rules/aws/eks-control-plane-logging.js';
import { ruleTester } from '../../rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'api and audit', file: 'main.tf', code: `resource "aws_eks_cluster" "c" {\n  enabled_cluster_log_types = ["api", "audit", "authenticator"]\n}\n` },
    { name: 'unknown: a variable', file: 'main.tf', code: `resource "aws_eks_cluster" "c" {\n  enabled_cluster_log_types = var.log_types\n}\n` },
  ],
  invalid: [
    { name: 'no logs', file: 'main.tf', code: `resource "aws_eks_cluster" "c" {\n  name = "c"\n}\n`, errors: [{ line: 1, message: '`api` and `audit`' }], output: null },
    { name: 'audit missing', file: 'main.tf', code: `resource "aws_eks_cluster" "c" {\n  enabled_cluster_log_types = ["api"]\n}\n`, errors: [{ line: 2, message: 'does not send `audit` logs' }], output: null },
  ],
});
