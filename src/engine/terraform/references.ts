// References between Terraform resources: which addresses a value names, which resources point at a target (by
// reference in the same module folder, or by literal name anywhere), and new sibling resources a fix adds.
import { posix } from 'node:path';
import type { Resource } from '../../model.js';
import { NEW_RESOURCE } from '../../formats/hcl.js';
import type { FixSpec, RuleContext } from '../define-rule.js';
import { isRecord } from '../path.js';
import { isUnknown } from '../shapes.js';
import { visible } from '../visible.js';
import { escapeRegExp } from '../../common/reg-exp.js';
import { loadedTogether } from '../../formats/opentofu.js';

/**
 * Whether a value references `target` (`aws_s3_bucket.models`, also `aws_s3_bucket.models[0]`, `data.x.y`): made once
 * per target, as a rule asks it of every resource that may point at it.
 */
export function refersTo(target: Resource): (value: unknown) => boolean {
  if (!target.terraform) return () => false;
  const { block: kind, type, name } = target.terraform;
  const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  // The address ends where a name cannot go on: `aws_s3_bucket.b` is not in `aws_s3_bucket.b-logs` (names may hold `-`).
  // The pattern is made once a value names the address at all: most values asked name another resource.
  let pattern: RegExp | undefined;
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') return v.includes('${') && v.includes(address) && (pattern ??= new RegExp(`(^|[^\\w.])${escapeRegExp(address)}(?![\\w-])`)).test(v);
    if (Array.isArray(v)) return v.some(visit);
    if (isRecord(v)) return Object.values(v).some(visit);
    return false;
  };
  return visit;
}

