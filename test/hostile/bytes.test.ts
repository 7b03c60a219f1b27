// Bytes to text, as the command line (files) and the App (base64 blobs) read them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkText, decodeText } from '../../src/formats/text.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { warden } from '../cli/helpers.js';
import { HEALTHY } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'warden-bytes-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeSharedPool();
});

describe('decodeText', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFa: é\n'))).toEqual({ text: 'a: é\n' });
  });

  it('names the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([Buffer.from('a: ok\nb: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(decodeText(bytes)).toEqual({ skipped: 'not valid UTF-8 (first bad byte at offset 9): not reviewed' });
  });

  it('calls NUL bytes binary, and a file over the limit too large', () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toEqual({ skipped: 'binary content: not reviewed' });
    expect(decodeText(Buffer.alloc(2048, 'a'), 1024)).toEqual({ skipped: 'too large to review (2 KiB; the limit is 1 KiB)' });
  });
});

describe('a Git LFS pointer', () => {
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${'4d7a'.repeat(16)}\nsize 12345\n`;

  it('is not taken for the file it stands for, read as bytes or as text', () => {
    const why = 'a Git LFS pointer: the file it stands for is stored outside the repository, and Warden does not fetch it';
    expect(decodeText(Buffer.from(pointer))).toEqual({ skipped: why });
    expect(checkText(pointer)).toEqual({ skipped: why });
    // With an extension key before its oid, as the specification allows.
    expect(checkText(pointer.replace('\noid', '\next-0-foo sha256:' + 'a'.repeat(64) + '\noid'))).toEqual({ skipped: why });
  });

  it('only when it is one: a manifest that quotes one is reviewed', () => {
    const quoting = `apiVersion: v1\nkind: ConfigMap\ndata:\n  pointer: |\n    ${pointer.trimEnd().split('\n').join('\n    ')}\n`;
    expect(checkText(quoting)).toEqual({ text: quoting });
  });

  it('changed, fails closed on the command line', async () => {
    writeFileSync(join(dir, 'lfs.yaml'), pointer);
    const { code, stdout } = await warden(['scan', join(dir, 'lfs.yaml'), '--format', 'json']);
    const out = JSON.parse(stdout) as { findings: { ruleId: string; message: string }[] };
    expect(out.findings.map((f) => [f.ruleId, /Git LFS pointer/.test(f.message)])).toEqual([['warden/not-reviewed', true]]);
    expect(code).toBe(1);
    rmSync(join(dir, 'lfs.yaml'));
  });
});

describe('warden scan on hostile bytes', () => {
  it('reports invalid UTF-8 and binary files as not reviewed, reviews the rest, and fails', async () => {
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    writeFileSync(join(dir, 'weights.yaml'), Buffer.from([0x00, 0x01, 0x02, 0x03]));
    writeFileSync(join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HEALTHY)]));
    const { code, stdout } = await warden(['scan', dir, '--format', 'json']);
    const out = JSON.parse(stdout) as { findings: { file: string; ruleId: string; line: number; message: string }[] };
    const notReviewed = out.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => [f.file, f.message]);
    expect(notReviewed).toEqual([
      [join(dir, 'latin1.yaml'), expect.stringMatching(/nothing in it was checked: not valid UTF-8 \(first bad byte at offset 46\)\./)],
      [join(dir, 'weights.yaml'), expect.stringMatching(/nothing in it was checked: binary content\./)],
    ]);
    // The BOM shifts nothing: `privileged: true` is on line 11 of HEALTHY.
    expect(out.findings).toContainEqual(expect.objectContaining({ file: join(dir, 'bom.yaml'), ruleId: 'k8s/privileged', line: 11 }));
    expect(code).toBe(1);
  });
});
