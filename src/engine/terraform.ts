// Terraform as people write it, for the cloud rules: unknown values, nested blocks, references
// between resources (in the scanned files and the repository), and IAM policy documents however
// they are written (jsonencode, heredoc JSON, `data "aws_iam_policy_document"`).
import { posix } from 'node:path';
import type { Path, Resource } from '../model.js';
import { hclExpressionValue, NEW_RESOURCE } from '../formats/hcl.js';
import type { FixSpec, ResourceTarget, RuleContext } from './define-rule.js';
import { isRecord } from './path.js';
import { isUnknown } from './shapes.js';
import { visible } from './visible.js';

export { isUnknown };

// ---- values ----

/** hcl2json spells a literal `true` as true; `.tf.json` files sometimes as "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A nested block's instances: hcl2json gives arrays of objects, `.tf.json` may give a single object. */
export function blocks(node: unknown, name: string): Record<string, unknown>[] {
  if (!isRecord(node)) return [];
  const value = node[name];
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** The first instance of a nested block. */
export function block(node: unknown, name: string): Record<string, unknown> | undefined {
  return blocks(node, name)[0];
}

/** A `dynamic "name"` block: its content is generated at plan time, so it is unknown, not absent. */
export function hasDynamic(node: unknown, name: string): boolean {
  return blocks(node, 'dynamic').some((d) => name in d);
}

/** Follow attribute names and block indices (`['vpc_config', 0, 'endpoint_public_access']`). */
export function attr(node: unknown, path: Path): unknown {
  let cur: unknown = node;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (Array.isArray(cur)) cur = cur[seg];
      else if (!(isRecord(cur) && seg === 0)) return undefined; // a block written as one object
      continue;
    }
    if (!isRecord(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** A list attribute's items; a single string counts as a list of one; unknown stays unknown. */
export function listOf(value: unknown): unknown[] | 'unknown' | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value) && typeof value === 'string' && value.startsWith('${') && value.endsWith('}')) return 'unknown';
  return Array.isArray(value) ? value : [value];
}

/** Whether a CIDR list holds the whole internet. Unknown entries are never judged. */
export function openCidrs(value: unknown): string[] {
  const list = listOf(value);
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is string => c === '0.0.0.0/0' || c === '::/0');
}

// ---- references and related resources ----

