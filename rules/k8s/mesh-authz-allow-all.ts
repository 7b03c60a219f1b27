import { defineRule } from '../../src/engine/define-rule.js';
import { getIn, isRecord } from '../../src/engine/path.js';
import type { Path } from '../../src/model.js';
import { apiGroup } from './support/k8s.js';

/** Source fields that narrow who may call, and the values that narrow nothing. */
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const EVERYONE = new Set(['*', '0.0.0.0/0', '::/0']);

/** A source that matches every caller: empty, or only wildcard principals/namespaces/addresses. */
function sourceIsAnyone(source: unknown): boolean {
  if (!isRecord(source)) return true;
  const fields = SOURCE_FIELDS.filter((f) => Array.isArray(source[f]) && (source[f] as unknown[]).length > 0);
  if (fields.length === 0) return true;
  return fields.every((f) => !f.startsWith('not') && (source[f] as unknown[]).every((v) => typeof v === 'string' && EVERYONE.has(v)));
}

/** The rules of an ALLOW AuthorizationPolicy that let every caller in. */
export function openRules(body: Record<string, unknown>): { index: number; at: Path; what: string }[] {
  const action = getIn(body, ['spec', 'action']);
  if (action !== undefined && action !== 'ALLOW') return [];
  const rules = getIn(body, ['spec', 'rules']);
  if (!Array.isArray(rules)) return []; // an ALLOW policy without rules allows nothing
  return rules.flatMap((rule, i) => {
    const r = isRecord(rule) ? rule : {};
    // Conditions can restrict the caller (source.ip, request.auth.*): not judged here.
    if (Array.isArray(r.when) && r.when.length > 0) return [];
    const from = Array.isArray(r.from) ? r.from : [];
    const open = from.length === 0 || from.some((f) => sourceIsAnyone(isRecord(f) ? f.source : undefined));
    if (!open) return [];
    const at: Path = from.length === 0 ? ['spec', 'rules', i] : ['spec', 'rules', i, 'from'];
    return [{ index: i, at, what: Array.isArray(r.to) && r.to.length > 0 ? 'the listed operations' : 'every request' }];
  });
}

export default defineRule({
  id: 'k8s/mesh-authz-allow-all',
  severity: 'medium',
  title: 'Istio AuthorizationPolicy that allows every source',
  fixable: false,
  scope: 'resource',
  kinds: ['AuthorizationPolicy'],
  docs: {
    why:
      'An ALLOW policy with a rule that names no source (an empty rule `{}`, a rule without `from`, or a source of ' +
      'only `*`) lets every caller in, and once one ALLOW policy matches, a deny-by-default posture for the model ' +
      'server is gone: any workload in the mesh, or outside it in PERMISSIVE mode, can query the model.',
    fix:
      'Name the callers in `from.source`: the ingress gateway\'s `principals` ' +
      '(`cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account`) or the client namespaces, and add ' +
      '`when` conditions (for example on `request.auth.claims`) for end-user access. A rule with `when` conditions ' +
      'is not flagged.',
  },
  references: {
    nist: 'NIST SP 800-204B (attribute-based access control for microservices)',
    links: ['https://istio.io/latest/docs/reference/config/security/authorization-policy/'],
  },
  messages: {
    anyone: 'AuthorizationPolicy `{{name}}` rule {{index}} allows {{what}} from every source. Name the callers in `from.source` (the gateway\'s principal or client namespaces).',
  },
  check: (target, ctx) => {
    if (apiGroup(target.resource) !== 'security.istio.io') return;
    for (const open of openRules(target.node)) ctx.report({ message: 'anyone', at: open.at, data: { name: target.resource.name, index: open.index + 1, what: open.what } });
  },
});
