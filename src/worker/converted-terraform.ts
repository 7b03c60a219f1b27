// What hcl2json made of a job's Terraform files in the first round, kept for their evaluation. A worker keeps only
// a little text parsed whole between the rounds (a parse is ~30x its text, and its syntax tree lives in WebAssembly
// memory, which never shrinks), so a large review parses most files again to evaluate them; hcl2json is most of a
// Terraform parse's cost, and its value as JSON text is smaller than the file. A value is handed back only for the
// very text it was made of, and let go once the file is evaluated or its job released.
import { hash } from 'node:crypto';
import type { HclConversions } from '../formats/hcl.js';

interface Kept {
  digest: string;
  json: string;
}

export class ConvertedTerraform {
  private readonly byJob = new Map<string, Map<string, Kept>>();
  private bytes = 0;

  /** At most this many characters of JSON are kept; past it, a file is converted again when evaluated. */
  constructor(private readonly limit: number) {}

  /** The conversions of one job's parses: what an earlier parse of the same file and text left, and room for this one's. */
  of(job: string): HclConversions {
    return {
      get: (file, text) => {
        const kept = this.byJob.get(job)?.get(file);
        return kept && kept.digest === digestOf(text) ? kept.json : undefined;
      },
      keep: (file, text, json) => {
        this.drop(job, file);
        if (this.bytes + json.length > this.limit) return;
        const files = this.byJob.get(job) ?? this.byJob.set(job, new Map()).get(job)!;
        files.set(file, { digest: digestOf(text), json });
        this.bytes += json.length;
      },
    };
  }

  /** Let go of a file's value, or of all the job's. */
  drop(job: string, file?: string): void {
    const files = this.byJob.get(job);
    if (!files) return;
    for (const path of file === undefined ? [...files.keys()] : [file]) {
      const kept = files.get(path);
      if (!kept) continue;
      this.bytes -= kept.json.length;
      files.delete(path);
    }
    if (files.size === 0) this.byJob.delete(job);
  }

  /** Characters of JSON held (for tests). */
  get held(): number {
    return this.bytes;
  }
}

function digestOf(text: string): string {
  return hash('sha1', text);
}
