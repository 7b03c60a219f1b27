import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import type { Path } from '../../src/model.js';
import { credentialIn } from './support/credentials.js';
import { isLiteralSecret, looksLikeCredential } from './secret-env-literal.js';

interface Hit {
  path: Path;
  credential: string;
}

/**
 * Every value of a manifest in a known credential format, with its path. Environment variables are
 * k8s/secret-env-literal's, and Secrets k8s/secret-committed's: not walked here. `path` is the walk's own stack
 * (copied only for a hit: every value of every manifest is visited).
 */
function findCredentials(node: unknown, path: (string | number)[], out: Hit[]): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      findCredentials(node[i], path, out);
      path.pop();
    }
    return;
  }
  if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'env') continue;
      path.push(key);
      findCredentials(value, path, out);
      path.pop();
    }
    return;
  }
  const credential = credentialIn(node);
  if (credential) out.push({ path: [...path], credential });
}

/** `.metadata.annotations["a.b/c"]` for people, from a path. */
function describe(path: Path): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : /^[\w-]+$/.test(seg) ? `${i === 0 ? '' : '.'}${seg}` : `[${JSON.stringify(seg)}]`))
    .join('');
}

export default defineRule({
  id: 'k8s/credential-literal',
  judges: 'written',
  severity: 'high',
  title: 'Credential written into a manifest',
  fixable: false,
  scope: 'resource',
  // Kubernetes objects, from YAML or from Terraform's kubernetes_* resources; a Secret is k8s/secret-committed's.
  applies: (resource) => resource.kind !== 'Secret' && (!resource.terraform || resource.kind !== resource.terraform.type),
  docs: {
    why:
      'A model server needs tokens (Hugging Face, object storage, an LLM provider, a feature store\'s database). ' +
      'Written into a ConfigMap, an annotation, a container argument or a model URI (`s3://…?token=`, ' +
      '`https://user:password@…`), the token is in git history for good, readable by everyone with read access to the ' +
      'repository, and by everyone who can read ConfigMaps or the object in the cluster, which is far more people ' +
      'than can read Secrets. Warden recognises credentials by their value: AWS access key ids, private keys, GitHub, ' +
      'GitLab, Hugging Face, OpenAI, Anthropic, Google and Slack tokens, URLs with a password; and in a ConfigMap, a ' +
      'literal under a key named like a credential (`db.password`; names ending in `_FILE`, `_PATH`, `_LOCATION` ' +
      'say where one is kept and are not flagged by name). Environment variables are k8s/secret-env-literal\'s, Secrets ' +
      '(a kustomization\'s `secretGenerator` too) k8s/secret-committed\'s.',
    fix:
      'Store the credential in a Secret created outside the repository (External Secrets, Sealed Secrets, Vault) and ' +
      'mount it, or reference it from the model server\'s storage configuration (KServe reads object-store ' +
      'credentials from the service account\'s Secrets). Then rotate it: removing it from the manifest does not remove ' +
      'it from git history.',
  },
  references: {
    cis: 'CIS Kubernetes 5.4.1 (prefer using secrets as files)',
    nist: 'NIST SP 800-190 4.1.4 (embedded clear text secrets)',
    links: ['https://kserve.github.io/website/latest/modelserving/storage/s3/s3/'],
  },
  messages: {
    value:
      '`{{where}}` of {{kind}} `{{name}}` holds {{credential}}: it is in git history and readable by everyone who can ' +
      'read the object. Move it into a Secret created outside the repository, then rotate it.',
    named:
      'Key `{{key}}` of ConfigMap `{{name}}` holds a credential as a literal value: ConfigMaps are readable far more ' +
      'widely than Secrets. Move it into a Secret created outside the repository, then rotate it.',
  },
  check: (target, ctx) => {
    const { resource } = target;
    const hits: Hit[] = [];
    // A kustomization's secretGenerator makes a Secret (k8s/secret-committed's, on the same lines).
    const walked = resource.kind === 'Kustomization' ? Object.fromEntries(Object.entries(resource.body).filter(([key]) => key !== 'secretGenerator')) : resource.body;
    findCredentials(walked, [], hits);
    // A kustomization has no name of its own: its file names it.
    const name = resource.name || resource.file;
    for (const hit of hits) {
      ctx.report({ message: 'value', at: hit.path, data: { where: describe(hit.path), kind: resource.kind, name, credential: hit.credential } });
    }
    if (resource.kind !== 'ConfigMap' || !isRecord(resource.body.data)) return;
    for (const [key, value] of Object.entries(resource.body.data)) {
      // A multi-line value is a file (its name says what it configures), searched by value above.
      if (credentialIn(value) || !looksLikeCredential(key) || !isLiteralSecret(value) || String(value).includes('\n')) continue;
      ctx.report({ message: 'named', at: ['data', key], data: { key, name: resource.name } });
    }
  },
});
