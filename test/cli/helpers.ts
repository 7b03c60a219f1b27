import { vi } from 'vitest';
import { main } from '../../src/cli.js';

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
