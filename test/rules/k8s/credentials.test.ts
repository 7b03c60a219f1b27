// Credentials recognised by value (rules/k8s/support/credentials.ts), used by k8s/secret-env-literal and
// k8s/credential-literal.
import { describe, expect, it } from 'vitest';
import { credentialIn } from '../../../rules/k8s/support/credentials.js';

// Built from parts so that no complete token sits in the source.
const letters = (n: number) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(4).slice(0, n);
const alnum = (n: number) => 'a1B2c3D4e5F6g7H8i9J0'.repeat(10).slice(0, n);

describe('credentialIn', () => {
  it.each([
    ['AKIA' + 'IOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a private key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
    ['ghp_' + alnum(36), 'a GitHub token'],
    ['github_pat_' + alnum(82), 'a GitHub token'],
    ['glpat-' + alnum(20), 'a GitLab token'],
    ['hf_' + letters(34), 'a Hugging Face token'],
    ['sk-proj-' + alnum(24) + 'T3BlbkFJ' + alnum(24), 'an OpenAI API key'],
    ['sk-ant-api03-' + alnum(90), 'an Anthropic API key'],
    ['AIza' + alnum(35), 'a Google API key'],
    ['xoxb-' + alnum(24), 'a Slack token'],
    ['postgres://ml:s3cr3t-pw@db.internal:5432/features', 'a password in a URL'],
    ['--token=hf_' + letters(34), 'a Hugging Face token'],
  ])('finds %s', (value, what) => {
    expect(credentialIn(value)).toBe(what);
  });

  it.each([
    'AKIAEXAMPLE',
    'hf_' + letters(20),
    'sk-abc123',
    'password',
    '/var/run/secrets/token',
    'https://huggingface.co/meta-llama/Llama-3-8B',
    'postgres://ml:$(DB_PASSWORD)@db:5432/x',
    'postgres://ml:{{ .Values.password }}@db:5432/x',
    'redis://:*****@cache:6379',
    'https://user@host/path',
    's3://models/llama@v3',
    'ghp_' + alnum(10),
    '-----BEGIN PUBLIC KEY-----',
  ])('leaves %s alone', (value) => {
    expect(credentialIn(value)).toBeNull();
  });
});