/** `aws_s3_bucket.models` (also `aws_s3_bucket.models[0]`, `data.x.y`) referenced inside a value. */
export function refersTo(value: unknown, target: Resource): boolean {
  if (!target.terraform) return false;
  const { block: kind, type, name } = target.terraform;
  const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  const pattern = new RegExp(`(^|[^\\w.])${escapeRegExp(address)}(\\b|\\[)`);
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') return v.includes('${') && pattern.test(v);
    if (Array.isArray(v)) return v.some(visit);
    if (isRecord(v)) return Object.values(v).some(visit);
    return false;
  };
  return visit(value);
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Terraform module (folder) a file belongs to: references only resolve inside one module. */
export function moduleOf(resource: Resource): string {
  return posix.dirname(resource.file.replace(/\\/g, '/'));
}

/** Where related resources were looked for, for messages that say something was not found. */
export function searchedWhere(ctx: Pick<RuleContext, 'repository'>): string {
  return ctx.repository.complete ? 'in this repository' : 'in the files reviewed (the rest of the repository was not read)';
}

/**
 * Resources of `types` that point at `target` through one of `attributes`: by reference (same
 * module folder) or by the literal name the target carries in `nameAttribute` (any folder).
 */
export function relatedResources(
  ctx: Pick<RuleContext, 'scanned' | 'repository'>,
  target: Resource,
  types: readonly string[],
  attributes: readonly string[],
  nameAttribute?: string,
): Resource[] {
  const literalName = nameAttribute ? target.body[nameAttribute] : undefined;
  const name = typeof literalName === 'string' && !isUnknown(literalName) ? literalName : undefined;
  const module = moduleOf(target);
  return visible(ctx).ofKind(...types).filter((r) => {
    if (!r.terraform || !types.includes(r.terraform.type)) return false;
    return attributes.some((a) => {
      const value = r.body[a];
      if (moduleOf(r) === module && refersTo(value, target)) return true;
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
  const module = moduleOf(from);
  return visible(ctx).ofKind(ref.type).find(
    (r) => r.terraform?.block === ref.block && r.terraform.type === ref.type && r.terraform.name === ref.name && moduleOf(r) === module,
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

// ---- IAM policy documents ----

export interface Principal {
  /** `*` for `"Principal": "*"`, else the key: AWS, Service, Federated, CanonicalUser. */
  type: string;
  id: unknown;
}

export interface Statement {
  /** `Allow`, `Deny`, or unknown (`${…}`). */
  effect: unknown;
  actions: unknown[];
  /** NotAction: everything but the listed actions. */
  notActions: unknown[] | null;
  resources: unknown[];
  notResources: unknown[] | null;
  /** null when the statement names no principal (identity policies). */
  principals: Principal[] | null;
  notPrincipals: Principal[] | null;
  hasCondition: boolean;
  /** Where the statement sits inside the resource body (for the finding's line). */
  path: Path;
}

export interface PolicyDocument {
  statements: Statement[];
  /** `data.aws_iam_policy_document.x` when the document came from one; its file when not this one. */
  source?: { address: string; file: string };
  /** Parts that could not be read (source_policy_documents, dynamic statements): never judged. */
  partial: boolean;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function principalsOf(value: unknown): Principal[] | null {
  if (value === undefined) return null;
  if (value === '*') return [{ type: '*', id: '*' }];
  if (isRecord(value)) return Object.entries(value).flatMap(([type, ids]) => asList(ids).map((id) => ({ type, id })));
  return [{ type: 'unknown', id: value }];
}

/** The statements of a JSON policy object (`{ Statement: [...] }`). */
function jsonStatements(doc: unknown, base: Path): Statement[] | null {
  if (!isRecord(doc)) return null;
  const raw = doc.Statement ?? doc.statement;
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
  return list.filter(isRecord).map((s, i) => ({
    effect: s.Effect,
    actions: asList(s.Action),
    notActions: s.NotAction === undefined ? null : asList(s.NotAction),
    resources: asList(s.Resource),
    notResources: s.NotResource === undefined ? null : asList(s.NotResource),
    principals: principalsOf(s.Principal),
    notPrincipals: s.NotPrincipal === undefined ? null : principalsOf(s.NotPrincipal),
    hasCondition: s.Condition !== undefined && !(isRecord(s.Condition) && Object.keys(s.Condition).length === 0),
    path: Array.isArray(raw) ? [...base, 'Statement', i] : [...base, 'Statement'],
  }));
}

/** The statements of a `data "aws_iam_policy_document"` body. */
export function documentStatements(body: Record<string, unknown>): { statements: Statement[]; partial: boolean } {
  const tfPrincipals = (list: Record<string, unknown>[]): Principal[] | null =>
    list.length === 0 ? null : list.flatMap((p) => asList(p.identifiers).map((id) => ({ type: String(p.type ?? 'unknown'), id })));
  const statements = blocks(body, 'statement').map((s, i) => ({
    effect: s.effect ?? 'Allow', // the data source's default
    actions: asList(s.actions),
    notActions: s.not_actions === undefined ? null : asList(s.not_actions),
    resources: asList(s.resources),
    notResources: s.not_resources === undefined ? null : asList(s.not_resources),
    principals: tfPrincipals(blocks(s, 'principals')),
    notPrincipals: tfPrincipals(blocks(s, 'not_principals')),
    hasCondition: blocks(s, 'condition').length > 0 || hasDynamic(s, 'condition'),
    path: ['statement', i] as Path,
  }));
  const partial =
    hasDynamic(body, 'statement') ||
    ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'].some((k) => body[k] !== undefined);
  return { statements, partial };
}

/**
 * The policy document in `attribute` of `resource`: literal JSON (quoted or heredoc), `jsonencode(…)`,
 * or a reference to a `data "aws_iam_policy_document"` found in the same module. `undefined` when
 * absent, `'unknown'` when it cannot be read (a variable, `file(…)`, a document not found).
 */
export function policyDocument(
  ctx: Pick<RuleContext, 'scanned' | 'repository'>,
  resource: Resource,
  value: unknown,
  base: Path,
): PolicyDocument | 'unknown' | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (isRecord(value)) {
    // `.tf.json` may hold the document as an object.
    const statements = jsonStatements(value, base);
    return statements ? { statements, partial: false } : 'unknown';
  }
  if (typeof value !== 'string') return 'unknown';
  const trimmed = value.trim();
  if (trimmed.startsWith('${') && trimmed.endsWith('}') && !trimmed.slice(2).includes('${')) {
    const ref = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/.exec(trimmed);
    if (ref) {
      const doc = resolveAddress(ctx, resource, { block: 'data', type: 'aws_iam_policy_document', name: ref[1]! });
      if (!doc) return 'unknown';
      const { statements, partial } = documentStatements(doc.body);
      // The statements sit in the data block; the finding stays on the policy attribute.
      return { statements: statements.map((s) => ({ ...s, path: base })), partial, source: { address: doc.id, file: doc.file } };
    }
  }
  if (trimmed.startsWith('${')) {
    if (!/^\$\{\s*(jsonencode|yamlencode)\s*\(/.test(trimmed)) return 'unknown';
    const decoded = hclExpressionValue(trimmed);
    const statements = jsonStatements(decoded, base);
    return statements ? { statements, partial: false } : 'unknown';
  }
  try {
    const statements = jsonStatements(JSON.parse(trimmed), base);
    return statements ? { statements, partial: false } : 'unknown';
  } catch {
    return 'unknown'; // a template with interpolation outside strings, or not JSON at all
  }
}

/** Allow, as far as the document says; an unknown effect is not judged. */
export function allows(statement: Statement): boolean {
  return statement.effect === 'Allow';
}

/** A principal that is anyone: `"*"` or `{ AWS = "*" }`. */
export function anyPrincipal(statement: Statement): boolean {
  return (statement.principals ?? []).some((p) => p.id === '*' && (p.type === '*' || p.type === 'AWS'));
}

/** Whether an action pattern is literally `*` or `service:*`. */
export function wildcardAction(action: unknown): boolean {
  return typeof action === 'string' && !isUnknown(action) && (action.trim() === '*' || /^[\w-]+:\*$/.test(action.trim()));
}

// ---- IAM actions ----

/** Verbs that change something, or hand out credentials and data: never on `Resource: "*"`. */
const WRITE_VERBS = [
  'Put', 'Create', 'Delete', 'Update', 'Attach', 'Detach', 'Modify', 'Set', 'Add', 'Remove', 'Upload', 'Write', 'Pass',
  'Start', 'Stop', 'Run', 'Terminate', 'Reboot', 'Replace', 'Associate', 'Disassociate', 'Enable', 'Disable', 'Import',
  'Copy', 'Restore', 'Send', 'Publish', 'Register', 'Deregister', 'Change', 'Reset', 'Cancel', 'Invoke', 'Execute',
  'Abort', 'Complete', 'Initiate', 'Batch', 'Tag', 'Untag', 'Encrypt', 'ReEncrypt', 'GenerateDataKey', 'Sign', 'Decrypt',
  'Assume', 'Restore', 'Receive', 'Purge',
];
/** Reads of the data itself (model weights, secrets), not of metadata. */
const DATA_READS = [
  's3:GetObject', 's3:GetObjectVersion', 'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters',
  'ssm:GetParametersByPath', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'kinesis:GetRecords',
  'ecr:GetDownloadUrlForLayer', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'athena:GetQueryResults',
  'sagemaker:GetRecord', 'glue:GetTable', 'elasticfilesystem:ClientMount', 'fsx:DescribeFileSystems',
].map((a) => a.toLowerCase());
/** Actions AWS only grants on `*` (no resource-level permissions). */
const STAR_ONLY = new Set(
  ['cloudwatch:PutMetricData', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
    'ecr:GetAuthorizationToken', 'sts:GetCallerIdentity', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
    'ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterfacePermission'].map((a) => a.toLowerCase()),
);

/** Whether an action pattern can name a write or a data read (`s3:Get*` can: s3:GetObject). */
export function sensitiveAction(action: unknown): boolean {
  if (typeof action !== 'string' || isUnknown(action)) return false;
  const a = action.trim().toLowerCase();
  if (a === '*') return true;
  if (STAR_ONLY.has(a)) return false;
  const [service, verb = ''] = a.split(':');
  const glob = new RegExp(`^${verb.split('*').map(escapeRegExp).join('.*')}$`);
  if (DATA_READS.some((d) => d.startsWith(`${service}:`) && glob.test(d.slice(service!.length + 1)))) return true;
  const literal = verb.split('*')[0]!;
  return WRITE_VERBS.some((w) => {
    const lw = w.toLowerCase();
    return verb.includes('*') ? lw.startsWith(literal) || literal.startsWith(lw) : literal.startsWith(lw);
  });
}

/** The identity policies a resource carries: `policy` of aws_iam_*_policy, `inline_policy` blocks of a role. */
export const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'] as const;

export function identityPolicies(ctx: Pick<RuleContext, 'scanned' | 'repository'>, resource: Resource): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  const add = (value: unknown, base: Path) => {
    const doc = policyDocument(ctx, resource, value, base);
    if (doc && doc !== 'unknown') out.push(doc);
  };
  if (resource.kind === 'aws_iam_role') blocks(resource.body, 'inline_policy').forEach((b, i) => add(b.policy, ['inline_policy', i, 'policy']));
  else add(resource.body.policy, ['policy']);
  return out;
}

/** `" (in data.aws_iam_policy_document.x, other.tf)"`: where a finding's statement really is. */
export function sourceNote(doc: PolicyDocument, resource: Resource): string {
  if (!doc.source) return '';
  return doc.source.file === resource.file ? ` (statement in \`${doc.source.address}\`)` : ` (statement in \`${doc.source.address}\`, ${doc.source.file})`;
}

export function listText(values: readonly unknown[]): string {
  return values.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ');
}

// ---- one setting with a provider default ----

export interface SettingShape<M extends string> {
  /** Native path: attribute names and block indices, `['vpc_config', 0, 'endpoint_public_access']`. */
  path: Path;
  message: M;
  /** Whether a known value (or the provider's default, when absent) is insecure. */
  bad: (value: unknown) => boolean;
  /** The provider's default when the attribute is absent; leave out when absence is itself the finding. */
  defaultValue?: unknown;
  /** Skip resources this does not apply to. */
  when?: (body: Record<string, unknown>) => boolean;
  fix?: { description: string; value: unknown; applicability?: 'safe' | 'unsafe'; extra?: FixSpec['ops'] };
}

/** `state` for messages: what the file says, or that it says nothing and what the provider then does. */
export function describeSetting(path: Path, value: unknown, defaultValue?: unknown): string {
  const name = String(path[path.length - 1]);
  if (value === undefined) {
    return defaultValue === undefined ? `\`${name}\` is not set` : `\`${name}\` is not set, and the provider's default is ${JSON.stringify(defaultValue)}`;
  }
  return `\`${name} = ${JSON.stringify(value)}\``;
}

/** A check for one attribute: unknown values are never judged; an absent one is judged by the provider default. */
export function setting<M extends string>(shape: SettingShape<M>) {
  return (target: { resource: Resource; node: Record<string, unknown> }, ctx: Pick<RuleContext<M>, 'report'>): void => {
    if (shape.when && !shape.when(target.node)) return;
    // Inside a dynamic block the value is generated at plan time.
    const parent = shape.path.slice(0, -1).find((seg) => typeof seg === 'string');
    if (parent !== undefined && hasDynamic(target.node, String(parent)) && attr(target.node, shape.path) === undefined) return;
    const value = attr(target.node, shape.path);
    if (value !== undefined && isUnknown(value)) return;
    const judged = value === undefined ? shape.defaultValue : value;
    if (!(value === undefined && shape.defaultValue === undefined) && !shape.bad(judged)) return;
    ctx.report({
      message: shape.message,
      at: shape.path,
      data: { name: target.resource.name, state: describeSetting(shape.path, value, shape.defaultValue) },
      fix: shape.fix && {
        description: shape.fix.description,
        applicability: shape.fix.applicability ?? 'safe',
        ops: [...(shape.fix.extra ?? []), { op: 'set', path: shape.path, value: shape.fix.value }],
      },
    });
  };
}

// ---- S3 buckets and their satellite resources ----

/** The resources that configure a bucket since AWS provider v4, joined to it by `bucket`. */
export function bucketSatellites(ctx: Pick<RuleContext, 'scanned' | 'repository'>, bucket: Resource, type: string): Resource[] {
  return relatedResources(ctx, bucket, [type], ['bucket'], 'bucket');
}

/** `count`/`for_each` resources: a fix that adds a sibling would need the same expansion. */
export function isExpanded(resource: Resource): boolean {
  return resource.body.count !== undefined || resource.body.for_each !== undefined;
}

// ---- resource policies open to anyone ----

/** Allow statements of a resource policy that let any principal in without a condition. */
export function publicStatements(doc: PolicyDocument): Statement[] {
  return doc.statements.filter((s) => allows(s) && anyPrincipal(s) && !s.hasCondition);
}

/** A rule shape: report every Allow statement open to anyone, in the policy held by the `policy` attribute. */
export function publicPolicyStatements<M extends string>(message: M) {
  return (target: ResourceTarget, ctx: RuleContext<M>): void => {
    const doc = policyDocument(ctx, target.resource, target.node.policy, ['policy']);
    if (!doc || doc === 'unknown') return;
    for (const statement of publicStatements(doc)) {
      ctx.report({
        message,
        at: statement.path,
        data: { name: target.resource.name, actions: listText(statement.actions.length ? statement.actions : ['(NotAction)']), source: sourceNote(doc, target.resource) },
      });
    }
  };
}
