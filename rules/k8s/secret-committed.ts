import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { isUnknown } from '../../src/engine/shapes.js';

function literalKeys(map: unknown): string[] {
  if (!isRecord(map)) return [];
  // A Terraform value taken from a variable or a data source is not committed: only literals are.
  return Object.entries(map)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && !isUnknown(v))
    .map(([k]) => k);
}

export default defineRule({
  id: 'k8s/secret-committed',
  judges: 'written',
  severity: 'high',
  title: 'Secret values committed to the repository',
  fixable: false,
  scope: 'resource',
  kinds: ['Secret'],
  docs: {
    why:
      'A Secret manifest holds its values in base64, which is an encoding, not encryption: anyone who can read the ' +
      'repository (and every fork and CI log) has the storage keys, registry credentials or API tokens of the model ' +
      'service, forever, since git history keeps them.',
    fix:
      'Remove `data`/`stringData` from the repository and create the Secret from a secret store: Sealed Secrets ' +
      '(encrypted in git), External Secrets Operator or the Vault/CSI secrets-store driver. In Terraform, read ' +
      'values from variables marked `sensitive` or from a secrets manager data source. Rotate the committed values.',
  },
  references: {
    cis: 'CIS Kubernetes 5.4.2 (consider external secret storage)',
    nist: 'NIST SP 800-190 4.1.4 (embedded clear text secrets)',
    links: ['https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets'],
  },
  messages: {
    committed: 'Secret `{{name}}` commits {{count}} value(s) ({{keys}}) in `{{field}}`: base64 is not encryption. Use Sealed Secrets, External Secrets or Vault, and rotate these values.',
  },
  check: (target, ctx) => {
    for (const field of ['data', 'stringData'] as const) {
      const keys = literalKeys(target.node[field]);
      if (keys.length === 0) continue;
      ctx.report({ message: 'committed', at: field, data: { name: target.resource.name, field, count: keys.length, keys: keys.map((k) => `\`${k}\``).join(', ') } });
    }
  },
});
