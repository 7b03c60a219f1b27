// IAM policy documents however they are written (literal JSON, heredoc, jsonencode, `data "aws_iam_policy_document"`),
// read into statements, and what the rules ask of them: wildcards, sensitive actions, anyone as principal.
import type { Path, Resource } from '../../model.js';
import { hclExpressionValue } from '../../formats/hcl.js';
import type { ResourceTarget, RuleContext } from '../define-rule.js';
import { isRecord } from '../path.js';
import { isUnknown } from '../shapes.js';
import { escapeRegExp } from '../../common/reg-exp.js';
import { resolveAddress } from './references.js';
import { blocks, hasDynamic, listText } from './values.js';

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
  /** A condition that narrows who or what the statement applies to (one that matches everything does not count). */
  hasCondition: boolean;
  /** The condition entries as written (operator, key, values). */
  conditions: ConditionEntry[];
  /** Its condition holds more than `conditions` says (a shape not read, a `dynamic "condition"` block). */
  conditionsUnread?: true;
  /** Where the statement sits inside the resource body (for the finding's line). */
  path: Path;
  /** Its `sid` as written (a data block's statement of the same sid overrides it when merged). */
  sid?: unknown;
  /** The data block it was written in, where that is not the document's own (`source_policy_documents`). */
  source?: { address: string; file: string };
}

export interface PolicyDocument {
  statements: Statement[];
  /** `data.aws_iam_policy_document.x` when the document came from one; its file when not this one. */
  source?: { address: string; file: string };
  /** Parts that could not be read (source_policy_documents, dynamic statements whose for_each is not known): never judged. */
  partial: boolean;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function principalsOf(value: unknown): Principal[] | null {
  if (value === undefined) return null;
  if (value === '*') return [{ type: '*', id: '*' }];
  if (isRecord(value)) return Object.entries(value).flatMap(([type, ids]) => asList(ids).map((id) => ({ type, id })));
  return [{ type: 'unknown', id: value }];
}

// ---- conditions ----

export interface ConditionEntry {
  operator: unknown;
  key: unknown;
  values: unknown[];
}

/** Condition keys whose values are ARNs: a wildcard account in them matches every AWS account. */
const ARN_KEYS = /^aws:(PrincipalArn|SourceArn|SourceOwner)$/i;

/**
 * Whether one condition entry narrows anything. It does not when it matches every request: `ForAllValues:` (true
 * when the request has no such key at all), or only wildcards for an account: `*`, or an ARN such as
 * `arn:aws:iam::*` / `arn:aws:iam::*:role/x` whose account is a wildcard. An unknown part is taken as narrowing
 * (never judged).
 */
function entryRestricts(entry: ConditionEntry): boolean {
  const { operator, key } = entry;
  if (typeof operator !== 'string' || typeof key !== 'string' || isUnknown(operator) || isUnknown(key)) return true;
  if (/^ForAllValues:/i.test(operator)) return false;
  // Only the *Like operators read wildcards; `StringEquals: "*"` matches the literal text.
  if (!/Like(IfExists)?$/i.test(operator)) return true;
  const wildcardOnly = (value: unknown): boolean => {
    if (typeof value !== 'string' || isUnknown(value)) return false;
    if (/^[*?]+$/.test(value)) return true;
    if (!ARN_KEYS.test(key)) return false;
    const parts = value.split(':');
    return parts.length <= 4 ? /\*$/.test(value) : /[*?]/.test(parts[4]!);
  };
  return !(entry.values.length > 0 && entry.values.every(wildcardOnly));
}

/** Conditions are ANDed: the statement is narrowed when any entry narrows. */
function restricts(entries: readonly ConditionEntry[]): boolean {
  return entries.some(entryRestricts);
}

/** `"Condition": { "Bool": { "aws:SecureTransport": "false" } }` → its entries; null when its shape is not readable. */
function jsonConditionEntries(condition: unknown): ConditionEntry[] | null {
  if (condition === undefined || condition === null) return [];
  if (!isRecord(condition)) return null;
  const entries: ConditionEntry[] = [];
  for (const [operator, byKey] of Object.entries(condition)) {
    if (!isRecord(byKey)) return null;
    for (const [key, values] of Object.entries(byKey)) entries.push({ operator, key, values: asList(values) });
  }
  return entries;
}

/** A statement's condition, read: whether it narrows anything (one not read is taken as narrowing: never judged), its entries. */
function conditionOf(entries: ConditionEntry[] | null, unread: boolean): Pick<Statement, 'hasCondition' | 'conditions' | 'conditionsUnread'> {
  return { hasCondition: unread || entries === null || restricts(entries), conditions: entries ?? [], ...(unread || entries === null ? { conditionsUnread: true as const } : {}) };
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
    ...conditionOf(jsonConditionEntries(s.Condition), false),
    path: Array.isArray(raw) ? [...base, 'Statement', i] : [...base, 'Statement'],
  }));
}

