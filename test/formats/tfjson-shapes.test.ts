// Terraform JSON that JSON.parse would read otherwise than Terraform: repeated keys (Terraform reads every one,
// JSON.parse keeps the last) and block types or labels written as arrays. Never dropped silently.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';

const scan = (text: string) =>
  scanFiles([{ path: 'infra/main.tf.json', text }], { config: DEFAULT_CONFIG, rules: RULES, repository: { resources: [], complete: true } });
// The reason a file is not reviewed becomes its `warden/not-reviewed` finding where the change touches it (src/engine/run.ts).
const notReviewed = async (text: string) => (await scan(text)).parsed[0]!.notReviewed;

describe('Terraform JSON shapes JSON.parse does not read as Terraform does', () => {
  it('a repeated `resource` key is not reviewed, naming the key and its line', async () => {
    const text = '{\n  "resource": {"aws_s3_bucket_acl": {"b": {"bucket": "x", "acl": "public-read"}}},\n  "resource": {"aws_s3_bucket_acl": {"c": {"bucket": "y", "acl": "private"}}}\n}\n';
    expect(await notReviewed(text)).toMatch(/`resource` is repeated in one object \(line 3\)/);
  });

  it('two `ingress` keys in one security group are not reviewed', async () => {
    const text = JSON.stringify({ resource: { aws_security_group: { s: { name: 's' } } } }, null, 2).replace(
      '"name": "s"',
      '"ingress": {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},\n "ingress": {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}',
    );
    expect(await notReviewed(text)).toMatch(/`ingress` is repeated/);
  });

  it('`resource` and a resource type written as arrays are not reviewed', async () => {
    const body = { bucket: 'x', acl: 'public-read' };
    expect(await notReviewed(JSON.stringify({ resource: [{ aws_s3_bucket_acl: { b: body } }] }))).toMatch(/`resource` is written as an array/);
    expect(await notReviewed(JSON.stringify({ resource: { aws_s3_bucket_acl: [{ b: body }] } }))).toMatch(/resource type `aws_s3_bucket_acl` is written as an array/);
    expect(await notReviewed(JSON.stringify({ resource: { aws_s3_bucket_acl: { b: [{ bucket: 'y', acl: 'private' }, body] } } }))).toMatch(/has 2 bodies/);
  });

  it('the usual shapes are still reviewed: nested blocks as arrays, one body in an array', async () => {
    const text = JSON.stringify({ resource: { aws_s3_bucket_acl: { b: [{ bucket: 'x', acl: 'public-read' }] }, aws_security_group: { s: { ingress: [{ from_port: 1 }, { from_port: 2 }] } } } });
    const { findings, parsed } = await scan(text);
    expect(parsed[0]!.notReviewed).toBeUndefined();
    expect(findings.filter((f) => f.ruleId === 'aws/s3-public-acl')).toHaveLength(1);
  });
});
