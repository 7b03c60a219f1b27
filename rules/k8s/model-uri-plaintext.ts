import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import type { Path } from '../../src/model.js';

/** Fields that name where model weights are downloaded from (KServe, Seldon v1 and v2). */
const URI_KEYS = new Set(['storageUri', 'storageUris', 'modelUri']);
/** Environment variables KServe and Seldon custom servers read the same location from. */
const URI_ENV = /^(STORAGE_URI|MODEL_URI|MODEL_URL|PREDICTIVE_UNIT_MODEL_URI)$/;
const MODEL_KINDS = ['InferenceService', 'TrainedModel', 'InferenceGraph', 'ServingRuntime', 'ClusterServingRuntime', 'SeldonDeployment', 'Model'];

function plaintext(value: unknown): boolean {
  return typeof value === 'string' && /^http:\/\//i.test(value.trim());
}

/** Every plain-HTTP model location in a body, with its path. */
function findPlaintext(node: unknown, path: Path, out: { path: Path; uri: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => findPlaintext(item, [...path, i], out));
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.name === 'string' && URI_ENV.test(node.name) && plaintext(node.value)) out.push({ path: [...path, 'value'], uri: String(node.value) });
  for (const [key, value] of Object.entries(node)) {
    if (URI_KEYS.has(key)) {
      if (plaintext(value)) out.push({ path: [...path, key], uri: String(value) });
      else if (Array.isArray(value)) value.forEach((v, i) => plaintext(v) && out.push({ path: [...path, key, i], uri: String(v) }));
    } else if (key !== 'metadata') findPlaintext(value, [...path, key], out);
  }
}

export default defineRule({
  id: 'k8s/model-uri-plaintext',
  severity: 'medium',
  title: 'Model downloaded over plain HTTP',
  fixable: false,
  scope: 'resource',
  kinds: MODEL_KINDS,
  docs: {
    why:
      'The storage initializer downloads the model weights from this URI at every pod start. Over `http://`, anyone ' +
      'on the path (another pod, a compromised node, a proxy) can read the weights or replace them with a ' +
      'backdoored model, and a pickled model file runs code when it loads.',
    fix:
      'Use `https://`, or the object-store scheme (`s3://`, `gs://`, `azureblob://`, `pvc://`, `oci://`) with TLS ' +
      'configured on the storage endpoint; pin and verify the model (a content hash or a signed OCI artifact) where ' +
      'the runtime supports it.',
  },
  references: {
    nist: 'NIST SP 800-190 4.2.1 (insecure connections to registries); NIST AI 100-2 (supply-chain attacks on models)',
    links: ['https://kserve.github.io/website/latest/modelserving/storage/storagecontainers/'],
  },
  messages: {
    plaintext: '{{kind}} `{{name}}` downloads its model from `{{uri}}` over plain HTTP: the weights can be read or swapped in transit. Use `https://` or the object store\'s own scheme (`s3://`, `gs://`).',
  },
  check: (target, ctx) => {
    const hits: { path: Path; uri: string }[] = [];
    findPlaintext(target.node.spec, ['spec'], hits);
    for (const hit of hits) ctx.report({ message: 'plaintext', at: hit.path, data: { kind: target.resource.kind, name: target.resource.name, uri: hit.uri } });
  },
});
