import { defineRule } from '../../src/engine/define-rule.js';
import { allowsAction, isUnknown, policyDocument, sourceNote, type ConditionEntry, type Statement } from '../../src/engine/terraform.js';

/**
 * A subject pattern that names no one: `*`, or a wildcard right after the kind of subject (`repo:*`, any repository
 * on GitHub; `system:serviceaccount:*`, any service account of the cluster).
 */
const ANY_SUBJECT = /^(\*|repo:\*|system:serviceaccount:\*)/;

/** What a condition entry says of the token's subject: that it names one, none, or nothing Warden can read. */
function subjectScope(entry: ConditionEntry): 'names' | 'any' | 'unknown' | null {
  const { operator, key } = entry;
  if (typeof operator !== 'string' || typeof key !== 'string' || isUnknown(operator) || isUnknown(key)) return 'unknown';
  // `ForAllValues:` holds when the token has no such key; `Null` tests presence only.
  if (!/:sub$/i.test(key) || /^ForAllValues:|^Null$/i.test(operator)) return null;
  if (entry.values.some((v) => typeof v !== 'string' || isUnknown(v))) return 'unknown';
  const like = /Like(IfExists)?$/i.test(operator);
  return entry.values.length > 0 && entry.values.every((v) => like && ANY_SUBJECT.test(v as string)) ? 'any' : 'names';
}

/** The OIDC providers a statement trusts as web identities (SAML providers and Cognito are not these). */
function oidcProviders(statement: Statement): unknown[] {
  return (statement.principals ?? [])
    .filter((p) => p.type === 'Federated' && !(typeof p.id === 'string' && !isUnknown(p.id) && (/:saml-provider\//.test(p.id) || p.id === 'cognito-identity.amazonaws.com')))
    .map((p) => p.id);
}

/** `token.actions.githubusercontent.com` of a provider's ARN; its OIDC provider when it is not known. */
function providerName(id: unknown): string {
  const host = typeof id === 'string' && !isUnknown(id) ? /:oidc-provider\/(.+)$/.exec(id)?.[1] : undefined;
  return host ? `\`${host}\`` : 'its OIDC provider';
}

export default defineRule({
  id: 'aws/iam-oidc-trust-unscoped',
  severity: 'high',
  title: 'IAM role any identity of an OIDC provider can assume',
  fixable: false,
  scope: 'resource',
  kinds: ['aws_iam_role'],
  docs: {
    why:
      'A role trusted by an OIDC provider (an EKS cluster\'s, for IRSA; GitHub Actions\'; any other) is assumed with a ' +
      'token the provider signed. Without a condition on the token\'s subject (`<provider>:sub`), every identity the ' +
      'provider signs for may assume it: with an EKS cluster\'s provider, every service account in every namespace of the ' +
      'cluster; with GitHub Actions\', a workflow of any repository on GitHub, anyone\'s. For a model-serving role, that ' +
      'is the model bucket, the registry and whatever else the role holds. A subject such as `repo:*` or ' +
      '`system:serviceaccount:*` names no one either. A condition Warden cannot read is taken as naming one.',
    fix:
      'Add a `StringEquals` condition on `<provider>:sub` naming the subject that may assume the role: ' +
      '`system:serviceaccount:<namespace>:<service account>` for IRSA, `repo:<owner>/<repository>:ref:refs/heads/main` ' +
      '(or `:environment:<name>`) for GitHub Actions; and one on `<provider>:aud` (`sts.amazonaws.com`).',
  },
  references: {
    nist: 'NIST SP 800-53 AC-3, AC-6',
    checkov: 'CKV_AWS_358',
    links: [
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
    ],
  },
  messages: {
    unscoped:
      'The trust policy of role `{{name}}` lets any identity of {{provider}} assume it: no condition on the token\'s subject ' +
      '(`:sub`) names which{{source}}. With an EKS cluster\'s provider that is every service account of the cluster, with ' +
      'GitHub Actions\' a workflow of any repository. Add a `StringEquals` condition on `<provider>:sub` naming the subject.',
  },
  check(target, ctx) {
    const doc = policyDocument(ctx, target.resource, target.node.assume_role_policy, ['assume_role_policy']);
    if (!doc || doc === 'unknown') return;
    for (const statement of doc.statements) {
      const providers = oidcProviders(statement);
      if (providers.length === 0 || !allowsAction(statement, 'sts:AssumeRoleWithWebIdentity') || statement.conditionsUnread) continue;
      // Conditions are ANDed: one that names a subject (or that Warden cannot read) is enough.
      const scopes = statement.conditions.map(subjectScope);
      if (scopes.includes('names') || scopes.includes('unknown')) continue;
      ctx.report({ message: 'unscoped', at: statement.path, data: { name: target.resource.name, provider: providerName(providers[0]), source: sourceNote(doc, target.resource, statement) } });
    }
  },
});
