// The command line's one `git cat-file --batch` per repository (src/repository/git-batch.ts), against real git: reads
// asked at once answered each with its own blob, a blob over the limit passed over without being held, what git does
// not have told apart from what it failed to read, and the process ended with the command, never holding it open.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GitBlobReader } from '../../src/repository/git-batch.js';
import { UsageError } from '../../src/usage-error.js';
import { git } from '../cli/helpers.js';

function repository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'warden-batch-'));
  git(repo, 'init', '-q', '-b', 'main');
  return repo;
}

/** Writes `content` as a blob of `repo`; its SHA. */
function blob(repo: string, content: Buffer | string): string {
  return execFileSync('git', ['-C', repo, 'hash-object', '-w', '--stdin'], { input: content }).toString().trim();
}

const opened: GitBlobReader[] = [];
function reader(repo: string): GitBlobReader {
  const blobs = new GitBlobReader(repo);
  opened.push(blobs);
  return blobs;
}
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((blobs) => blobs.close()));
});

describe('GitBlobReader', () => {
  it('answers reads asked at once each with its own blob, as bytes, whatever they hold and however git splits them', async () => {
    const repo = repository();
    // Empty, a header-like line, NUL and invalid UTF-8, and one larger than a pipe's chunk.
    const contents = [Buffer.alloc(0), Buffer.from('0123 blob 5\nmissing\n'), Buffer.from([0, 0xff, 0x0a, 0xfe, 0]), Buffer.alloc(300_000, 'k: v\n')];
    for (let i = 0; i < 40; i++) contents.push(Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}\n`));
    const shas = contents.map((content) => blob(repo, content));
    const blobs = reader(repo);
    const read = await Promise.all(shas.map((sha) => blobs.read(sha, 1024 * 1024)));
    expect(read.map((bytes) => Buffer.from(bytes as Buffer).toString('base64'))).toEqual(contents.map((content) => content.toString('base64')));
  });

  it('passes over a blob past the limit as it arrives, never holding it whole, and reads on in step', async () => {
    const repo = repository();
    const large = blob(repo, Buffer.alloc(4 * 1024 * 1024, 'x'));
    const small = blob(repo, 'kind: Pod\n');
    const blobs = reader(repo);
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const concat = vi.spyOn(Buffer, 'concat');
    const [tooLarge, atTheLimit, after] = await Promise.all([blobs.read(large, 1024), blobs.read(small, 10), blobs.read(small, 9)]);
    expect([tooLarge, atTheLimit?.toString(), after]).toEqual(['too large', 'kind: Pod\n', 'too large']);
    const made = [...allocUnsafe.mock.calls.map(([size]) => size), ...concat.mock.results.map((result) => (result.value as Buffer).length)];
    expect(Math.max(...made)).toBeLessThan(64 * 1024);
  });

  it('tells what the repository does not hold (null) from a blob, and reads on', async () => {
    const repo = repository();
    const sha = blob(repo, 'a: 1\n');
    writeFileSync(join(repo, 'a.yaml'), 'a: 1\n');
    mkdirSync(join(repo, 'dir'));
    writeFileSync(join(repo, 'dir', 'b.yaml'), 'b: 2\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'files');
    const blobs = reader(repo);
    const read = await Promise.all([blobs.read('0'.repeat(40), 100), blobs.read('main:absent.yaml', 100), blobs.read('main:dir', 100), blobs.read('main:a.yaml', 100), blobs.read(sha, 100)]);
    expect(read.map((r) => (Buffer.isBuffer(r) ? r.toString() : r))).toEqual([null, null, null, 'a: 1\n', 'a: 1\n']);
  });

  it('fails every read waiting when git dies, with what git said, and starts git again for the next', async () => {
    const repo = repository();
    const sha = blob(repo, 'kind: Pod\n');
    // A git that answers one read and dies.
    const bin = mkdtempSync(join(tmpdir(), 'warden-fake-git-'));
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nread name\nprintf '%s blob 3\\nabc\\n' "$name"\necho 'fatal: the object store is gone' >&2\nexit 1\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    const blobs = reader(repo);
    const reads = [sha, sha, sha].map((name) => blobs.read(name, 100).then((r) => (r as Buffer).toString(), (error: Error) => error.message));
    process.env.PATH = path;
    expect(await Promise.all(reads)).toEqual(['abc', ...Array(2).fill(`git cat-file --batch in ${repo} ended (exit code 1): fatal: the object store is gone`)]);
    expect((await blobs.read(sha, 100))?.toString()).toBe('kind: Pod\n');
  });

  it('fails its reads with git’s error outside a repository, as the command line tells a failing git (exit 2, its message)', async () => {
    const blobs = reader(mkdtempSync(join(tmpdir(), 'warden-not-a-repo-')));
    const read = blobs.read('0'.repeat(40), 100);
    await expect(read).rejects.toThrow(/ended \(exit code 128\): fatal: not a git repository/);
    await expect(read).rejects.toBeInstanceOf(UsageError);
  });

  it('ends git when closed, failing a read still waiting', async () => {
    const repo = repository();
    const blobs = reader(repo);
    const waiting = blobs.read(blob(repo, Buffer.alloc(8 * 1024 * 1024, 'y')), 16 * 1024 * 1024);
    const failed = expect(waiting).rejects.toThrow('was closed before it answered');
    await blobs.close();
    await failed;
  });

  it('does not hold a command open when idle: one that never closes it still exits', async () => {
    const repo = repository();
    const sha = blob(repo, 'kind: Pod\n');
    const script = join(mkdtempSync(join(tmpdir(), 'warden-idle-')), 'idle.mts');
    const module = join(import.meta.dirname, '..', '..', 'src', 'repository', 'git-batch.ts');
    writeFileSync(script, `import { GitBlobReader } from ${JSON.stringify(module)};\nconst read = await new GitBlobReader(${JSON.stringify(repo)}).read(${JSON.stringify(sha)}, 100);\nprocess.stdout.write(String(read));\n`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 20_000, cwd: join(import.meta.dirname, '..', '..') });
    expect(stdout).toBe('kind: Pod\n');
  });
});
