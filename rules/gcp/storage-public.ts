import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { blocks, isUnknown, listOf, referencesIn, resolveAddress } from '../../src/engine/terraform.js';

const PUBLIC = /^(allUsers|allAuthenticatedUsers)$/;
const who = (member: string) => (member.startsWith('allAuthenticated') ? 'every Google account' : 'anyone on the internet');

export default defineRule({
  id: 'gcp/storage-public',
  severity: 'critical',
  title: 'Cloud Storage bucket open to allUsers',
  fixable: false,
  scope: 'resource',
  kinds: [
    'google_storage_bucket_iam_binding', 'google_storage_bucket_iam_member', 'google_storage_bucket_iam_policy',
    'google_storage_bucket_access_control', 'google_storage_default_object_access_control', 'google_storage_object_access_control',
    'google_storage_bucket_acl', 'google_storage_default_object_acl',
  ],
  docs: {
    why:
      '`allUsers` is anyone on the internet and `allAuthenticatedUsers` is anyone with a Google account: granted on a bucket ' +
      'that holds model weights, datasets or Vertex AI artifacts, they can be listed and downloaded (or, with write roles, replaced) by strangers.',
    fix:
      'Grant roles to the service accounts and groups that need them. Enforce `public_access_prevention = "enforced"` on the ' +
      'bucket (and the `storage.publicAccessPrevention` organization policy) so such a grant is refused.',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation 5.1 (buckets not anonymously or publicly accessible)',
    nist: 'NIST SP 800-53 AC-3, AC-21',
    checkov: 'CKV_GCP_28',
    kics: 'a6cd52a1-3056-4910-96a5-894de9f3f3b3, c010082c-76e0-4b91-91d9-6e8439e455dd',
  },
  messages: {
    public: '`{{name}}` grants {{role}} to `{{member}}`: {{who}} can reach the bucket.',
  },
  check(target, ctx) {
    const body = target.node;
    const name = target.resource.name;
    const report = (member: string, role: unknown, at: Path) =>
      ctx.report({ message: 'public', at, data: { name, member, role: typeof role === 'string' && !isUnknown(role) ? `\`${role}\`` : 'access', who: who(member) } });
    const check = (value: unknown, role: unknown, at: Path, isList: boolean) => {
      const list = listOf(value);
      if (!Array.isArray(list)) return;
      list.forEach((m, i) => {
        if (typeof m === 'string' && PUBLIC.test(m)) report(m, role, isList ? [...at, i] : at);
      });
    };
    switch (target.resource.terraform?.type) {
      case 'google_storage_bucket_iam_binding':
        return check(body.members, body.role, ['members'], Array.isArray(body.members));
      case 'google_storage_bucket_iam_member':
        return check(body.member, body.role, ['member'], false);
      case 'google_storage_bucket_iam_policy': {
        // policy_data = data.google_iam_policy.x.policy_data
        for (const ref of referencesIn(body.policy_data).filter((r) => r.block === 'data' && r.type === 'google_iam_policy')) {
          const doc = resolveAddress(ctx, target.resource, ref);
          for (const binding of blocks(doc?.body, 'binding')) check(binding.members, binding.role, ['policy_data'], false);
        }
        return;
      }
      case 'google_storage_bucket_acl':
      case 'google_storage_default_object_acl': {
        const entries = listOf(body.role_entity);
        if (!Array.isArray(entries)) return;
        entries.forEach((entry, i) => {
          const m = typeof entry === 'string' ? /^([A-Z]+):(allUsers|allAuthenticatedUsers)$/.exec(entry) : null;
          if (m) report(m[2]!, m[1], ['role_entity', i]);
        });
        return;
      }
      default: // *_access_control: entity = "allUsers"
        return check(body.entity, body.role, ['entity'], false);
    }
  },
});
