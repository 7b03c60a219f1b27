// Findings cross from the workers as copies, and a copy repeats every string: a 3,000-file review holds
// tens of thousands of `"spec"`, rule ids, titles and file names, one per finding. Interning them as they
// arrive keeps one of each for the whole scan. So do the resources other files' rules may look up, which every
// parse summary brings (a Terraform file's every resource: 3,000 Terraform files at head and base brought 36,000
// copies of `"hcl"`).
import type { Finding, Path } from '../model.js';
import { keepWorkerResults } from '../engine/fix-groups.js';
import type { PlainResource } from './transfer.js';

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

  /** A resource's strings, its body's string values at any depth among them (its keys are V8's own, shared). */
  resource(r: PlainResource): PlainResource {
    r.id = this.string(r.id);
    r.kind = this.string(r.kind);
    r.name = this.string(r.name);
    r.file = this.string(r.file);
    r.format = this.string(r.format);
    if (r.apiVersion !== undefined) r.apiVersion = this.string(r.apiVersion);
    if (r.namespace !== undefined) r.namespace = this.string(r.namespace);
    if (r.terraform) {
      r.terraform.type = this.string(r.terraform.type);
      r.terraform.name = this.string(r.terraform.name);
    }
    this.values(r.body);
    return r;
  }

  /** The string values of a plain value (JSON-like, as a worker sends it), in place. */
  private values(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') value[i] = this.string(item);
        else if (item !== null && typeof item === 'object') this.values(item);
      }
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (typeof item === 'string') record[key] = this.string(item);
        else if (item !== null && typeof item === 'object') this.values(item);
      }
    }
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
