// The command line stays inside the repository (issue #10.4): a link out of it is reported, never read through;
// a FIFO or device is refused; reads are bounded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localRepositoryReader, readInside } from '../../src/repository/local.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { closeSharedPool } from '../../src/worker/pool.js';
import { git as gitIn, warden } from './helpers.js';

const git = (...args: string[]) => gitIn(repo, ...args);

const outside = mkdtempSync(join(tmpdir(), 'warden-outside-'));
const repo = mkdtempSync(join(tmpdir(), 'warden-inside-'));
afterAll(async () => {
  rmSync(outside, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
  await closeSharedPool();
});

const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: models
spec:
  containers:
  - name: server
    image: registry.example.com/${name}:1.0
    securityContext:
      privileged: true
`;


type Out = { findings: { ruleId: string; file: string; message: string }[] };
const notReviewed = (out: Out) => Object.fromEntries(out.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => [f.file, f.message.replace(/^.*nothing in it was checked: /, '')]));

describe('warden diff and scan stay inside the repository', () => {
  // A secret outside the repository that parses as a manifest, so reading it through would show.
  writeFileSync(join(outside, 'secret.yaml'), pod('secret-outside-the-repository'));
  mkdirSync(join(repo, 'k8s'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'base\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  writeFileSync(join(repo, 'real.yaml'), pod('inside'));
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'k8s', 'secret.yaml'));
  symlinkSync('/dev/zero', join(repo, 'k8s', 'zero.yaml'));
  symlinkSync('../real.yaml', join(repo, 'k8s', 'inner.yaml'));
  git('add', '.');
  git('commit', '-qm', 'links');

  it('`warden diff` reports links out of the repository, reads none of them, and reviews what a link inside it leads to', async () => {
    const { code, stdout } = await warden(['diff', '--base', 'HEAD~1', '--format', 'json'], repo);
    expect(stdout).not.toContain('secret-outside-the-repository');
    const out = JSON.parse(stdout) as Out;
    expect(notReviewed(out)).toEqual({
      'k8s/secret.yaml': `a symbolic link out of the repository (to \`${join(outside, 'secret.yaml')}\`): not followed. The check fails until it can be reviewed.`,
      'k8s/zero.yaml': 'a symbolic link out of the repository (to `/dev/zero`): not followed. The check fails until it can be reviewed.',
    });
    // The link inside it deploys `real.yaml` (once more): reviewed where it is written, once.
    expect(out.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.file).sort()).toEqual(['real.yaml']);
    expect(code).toBe(1);
  }, 30_000);

  it('`warden scan` of the folder: the same, and a FIFO is refused rather than waited on', async () => {
    execFileSync('mkfifo', [join(repo, 'k8s', 'pipe.yaml')]);
    try {
      const { code, stdout } = await warden(['scan', 'k8s', '--format', 'json'], repo);
      const out = JSON.parse(stdout) as Out;
      expect(stdout).not.toContain('secret-outside-the-repository');
      expect(notReviewed(out)).toMatchObject({
        'k8s/pipe.yaml': 'not a regular file (a FIFO, device or socket): not read. The check fails until it can be reviewed.',
        'k8s/secret.yaml': expect.stringMatching(/^a symbolic link out of the repository/),
        'k8s/zero.yaml': expect.stringMatching(/^a symbolic link out of the repository \(to \/dev\/zero\)/),
      });
      expect(code).toBe(1);
      // The link inside it leads to a file scanned too: reviewed once, where it is written, and the link said.
      const both = JSON.parse((await warden(['scan', 'k8s', 'real.yaml', '--format', 'json'], repo)).stdout) as Out & { notes?: unknown };
      expect(both.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.file)).toEqual(['real.yaml']);
      expect(JSON.stringify(both)).toContain('a symbolic link to `real.yaml`, which is reviewed where it is written');
    } finally {
      rmSync(join(repo, 'k8s', 'pipe.yaml'));
    }
  }, 30_000);

  it('a FIFO named on the command line is refused, not waited on', async () => {
    const fifo = join(outside, 'named-pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const { code, stdout } = await warden(['scan', fifo, '--format', 'json']);
    expect(notReviewed(JSON.parse(stdout) as Out)).toEqual({ [fifo]: 'not a regular file (a FIFO, device or socket): not read. The check fails until it can be reviewed.' });
    expect(code).toBe(1);
  });
});

describe('readInside', () => {
  it('reads at most the limit', async () => {
    writeFileSync(join(outside, 'big.yaml'), 'x'.repeat(2048));
    expect(await readInside(outside, 'big.yaml', 1024)).toEqual({ refused: 'too large to review (2 KiB; the limit is 1 KiB)' });
    expect(await readInside(outside, 'big.yaml', 4096)).toEqual({ bytes: Buffer.from('x'.repeat(2048)) });
    expect(await readInside(outside, 'missing.yaml')).toEqual({ refused: 'it could not be read (ENOENT)', absent: true });
  });

  it('a path that leaves the folder as written (`../base` from an overlay) is not read, and is not called a link', async () => {
    mkdirSync(join(outside, 'overlay'), { recursive: true });
    writeFileSync(join(outside, 'base.yaml'), 'a: 1\n');
    const read = await readInside(join(outside, 'overlay'), '../base.yaml');
    expect(read).toEqual({ refused: `outside the folder Warden reviews (${join(outside, 'overlay')}); review a folder that holds it too, such as the repository's root` });
  });
});

describe('the working tree as a repository reader', () => {
  it('reads nothing for a file not there or a folder, and rejects, saying why, for one there that it does not read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-reader-'));
    mkdirSync(join(root, 'dir.yaml'));
    writeFileSync(join(root, 'binary.yaml'), Buffer.from([0x61, 0x00, 0x62]));
    writeFileSync(join(outside, 'target.yaml'), 'x: 1\n');
    symlinkSync(join(outside, 'target.yaml'), join(root, 'out.yaml'));
    writeFileSync(join(root, 'ok.yaml'), 'a: 1\n');
    const reader = localRepositoryReader(root, DEFAULT_CONFIG);
    expect(await Promise.all(['missing.yaml', 'dir.yaml', 'ok.yaml'].map((p) => reader.read(p)))).toEqual([null, null, 'a: 1\n']);
    await expect(reader.read('binary.yaml')).rejects.toMatchObject({ name: 'UnreadableFile', path: 'binary.yaml', reason: 'binary content: not reviewed' });
    await expect(reader.read('out.yaml')).rejects.toMatchObject({ name: 'UnreadableFile', reason: expect.stringContaining('a symbolic link out of the repository') });
    expect(await reader.readBytes!('missing.tgz', 1024)).toBeNull();
    rmSync(root, { recursive: true, force: true });
  });
});
