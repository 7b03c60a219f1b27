// The command line's blob reads through one `git cat-file --batch` process per repository: a `git show` per blob cost
// a process each, thousands for the repository index of `warden diff --head`. Object names go to its stdin one a line
// and git answers each in turn (`<oid> <type> <size>\n<content>\n`, or `<name> missing\n`), so a queue of the reads
// asked pairs each answer with its read. Content is taken as bytes; a blob over a read's limit is passed over as it
// arrives, never held whole.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { UsageError } from '../usage-error.js';

/** A blob's bytes; 'too large' past the read's limit; null when the repository has no blob by that name. */
export type BlobRead = Buffer | 'too large' | null;

interface Asked {
  name: string;
  maxBytes: number;
  resolve: (read: BlobRead) => void;
  reject: (error: Error) => void;
}

/** The answer being received: its content so far (null: passed over), and how many bytes are left of it and its LF. */
interface Receiving {
  asked: Asked;
  content: Buffer | null;
  outcome: 'too large' | null;
  filled: number;
  left: number;
}

export class GitBlobReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  /** Reads written to git, in order, whose answers have not all arrived. */
  private asked: Asked[] = [];
  private header: Buffer[] = [];
  private receiving: Receiving | null = null;
  private stderr = '';

  /** `top`: the repository's root. */
  constructor(private readonly top: string) {}

  /** The blob named `name` (its SHA, or `<ref>:<path>`); its content only when at most `maxBytes`. */
  read(name: string, maxBytes: number): Promise<BlobRead> {
    // A line is one name: one holding a newline would be read as two.
    if (name.includes('\n')) return Promise.reject(new Error(`git cannot be asked for an object named with a newline (${JSON.stringify(name)})`));
    return new Promise((resolve, reject) => {
      const child = this.started();
      this.asked.push({ name, maxBytes, resolve, reject });
      this.keepAlive(true);
      child.stdin.write(`${name}\n`);
    });
  }

  /** Ends the process (at the end of the command); a read still waiting fails. A later read starts another. */
  close(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.ended(child, new Error(`git cat-file --batch in ${this.top} was closed before it answered`));
    // Held until git has ended: a command awaiting this with nothing else running must not exit before it settles.
    for (const handle of handles(child)) handle.ref();
    return new Promise((resolve) => {
      child.once('close', () => resolve());
      child.stdin.end();
      child.kill();
    });
  }

  private started(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['-C', this.top, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => this.received(child, chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000)));
    // A write after git died fails here; the process's own end reports it.
    child.stdin.on('error', () => {});
    child.on('error', (error) => this.ended(child, new UsageError(`git cat-file --batch in ${this.top} could not run: ${error.message}`)));
    child.on('close', (code, signal) => {
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      const stderr = this.stderr.trim();
      this.ended(child, new UsageError(`git cat-file --batch in ${this.top} ended (${why})${stderr ? `: ${stderr}` : ''}`));
    });
    return child;
  }

  /** The process ended or was closed: every read waiting on it fails with `error` (git's failing: a UsageError, as src/git.ts's). */
  private ended(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.child !== child) return;
    this.child = null;
    const waiting = this.asked;
    this.asked = [];
    this.header = [];
    this.receiving = null;
    for (const asked of waiting) asked.reject(error);
  }

  /**
   * While a read waits, the process keeps the command running; idle, it does not hold the command open, so a command
   * that forgot to close it still exits (git then ends at the end of its input).
   */
  private keepAlive(waiting: boolean): void {
    if (this.child) for (const handle of handles(this.child)) (waiting ? handle.ref() : handle.unref());
  }

  private received(child: ChildProcessWithoutNullStreams, chunk: Buffer): void {
    let at = 0;
    // Until the process is closed or an answer is out of step.
    while (at < chunk.length && this.child === child) {
      const receiving = this.receiving;
      if (receiving) {
        const taken = Math.min(receiving.left, chunk.length - at);
        // The last byte of an answer is its LF, not content.
        if (receiving.content) {
          const copied = Math.min(taken, receiving.content.length - receiving.filled);
          chunk.copy(receiving.content, receiving.filled, at, at + copied);
          receiving.filled += copied;
        }
        receiving.left -= taken;
        at += taken;
        if (receiving.left === 0) this.answered(receiving.content ?? receiving.outcome);
        continue;
      }
      const lineEnd = chunk.indexOf(0x0a, at);
      if (lineEnd < 0) {
        this.header.push(chunk.subarray(at));
        return;
      }
      const line = Buffer.concat([...this.header, chunk.subarray(at, lineEnd)]).toString('utf8');
      this.header = [];
      at = lineEnd + 1;
      this.headerRead(line);
    }
  }

  private headerRead(line: string): void {
    const asked = this.asked[0];
    if (!asked) return this.failed(`git cat-file --batch answered what was not asked: ${JSON.stringify(line.slice(0, 200))}`);
    if (line === `${asked.name} missing` || line === `${asked.name} ambiguous`) return this.answered(null);
    const [, type, sizeText] = line.split(' ');
    const size = Number(sizeText);
    if (!type || !Number.isSafeInteger(size) || size < 0) return this.failed(`git cat-file --batch answered ${JSON.stringify(line.slice(0, 200))} for ${asked.name}`);
    // Not a blob (a tree or commit named by a path): nothing a file's read takes, as `git show` would show none.
    const kept = type === 'blob' && size <= asked.maxBytes;
    this.receiving = { asked, content: kept ? Buffer.allocUnsafe(size) : null, outcome: type === 'blob' ? 'too large' : null, filled: 0, left: size + 1 };
  }

  private answered(read: BlobRead): void {
    this.receiving = null;
    const asked = this.asked.shift()!;
    if (this.asked.length === 0) this.keepAlive(false);
    asked.resolve(read);
  }

  /** An answer out of step: every later one would be paired with the wrong read, so none is trusted. */
  private failed(message: string): void {
    const child = this.child!;
    this.ended(child, new Error(message));
    child.kill();
  }
}

/** What holds the command open while it runs: the process and its pipes (sockets, though typed as streams). */
function handles(child: ChildProcessWithoutNullStreams): { ref(): void; unref(): void }[] {
  return [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
}