/** The statements of a `data "aws_iam_policy_document"` body. */
function documentStatements(body: Record<string, unknown>): { statements: Statement[]; partial: boolean } {
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
    ...conditionOf(blocks(s, 'condition').map((c) => ({ operator: c.test, key: c.variable, values: asList(c.values) })), hasDynamic(s, 'condition')),
    path: ['statement', i] as Path,
    ...(s.sid !== undefined && s.sid !== '' ? { sid: s.sid } : {}),
  }));
  const partial =
    hasDynamic(body, 'statement') ||
    ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'].some((k) => body[k] !== undefined);
  return { statements, partial };
}

/** How deep `source_policy_documents` are followed from one document (each a data block naming others). */
const MAX_MERGED_DEPTH = 8;

/**
 * The statements of a `data "aws_iam_policy_document"` with the documents it merges in, as the data source exports
 * them: `source_policy_documents` first, then its own `statement` blocks, then `override_policy_documents`, a later
 * statement replacing an earlier one of the same non-blank `sid`. Followed where each is another such data block of
 * the module; anything else (a variable, a literal JSON, `source_json`) leaves the document partial, and when an
 * override is not read, neither are the sources (it may replace any of them).
 */
function mergedStatements(ctx: Pick<RuleContext, 'scanned' | 'repository'>, doc: Resource, seen: ReadonlySet<string> = new Set()): { statements: Statement[]; partial: boolean } {
  const own = documentStatements(doc.body);
  const followed = (key: string): { statements: Statement[]; read: boolean } => {
    const listed = doc.body[key];
    if (listed === undefined) return { statements: [], read: true };
    if (!Array.isArray(listed) || seen.size >= MAX_MERGED_DEPTH) return { statements: [], read: false };
    const statements: Statement[] = [];
    let read = true;
    for (const entry of listed) {
      const ref = typeof entry === 'string' ? /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/.exec(entry.trim()) : null;
      const found = ref ? resolveAddress(ctx, doc, { block: 'data', type: 'aws_iam_policy_document', name: ref[1]! }) : undefined;
      if (!found || seen.has(found.id) || found.id === doc.id) {
        read = false;
        continue;
      }
      const merged = mergedStatements(ctx, found, new Set([...seen, doc.id]));
      read &&= !merged.partial;
      statements.push(...merged.statements.map((s) => ({ ...s, source: s.source ?? { address: found.id, file: found.file } })));
    }
    return { statements, read };
  };
  const overrides = followed('override_policy_documents');
  const sources = overrides.read ? followed('source_policy_documents') : { statements: [], read: false };
  const layered = [sources.statements, own.statements, overrides.statements].reduce<Statement[]>((earlier, later) => {
    const replaced = new Set(later.flatMap((s) => (s.sid === undefined ? [] : [String(s.sid)])));
    return [...earlier.filter((s) => s.sid === undefined || !replaced.has(String(s.sid))), ...later];
  }, []);
  const partial = hasDynamic(doc.body, 'statement') || !sources.read || !overrides.read || ['source_json', 'override_json'].some((k) => doc.body[k] !== undefined);
  return { statements: layered, partial };
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
      const { statements, partial } = mergedStatements(ctx, doc);
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

/**
 * Why a policy document written literally cannot be read: not JSON, or JSON without a `Statement`. Null when it
 * reads, or when it is not literal (interpolations, references, functions: unknown, never judged).
 */
export function policyDocumentProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.includes('${')) return null;
  const text = value.trim();
  if (text === '') return 'it is empty';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 160)})`;
  }
  if (!isRecord(parsed)) return 'it is not a JSON object';
  const statement = parsed.Statement;
  if (!Array.isArray(statement) && !isRecord(statement)) return 'it has no `Statement`';
  return null;
}

/** Allow, as far as the document says; an unknown effect is not judged. */
export function allows(statement: Statement): boolean {
  return statement.effect === 'Allow';
}

/** A principal that is anyone: `"*"` or `{ AWS = "*" }`. */
export function anyPrincipal(statement: Statement): boolean {
  return (statement.principals ?? []).some((p) => p.id === '*' && (p.type === '*' || p.type === 'AWS'));
}

/** Whether an action pattern (`iam:Put*`, `*`) matches an action name, as IAM does: case-insensitive globs. */
export function actionMatches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string' || isUnknown(pattern)) return false;
  const glob = new RegExp(`^${pattern.trim().split('*').map((part) => part.split('?').map(escapeRegExp).join('.')).join('.*')}$`, 'i');
  return glob.test(action);
}

/**
 * What an Allow statement with `NotAction` leaves out, each known: it allows every other action of every service.
 * Null for any other statement, and where one it leaves out is not known (that one may be anything).
 */
export function allButActions(statement: Statement): string[] | null {
  if (!allows(statement) || statement.notActions === null) return null;
  const known = statement.notActions.filter((a): a is string => typeof a === 'string' && !isUnknown(a));
  return known.length === statement.notActions.length ? known : null;
}

/** Whether an Allow statement allows `action`: by one of its actions, or by `NotAction` that leaves it in. */
export function allowsAction(statement: Statement, action: string): boolean {
  if (!allows(statement)) return false;
  const allBut = allButActions(statement);
  if (allBut) return !allBut.some((pattern) => actionMatches(pattern, action));
  return statement.notActions === null && statement.actions.some((pattern) => actionMatches(pattern, action));
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

/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters, in O(pattern × text) steps. The
 * pattern comes from the pull request: a regular expression built from `a*a*a*…b` backtracks exponentially.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether an action pattern can name a write or a data read (`s3:Get*` can: s3:GetObject). */
export function sensitiveAction(action: unknown): boolean {
  if (typeof action !== 'string' || isUnknown(action)) return false;
  const a = action.trim().toLowerCase();
  if (a === '*') return true;
  if (STAR_ONLY.has(a)) return false;
  const [service, verb = ''] = a.split(':');
  if (DATA_READS.some((d) => d.startsWith(`${service}:`) && wildcardMatch(verb, d.slice(service!.length + 1)))) return true;
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
export function sourceNote(doc: PolicyDocument, resource: Resource, statement?: Statement): string {
  const source = statement?.source ?? doc.source;
  if (!source) return '';
  return source.file === resource.file ? ` (statement in \`${source.address}\`)` : ` (statement in \`${source.address}\`, ${source.file})`;
}

// ---- resource policies open to anyone ----

/** Allow statements of a resource policy that let any principal in without a condition. */
export function publicStatements(doc: PolicyDocument): Statement[] {
  return doc.statements.filter((s) => allows(s) && anyPrincipal(s) && !s.hasCondition);
}

/** A rule shape: report every Allow statement open to anyone, in the policy held by `attribute` (default `policy`). */
export function publicPolicyStatements<M extends string>(message: M, attribute = 'policy') {
  return (target: ResourceTarget, ctx: RuleContext<M>): void => {
    const doc = policyDocument(ctx, target.resource, target.node[attribute], [attribute]);
    if (!doc || doc === 'unknown') return;
    for (const statement of publicStatements(doc)) {
      ctx.report({
        message,
        at: statement.path,
        data: { name: target.resource.name, actions: listText(statement.actions.length ? statement.actions : ['(NotAction)']), source: sourceNote(doc, target.resource, statement) },
      });
    }
  };
}
