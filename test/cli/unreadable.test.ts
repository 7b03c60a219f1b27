// A file the command line cannot read does not stop the scan: it is an error entry and, as Warden fails closed, a
// warden/not-reviewed finding, in every format; the exit code is the gate's (1), never an internal error's (2).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRIVILEGED_POD } from './helpers.js';

// Root reads a file without read permission: the command line then runs as `nobody`, for whom the modes hold.
const NOBODY = 65534;
const asUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
// Git refuses a repository another user owns unless told it is safe.
const GIT_TRUSTS_REPO = { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*' };
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'cli.ts')).href;

/** The command line in a process of its own (so that it can run as another user). */
type Run = { code: number; stdout: string; stderr: string };

async function wardenProcess(args: string[], cwd: string): Promise<Run> {
  const script = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  return promisify(execFile)(process.execPath, ['--import', tsx, '--input-type=module', '-e', script, ...args], { cwd, maxBuffer: 16 * 1024 * 1024, env: GIT_TRUSTS_REPO, ...asUser }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'warden-unreadable-'));
  chmodSync(repo, 0o755);
  // A repository, so that SARIF URIs are relative to its root.
  execFileSync('git', ['init', '-q', repo]);
  const k8s = join(repo, 'k8s');
  mkdirSync(k8s);
  writeFileSync(join(k8s, 'pod.yaml'), PRIVILEGED_POD);
  writeFileSync(join(k8s, 'noread.yaml'), PRIVILEGED_POD);
  chmodSync(join(k8s, 'noread.yaml'), 0o000);
  // A folder named like a manifest is walked, never read as a file.
  mkdirSync(join(k8s, 'folder.yaml'));
  writeFileSync(join(k8s, 'folder.yaml', 'inner.yaml'), PRIVILEGED_POD.replace('name: debug', 'name: inner'));
  writeFileSync(join(k8s, 'latin1.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9, 0x0a])]));
  writeFileSync(join(k8s, 'image.yml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  symlinkSync('nowhere.yaml', join(k8s, 'dangling.yaml'));
  // JSON that cannot be read may be anything (most JSON is not Kubernetes): noted, not failed.
  writeFileSync(join(k8s, 'blob.json'), Buffer.from([0x7b, 0x00, 0x7d]));
  mkdirSync(join(k8s, 'locked'));
  writeFileSync(join(k8s, 'locked', 'pod.yaml'), PRIVILEGED_POD);
  chmodSync(join(k8s, 'locked'), 0o000);
}, 30_000);

const UNREADABLE = [
  ['k8s/dangling.yaml', 'a symbolic link to nowhere.yaml, which does not exist'],
  ['k8s/image.yml', 'binary content'],
  ['k8s/latin1.yaml', 'not valid UTF-8 (first bad byte at offset 52)'],
  ['k8s/locked', 'the folder could not be listed (EACCES)'],
  ['k8s/noread.yaml', 'it could not be read (EACCES)'],
] as const;

describe('warden scan: a file it cannot read', () => {
  it('is an error entry and a warden/not-reviewed finding in JSON, text and SARIF; the rest is reviewed; exit 1, no stack trace', async () => {
    const [json, text, sarif] = (await Promise.all(['json', 'text', 'sarif'].map((format) => wardenProcess(['scan', 'k8s', '--format', format], repo)))) as [Run, Run, Run];
    for (const run of [json, text, sarif]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
    }

    const out = JSON.parse(json.stdout) as { findings: { ruleId: string; file: string; message: string }[]; errors: { file: string; message: string }[] };
    const notReviewed = out.findings.filter((f) => f.ruleId === 'warden/not-reviewed');
    expect(notReviewed.map((f) => f.file).sort()).toEqual(UNREADABLE.map(([file]) => file));
    for (const [file, reason] of UNREADABLE) {
      expect(notReviewed.find((f) => f.file === file)?.message).toContain(reason);
      expect(out.errors).toContainEqual({ file, message: expect.stringContaining(reason) });
    }
    expect(out.errors.filter((e) => e.file === 'k8s/blob.json')).toEqual([
      { file: 'k8s/blob.json', message: 'not read (binary content: not reviewed); a JSON file is reviewed only when it holds a Kubernetes manifest' },
    ]);
    const privileged = out.findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.file);
    expect(privileged.sort()).toEqual(['k8s/folder.yaml/inner.yaml', 'k8s/pod.yaml']);

    for (const [file, reason] of UNREADABLE) {
      expect(text.stdout).toContain(`${file}:1  HIGH  warden/not-reviewed`);
      expect(text.stdout).toContain(`${file}: error: `);
      expect(text.stdout).toContain(reason);
    }
    expect(text.stdout).toContain('k8s/pod.yaml:11  CRITICAL  k8s/privileged');

    const run = JSON.parse(sarif.stdout).runs[0] as {
      results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const sarifNotReviewed = run.results.filter((r) => r.ruleId === 'warden/not-reviewed').map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(sarifNotReviewed.sort()).toEqual(UNREADABLE.map(([file]) => file));
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    for (const [file, reason] of UNREADABLE) {
      const notification = run.invocations[0]!.toolExecutionNotifications.find((n) => n.level === 'error' && n.locations[0]!.physicalLocation.artifactLocation.uri === file);
      expect(notification?.message.text).toContain(reason);
    }
  }, 60_000);

  it('goes on past a dangling link named on the command line, and still refuses a path that does not exist', async () => {
    const named = await wardenProcess(['scan', 'k8s/dangling.yaml', 'k8s/pod.yaml', '--format', 'json'], repo);
    expect(named.stderr).toBe('');
    const out = JSON.parse(named.stdout) as { findings: { ruleId: string; file: string }[] };
    expect(out.findings.filter((f) => f.ruleId === 'warden/not-reviewed').map((f) => f.file)).toEqual(['k8s/dangling.yaml']);
    expect(out.findings.some((f) => f.ruleId === 'k8s/privileged' && f.file === 'k8s/pod.yaml')).toBe(true);
    expect(named.code).toBe(1);

    const missing = await wardenProcess(['scan', 'k8s/missing.yaml'], repo);
    expect(missing).toMatchObject({ code: 2, stderr: 'warden: no such file or directory: k8s/missing.yaml\n' });
  }, 60_000);
});
