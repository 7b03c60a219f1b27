import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { eachItem, isUnknown } from '../../src/engine/shapes.js';
import { credentialIn } from './support/credentials.js';

/**
 * Words of a variable name (`HF_API_TOKEN` → hf, api, token; `openaiApiKey` → openai, api, key). Matching
 * whole words keeps `MAX_TOKENS`, `TOKENIZER_PATH` and `TOKENIZERS_PARALLELISM` (inference settings) out.
 */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'secret', 'token', 'apikey', 'credential', 'credentials', 'passphrase', 'secretkey', 'accesskey', 'privatekey', 'pat']);
const SECRET_PAIRS = [['api', 'key'], ['access', 'key'], ['private', 'key'], ['secret', 'key'], ['auth', 'key'], ['client', 'secret']];
/**
 * A trailing word that makes the variable about a credential, not the credential itself
 * (`KAFKA_CLIENT_SASL_PASSWORD_LOCATION` names where the password is): never flagged by its name alone.
 */
const NOT_THE_SECRET = new Set(['file', 'path', 'location', 'dir', 'name', 'url', 'uri', 'endpoint', 'header', 'type', 'id', 'ttl', 'expiry', 'length', 'enabled', 'mount', 'ref']);

export function looksLikeCredential(name: string): boolean {
  const w = words(name);
  if (w.length === 0 || NOT_THE_SECRET.has(w[w.length - 1]!)) return false;
  if (w.some((word) => SECRET_WORDS.has(word))) return true;
  return SECRET_PAIRS.some(([a, b]) => w.some((word, i) => word === a && w[i + 1] === b));
}

/** Values that are not credentials: empty, booleans, numbers, variable references, file paths. */
export function isLiteralSecret(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '' || isUnknown(v) || /^\$\([\w.-]+\)$/.test(v)) return false;
  if (/^(true|false|yes|no|on|off|none|null|-?\d+(\.\d+)?)$/i.test(v)) return false;
  return !/^\/[\w./-]*$/.test(v);
}

export default defineRule({
  id: 'k8s/secret-env-literal',
  judges: 'written',
  severity: 'high',
  title: 'Credential written into an environment variable',
  fixable: false,
  scope: 'container',
  docs: {
    why:
      'A token written as a literal `value` is in the repository history for good, readable by everyone with read ' +
      'access, printed by `kubectl describe`, and copied into every ReplicaSet. Model servers often need exactly ' +
      'such tokens (Hugging Face, object storage, an LLM provider), and a leaked one gives away the model weights ' +
      'or a billing account. Warden flags a literal value when the variable\'s name says it is a credential (a name ' +
      'ending in `_FILE`, `_PATH` or `_LOCATION` says where one is kept, and is never flagged by its name alone), and, ' +
      'whatever the name, a value in a known credential format: AWS access key ids, private keys, GitHub, GitLab, ' +
      'Hugging Face, OpenAI, Anthropic, Google and Slack tokens, URLs with a password.',
    fix:
      'Store the value in a Secret created outside the repository (External Secrets, Sealed Secrets, Vault) and ' +
      'reference it: `valueFrom: {secretKeyRef: {name: hf-token, key: token}}`. Then rotate the leaked credential: ' +
      'removing it from the manifest does not remove it from git history.',
  },
  references: {
    cis: 'CIS Kubernetes 5.4.1 (prefer secrets as files over environment variables)',
    nist: 'NIST SP 800-190 4.1.4 (embedded clear text secrets)',
    kubeLinter: 'env-var-secret',
  },
  messages: {
    literal:
      'Environment variable `{{variable}}` of container `{{name}}` holds a credential as a literal value. Move it ' +
      'into a Secret and use `valueFrom.secretKeyRef`, then rotate it: it stays in git history.',
    known:
      'Environment variable `{{variable}}` of container `{{name}}` holds {{credential}} as a literal value. Move it ' +
      'into a Secret and use `valueFrom.secretKeyRef`, then rotate it: it stays in git history.',
  },
  check: eachItem<'container', 'literal' | 'known'>({
    path: 'env',
    message: 'literal',
    match: (item): { at: string; message?: 'known'; data: Record<string, string> } | null => {
      if (!isRecord(item) || typeof item.name !== 'string') return null;
      // A value in a token format is a credential whatever the variable is called (`DB_URL`, `MODEL_PATH`).
      const credential = credentialIn(item.value);
      if (credential) return { at: 'value', message: 'known', data: { variable: item.name, credential } };
      if (!looksLikeCredential(item.name) || !isLiteralSecret(item.value)) return null;
      return { at: 'value', data: { variable: item.name } };
    },
  }),
});
