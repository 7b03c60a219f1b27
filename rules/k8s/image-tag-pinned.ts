import { defineRule } from '../../src/engine/define-rule.js';
import { parseImage } from './support/images.js';

export default defineRule({
  id: 'k8s/image-tag-pinned',
  severity: 'medium',
  title: 'Image without a pinned tag',
  fixable: false,
  scope: 'container',
  docs: {
    why:
      'An image with no tag, or `:latest`, is whatever the registry serves at pull time: two replicas of the same ' +
      'model server can run different code, a rollback does not roll back, and anyone who can push to the ' +
      'repository changes what serves predictions without a pull request.',
    fix: 'Name an explicit version tag (`tritonserver:24.05-py3`), or better a digest (`@sha256:…`, see k8s/image-digest).',
  },
  references: {
    cis: 'CIS Kubernetes 5.5.1 (image provenance)',
    nist: 'NIST SP 800-190 4.1.1, 4.2.1 (image vulnerabilities, registry trust)',
    checkov: 'CKV_K8S_14',
    kics: '583053b7-e632-46f0-b989-f81ff8045385',
    kubeLinter: 'latest-tag',
  },
  messages: {
    untagged: 'Image `{{image}}` of container `{{name}}` has no tag: it runs whatever `latest` is at pull time. Pin a version tag or a `@sha256:` digest.',
    latest: 'Image `{{image}}` of container `{{name}}` uses `:latest`, which moves. Pin a version tag or a `@sha256:` digest.',
  },
  check: (target, ctx) => {
    const image = target.node.image;
    const ref = parseImage(image);
    if (!ref || ref.digest) return;
    if (ref.tag === null) ctx.report({ message: 'untagged', at: 'image', data: { name: target.container.name, image: String(image) } });
    else if (ref.tag.toLowerCase() === 'latest') ctx.report({ message: 'latest', at: 'image', data: { name: target.container.name, image: String(image) } });
  },
});
