// Template directives (`%{ if … }`, `%{ for … }`): hcl2json and Terraform JSON give such a string as its template
// text, which holds no `${`. Warden must never take it as a literal: it is evaluated where nothing is unknown, and
// otherwise unknown.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';
import { isUnknown } from '../../src/engine/shapes.js';

const scan = (files: Record<string, string>) =>
  scanFiles(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } },
  );
const ruleLines = (findings: { ruleId: string; file: string; line: number }[], ruleId: string) =>
  findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line}`);

describe('Terraform template directives', () => {
  it('a constant `%{ if true }` ACL is the ACL it yields', async () => {
    const { findings } = await scan({ 'infra/main.tf': 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = "%{ if true }public-read%{ endif }"\n}\n' });
    expect(ruleLines(findings, 'aws/s3-public-acl')).toEqual(['infra/main.tf:3']);
  });

  it('`%{ if var.pub }…%{ else }…` follows the variable, and stays unknown without a value', async () => {
    const acl = 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "x"\n  acl    = "%{ if var.pub }public-read%{ else }private%{ endif }"\n}\n';
    const withDefault = await scan({ 'infra/main.tf': acl, 'infra/variables.tf': 'variable "pub" {\n  default = true\n}\n' });
    expect(ruleLines(withDefault.findings, 'aws/s3-public-acl')).toEqual(['infra/main.tf:3']);
    const off = await scan({ 'infra/main.tf': acl, 'infra/variables.tf': 'variable "pub" {\n  default = false\n}\n' });
    expect(ruleLines(off.findings, 'aws/s3-public-acl')).toEqual([]);
    expect(off.parsed[0]!.resources[0]!.body.acl).toBe('private');
    const unset = await scan({ 'infra/main.tf': acl, 'infra/variables.tf': 'variable "pub" {}\n' });
    expect(isUnknown(unset.parsed[0]!.resources[0]!.body.acl)).toBe(true);
  });

  it('a CIDR list item and a heredoc policy made by a directive are judged', async () => {
    const sg = 'resource "aws_security_group" "s" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["%{ if true }0.0.0.0/0%{ endif }"]\n  }\n}\n';
    expect(ruleLines((await scan({ 'infra/sg.tf': sg })).findings, 'aws/security-group-open-ingress')).not.toEqual([]);
    const policy = [
      'resource "aws_s3_bucket_policy" "p" {',
      '  bucket = "x"',
      '  policy = <<EOT',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"%{ if true }*%{ endif }","Action":"s3:GetObject","Resource":"arn:aws:s3:::x/*"}]}',
      'EOT',
      '}',
      '',
    ].join('\n');
    expect(ruleLines((await scan({ 'infra/policy.tf': policy })).findings, 'aws/s3-policy-public')).not.toEqual([]);
  });

  it('in Terraform JSON too', async () => {
    const json = JSON.stringify({ resource: { aws_s3_bucket_acl: { b: { bucket: 'x', acl: '%{ if true }public-read%{ endif }' } } } }, null, 2);
    expect(ruleLines((await scan({ 'infra/main.tf.json': json })).findings, 'aws/s3-public-acl')).toHaveLength(1);
    const unknown = JSON.stringify({ resource: { aws_s3_bucket_acl: { b: { bucket: 'x', acl: '%{ if var.pub }public-read%{ endif }' } } } });
    const { parsed } = await scan({ 'infra/main.tf.json': unknown });
    expect(isUnknown(parsed[0]!.resources[0]!.body.acl)).toBe(true);
  });

  it('inside jsonencode(), a directive is no literal', async () => {
    const policy = 'resource "aws_s3_bucket_policy" "p" {\n  bucket = "x"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Principal = "%{ if true }*%{ endif }", Action = "s3:GetObject", Resource = "arn:aws:s3:::x/*" }]\n  })\n}\n';
    expect(ruleLines((await scan({ 'infra/policy.tf': policy })).findings, 'aws/s3-policy-public')).not.toEqual([]);
  });

  it('`%{ for }` over a literal list, strip markers, and spaces around interpolations', async () => {
    const local = 'locals {\n  names = ["a", "b"]\n  joined = "%{ for n in local.names ~} ${n}, %{~ endfor }"\n  spaced = "x ${local.names[0]} y"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = local.joined\n  tags = { s = local.spaced }\n}\n';
    const { parsed } = await scan({ 'infra/main.tf': local });
    const body = parsed[0]!.resources[0]!.body;
    expect(body.bucket).toBe('a,b,');
    expect(body.tags).toEqual({ s: 'x a y' });
  });
});
