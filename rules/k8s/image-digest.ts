import { defineRule } from '../../src/engine/define-rule.js';
import { hasShaDigest, parseImage } from './support/images.js';
import { reportedBy } from './support/overlap.js';

export default defineRule({
  id: 'k8s/image-digest',
  severity: 'low',
  title: 'Image not pinned by digest',
  fixable: false,
  scope: 'container',
  docs: {
    why:
      'A tag is a pointer the registry can move: a compromised registry account or CI job can re-push ' +
      '`:24.05` and every new model-server pod pulls the new image. A `@sha256:` digest names exactly the bytes that ' +
      'were reviewed, and admission policies that verify signatures work on digests.',
    fix:
      'Append the digest of the reviewed image: `registry/name:tag@sha256:<digest>` (`crane digest`, ' +
      '`docker buildx imagetools inspect`, or the registry UI give it). Tools like Renovate keep digests current.',
  },
  references: {
    cis: 'CIS Kubernetes 5.5.1 (image provenance)',
    nist: 'NIST SP 800-190 4.2.2 (stale images), 4.1.5 (use of untrusted images)',
    checkov: 'CKV_K8S_43',
    kics: '7c81d34c-8e5a-402b-9798-9f442630e678',
  },
  messages: {
    digest: 'Image `{{image}}` of container `{{name}}` is not pinned by digest. Append `@sha256:<digest>` of the image you reviewed.',
  },
  check: (target, ctx) => {
    const image = target.node.image;
    const ref = parseImage(image);
    if (!ref || hasShaDigest(ref)) return;
    // No tag or `:latest`: k8s/image-tag-pinned reports it, digest advice included: one finding on the line.
    if ((ref.tag === null || ref.tag.toLowerCase() === 'latest') && !ref.digest && reportedBy(ctx.config, 'k8s/image-tag-pinned')) return;
    ctx.report({ message: 'digest', at: 'image', data: { name: target.container.name, image: String(image) } });
  },
});
