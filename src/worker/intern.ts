// Findings cross from the workers as copies, and a copy repeats every string: a 3,000-file review holds
// tens of thousands of `"spec"`, rule ids, titles and file names, one per finding. Interning them as they
// arrive keeps one of each for the whole scan.
import type { Finding, Path } from '../model.js';
import { keepWorkerResults } from '../engine/fix-groups.js';

export class Interner {
  private readonly seen = new Map<string, string>();

  string<T extends string>(value: T): T {
    const known = this.seen.get(value);
    if (known !== undefined) return known as T;
    this.seen.set(value, value);
    return value;
  }

  path(path: Path): Path {
    return path.map((segment) => (typeof segment === 'string' ? this.string(segment) : segment));
  }

  finding(f: Finding): Finding {
    f.ruleId = this.string(f.ruleId);
    f.severity = this.string(f.severity);
    f.title = this.string(f.title);
    f.message = this.string(f.message);
    f.file = this.string(f.file);
    f.resource = this.string(f.resource);
    f.path = this.path(f.path);
    if (f.fix) {
      f.fix.description = this.string(f.fix.description);
      f.fix.applicability = this.string(f.fix.applicability);
      f.fix.ops = f.fix.ops.map((op) => ({ ...op, op: this.string(op.op), path: this.path(op.path) }) as typeof op);
      for (const edit of f.fix.edits) edit.file = this.string(edit.file);
      keepWorkerResults(f);
    }
    return f;
  }
}
