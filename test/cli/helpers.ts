import { execFileSync } from 'node:child_process';
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

/** A privileged Pod in namespace `models` (line 11: `privileged: true`). */
export const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: models
spec:
  containers:
  - name: shell
    image: busybox:1.36
    securityContext:
      privileged: true
`;

/** Run the command line in-process from `cwd`; capture what it prints and its exit code. */
export async function warden(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  const before = process.cwd();
  try {
    if (cwd) process.chdir(cwd);
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(before);
    write.mockRestore();
    writeErr.mockRestore();
  }
}

/** Run git in `cwd` with a fixed identity (commits in test repositories). */
export function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}
