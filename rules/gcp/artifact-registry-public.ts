import { defineRule } from '../../src/engine/define-rule.js';
import type { Path } from '../../src/model.js';
import { isUnknown, listOf } from '../../src/engine/terraform.js';

const PUBLIC = /^(allUsers|allAuthenticatedUsers)$/;

export default defineRule({
  id: 'gcp/artifact-registry-public',
  severity: 'critical',
  title: 'Artifact Registry repository open to allUsers',
  fixable: false,
  scope: 'resource',
  kinds: ['google_artifact_registry_repository_iam_member', 'google_artifact_registry_repository_iam_binding'],
  docs: {
    why:
      '`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account: granted on the repository ' +
      'of model-serving images, they can pull the model server and the weights baked into it (and, with writer roles, replace them). ' +
      'Container Registry (gcr.io) images sit in a Cloud Storage bucket, which gcp/storage-public checks.',
    fix:
      'Grant `roles/artifactregistry.reader` to the GKE node or Vertex AI service accounts that pull the images, never to `allUsers`.',
  },
  references: {
    cis: 'CIS Google Cloud Platform Foundation (resources not anonymously or publicly accessible)',
    nist: 'NIST SP 800-53 AC-3, AC-21',
    checkov: 'CKV_GCP_101',
  },
  messages: {
    public: '`{{name}}` grants {{role}} on the repository to `{{member}}`: {{who}} can pull its model images.',
  },
  check(target, ctx) {
    const body = target.node;
    const single = target.resource.terraform?.type === 'google_artifact_registry_repository_iam_member';
    const value = single ? body.member : body.members;
    const list = listOf(value);
    if (!Array.isArray(list)) return;
    list.forEach((member, i) => {
      if (typeof member !== 'string' || !PUBLIC.test(member)) return;
      const at: Path = single ? ['member'] : Array.isArray(value) ? ['members', i] : ['members'];
      const role = typeof body.role === 'string' && !isUnknown(body.role) ? `\`${body.role}\`` : 'access';
      ctx.report({ message: 'public', at, data: { name: target.resource.name, role, member, who: member === 'allUsers' ? 'anyone on the internet' : 'every Google account' } });
    });
  },
});