/** Every `type.name` / `data.type.name` address referenced in a value. */
export function referencesIn(value: unknown): { block: 'resource' | 'data'; type: string; name: string }[] {
  const out: { block: 'resource' | 'data'; type: string; name: string }[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return;
      for (const m of v.matchAll(/(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
        out.push({ block: m[1] ? 'data' : 'resource', type: m[2]!, name: m[3]! });
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

/** A literal path `file()` or `templatefile()` reads (`"${path.module}/policy.json"`, `"trust.json.tpl"`). */
const FILE_CALL = /\b(?:file|templatefile)\(\s*"((?:\$\{path\.module\}\/)?[^"$%\\]+)"/g;

/** The files an expression's `file()` and `templatefile()` calls read, relative to the module's folder (normalized). */
export function fileReadsIn(text: string): string[] {
  if (!text.includes('file(')) return [];
  const paths: string[] = [];
  for (const [, named] of text.matchAll(FILE_CALL)) {
    const relative = named!.replace(/^\$\{path\.module\}\//, '');
    if (!relative.startsWith('/')) paths.push(posix.normalize(relative));
  }
  return paths;
}

/** Every variable, local and data block a value names, as written: `var.x`, `local.y`, `data.type.name`; `file:<path>` for a file it reads. */
export function namesIn(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      if (!v.includes('${')) return;
      for (const m of v.matchAll(/(?<![\w.])(var|local)\.([A-Za-z_][\w-]*)/g)) names.add(`${m[1]}.${m[2]}`);
      for (const path of fileReadsIn(v)) names.add(`file:${path}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  for (const ref of referencesIn(value)) if (ref.block === 'data') names.add(`data.${ref.type}.${ref.name}`);
  return [...names];
}

/** The Terraform module (folder) a file belongs to: references only resolve inside one module. */
export function moduleOf(resource: Pick<Resource, 'file'>): string {
  return posix.dirname(resource.file.replace(/\\/g, '/'));
}

/**
 * Whether two resources are of one module as a tool loads it: of one folder, and not a `.tofu` file's with a `.tf`
 * file's that a `.tofu` one shadows (src/formats/opentofu.ts): no tool loads both, so neither protects the other.
 */
function sameModule(ctx: Pick<RuleContext, 'scanned' | 'repository'>, a: Resource, b: Resource): boolean {
  if (moduleOf(a) !== moduleOf(b)) return false;
  const seen = visible(ctx);
  return loadedTogether(a.file, b.file, (path) => path === a.file || path === b.file || seen.holdsFile(path));
}

/** Where related resources were looked for, for messages that say something was not found. */
export function searchedWhere(ctx: Pick<RuleContext, 'repository'>): string {
  return ctx.repository.complete ? 'in this repository' : 'in the files reviewed (the rest of the repository was not read)';
}

/**
 * Whether a value is, as a whole, a reference to one of `target`'s `attributes` (`${aws_s3_bucket.b.id}`, or of one
 * instance, `${aws_s3_bucket.b[0].id}`): what protects the target must name it exactly, not merely mention it
 * (`"${aws_s3_bucket.b.id}" == "" ? "" : aws_s3_bucket.c.id` protects c, if anything). Made once per target, and
 * read without a pattern made for the target (compiling one for each bucket was most of what these checks cost).
 */
export function isReferenceTo(target: Resource, attributes: readonly string[]): (value: unknown) => boolean {
  if (!target.terraform) return () => false;
  const { block: kind, type, name } = target.terraform;
  const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  // `${ address[index].attribute }`, blanks allowed inside the braces, the index holding no bracket.
  return (value) => {
    if (typeof value !== 'string' || !value.includes(address)) return false;
    const text = value.trim();
    if (!text.startsWith('${')) return false;
    let at = blanksFrom(text, 2);
    if (!text.startsWith(address, at)) return false;
    at += address.length;
    if (text[at] === '[') {
      const close = /[[\]]/g;
      close.lastIndex = at + 1;
      const end = close.exec(text);
      if (end?.[0] !== ']') return false;
      at = end.index + 1;
    }
    if (text[at] !== '.') return false;
    at += 1;
    return attributes.some((attribute) => {
      if (!text.startsWith(attribute, at)) return false;
      const brace = blanksFrom(text, at + attribute.length);
      return text[brace] === '}' && brace === text.length - 1;
    });
  };
}

/** Where the blanks (`\s`) that start at `from` end. */
function blanksFrom(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

/**
 * Resources of `types` that point at `target` through one of `attributes`: by reference (same
 * module folder) or by the literal name the target carries in `nameAttribute` (any folder). `exactly`: the
 * reference must be the whole value and name one of these attributes of the target (what counts as protecting it).
 */
export function relatedResources(
  ctx: Pick<RuleContext, 'scanned' | 'repository'>,
  target: Resource,
  types: readonly string[],
  attributes: readonly string[],
  nameAttribute?: string,
  exactly?: readonly string[],
): Resource[] {
  const literalName = nameAttribute ? target.body[nameAttribute] : undefined;
  const name = typeof literalName === 'string' && !isUnknown(literalName) ? literalName : undefined;
  const names = exactly ? isReferenceTo(target, exactly) : refersTo(target);
  return visible(ctx).ofKind(...types).filter((r) => {
    if (!r.terraform || !types.includes(r.terraform.type)) return false;
    return attributes.some((a) => {
      const value = r.body[a];
      if (names(value) && sameModule(ctx, r, target)) return true;
      return name !== undefined && (value === name || (Array.isArray(value) && value.includes(name)));
    });
  });
}

/** The resource an address refers to, in the same module folder. */
export function resolveAddress(
  ctx: Pick<RuleContext, 'scanned' | 'repository'>,
  from: Resource,
  ref: { block: 'resource' | 'data'; type: string; name: string },
): Resource | undefined {
  return visible(ctx).ofKind(ref.type).find(
    (r) => r.terraform?.block === ref.block && r.terraform.type === ref.type && r.terraform.name === ref.name && sameModule(ctx, r, from),
  );
}

/** A name for a new resource of `type` beside `target` that no visible resource uses yet. */
export function freshName(ctx: Pick<RuleContext, 'scanned' | 'repository'>, target: Resource, type: string, suffix: string): string {
  const taken = new Set(visible(ctx).ofKind(type).filter((r) => r.terraform?.type === type && moduleOf(r) === moduleOf(target)).map((r) => r.terraform!.name));
  const base = target.terraform?.name ?? target.name;
  return taken.has(base) ? `${base}_${suffix}` : base;
}

/** A fix op that adds (or completes) a resource block beside the current one. */
export function newResourceOp(type: string, name: string, body: Record<string, unknown>): FixSpec['ops'][number] {
  return { op: 'set', path: [NEW_RESOURCE, type, name], value: body, base: [] };
}

/** `${aws_s3_bucket.models.id}`: how a new resource refers back to `target`. */
export function referenceTo(target: Resource, attribute: string): string {
  const t = target.terraform!;
  return `\${${t.block === 'data' ? 'data.' : ''}${t.type}.${t.name}.${attribute}}`;
}

// S3 buckets and their satellite resources.

/** What of a bucket its satellites' `bucket` may name: its name (`id`, `bucket`) or, leniently, its ARN. */
const BUCKET_REFERENCES = ['id', 'bucket', 'arn'];

/**
 * The resources that configure a bucket since AWS provider v4, joined to it by `bucket`, that Terraform surely
 * creates: every caller counts them as protecting the bucket.
 */
export function bucketSatellites(ctx: Pick<RuleContext, 'scanned' | 'repository'>, bucket: Resource, type: string): Resource[] {
  return relatedResources(ctx, bucket, [type], ['bucket'], 'bucket', BUCKET_REFERENCES).filter(surelyCreated);
}

/**
 * The buckets a bucket satellite configures (by reference in its module, or by literal name), when Terraform may
 * not create it (`instances` not surely some): a rule that counts it as protecting them judges them again here,
 * where a change (a `count` turned to 0, a variable that turns it off) took it away.
 */
export function bucketsLeftBy(ctx: Pick<RuleContext, 'scanned' | 'repository'>, satellite: Resource): Resource[] {
  if (surelyCreated(satellite)) return [];
  const value = satellite.body.bucket;
  return visible(ctx)
    .ofKind('aws_s3_bucket')
    .filter((b) => b.terraform?.type === 'aws_s3_bucket' && ((refersTo(b)(value) && sameModule(ctx, b, satellite)) || (typeof value === 'string' && !isUnknown(value) && b.body.bucket === value)));
}

/** Where a resource's `count` or `for_each` is written (the first that is): a finding on whether it exists goes there. */
export function expansionPath(resource: Pick<Resource, 'body'>): string[] {
  return resource.body.count !== undefined ? ['count'] : resource.body.for_each !== undefined ? ['for_each'] : [];
}

/** Why Terraform may not create a resource, for a message: its own `count` or `for_each`, else the calls of its module. */
export function notCreatedHow(resource: Pick<Resource, 'body' | 'terraform'>): string {
  const [by] = expansionPath(resource);
  const own = ownInstances(resource);
  const calls = resource.terraform?.calls;
  if (own === 'none' || (own === 'unknown' && calls?.instances !== 'none') || !calls) {
    const value = by === undefined ? undefined : resource.body[by];
    return isUnknown(value) ? `created only as its \`${by}\` decides, which Warden cannot know` : `never created (its \`${by}\` makes no instance)`;
  }
  const named = calls.calls.map((call) => `\`${call.name}\` in \`${call.file}\``).join(', ');
  const [s, verb] = calls.calls.length > 1 ? ['s', ''] : ['', 's'];
  return calls.instances === 'none'
    ? `never created (the module call${s} ${named} that would create its module make${verb} no instance of it)`
    : `created only as the module call${s} ${named} of its module decide${verb} (by \`count\` or \`for_each\`), which Warden cannot know`;
}

/**
 * How many instances Terraform creates of a resource, as far as Warden knows: none for `count = 0` or a `for_each`
 * over an empty collection, or where the calls of its module create none of it (`terraform.calls`); unknown when
 * `count` or `for_each` stays unknown (a variable without a value, a resource attribute), its own or a call's; some
 * otherwise.
 */
export function instances(resource: Pick<Resource, 'body'> & Partial<Pick<Resource, 'terraform'>>): 'none' | 'some' | 'unknown' {
  const own = ownInstances(resource);
  const calls = resource.terraform?.calls?.instances;
  return own === 'none' || calls === 'none' ? 'none' : own === 'unknown' || calls === 'unknown' ? 'unknown' : 'some';
}

/** How many instances a resource's own `count` or `for_each` makes. */
function ownInstances(resource: Pick<Resource, 'body'>): 'none' | 'some' | 'unknown' {
  const { count, for_each: forEach } = resource.body;
  let found: 'none' | 'some' | 'unknown' = 'some';
  if (count !== undefined) {
    const n = typeof count === 'number' ? count : typeof count === 'string' && /^\s*\d+\s*$/.test(count) ? Number(count) : NaN;
    if (!Number.isInteger(n) || n < 0) found = 'unknown';
    else if (n === 0) return 'none';
  }
  if (forEach !== undefined) {
    const size = Array.isArray(forEach) ? forEach.length : isRecord(forEach) ? Object.keys(forEach).length : null;
    if (size === 0) return 'none';
    if (size === null) found = 'unknown';
  }
  return found;
}

/**
 * Whether a resource counts as protecting something: Terraform surely creates it. One with `count = 0` does not
 * exist, and one whose `count` or `for_each` is unknown may not (grants and insecure settings are judged either way).
 */
export function surelyCreated(resource: Pick<Resource, 'body' | 'terraform'>): boolean {
  return instances(resource) === 'some';
}

/** `count`/`for_each` resources: a fix that adds a sibling would need the same expansion. */
export function isExpanded(resource: Resource): boolean {
  return resource.body.count !== undefined || resource.body.for_each !== undefined;
}
