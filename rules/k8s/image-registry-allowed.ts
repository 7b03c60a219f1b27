import { defineRule } from '../../src/engine/define-rule.js';
import { parseImage, registryAllowed } from './support/images.js';

export default defineRule({
  id: 'k8s/image-registry-allowed',
  severity: 'high',
  title: 'Image from a registry outside the allow-list',
  fixable: false,
  scope: 'container',
  // Off until the policy names its registries.
  applies: (_resource, config) => config.images.allowed_registries.length > 0,
  docs: {
    why:
      'Model-serving images carry the weights or the code that loads them. An image pulled from an unvetted ' +
      'registry (a personal Docker Hub account, a typo-squatted name) bypasses the scanning, signing and ' +
      'retention your own registry enforces.',
    fix:
      'Mirror the image into an allowed registry and reference it there. The allow-list is ' +
      '`images.allowed_registries` in `.github/warden.yml`: registry hosts (`ghcr.io`), host/path prefixes ' +
      '(`ghcr.io/acme`) or host patterns with `*` (`*.dkr.ecr.*.amazonaws.com`); images without a registry are `docker.io`.',
  },
  references: {
    cis: 'CIS Kubernetes 5.5.1 (image provenance)',
    nist: 'NIST SP 800-190 4.2.1, 4.1.5 (insecure registries, untrusted images)',
    links: ['https://open-policy-agent.github.io/gatekeeper-library/website/validation/allowedrepos/'],
  },
  messages: {
    registry: 'Image `{{image}}` of container `{{name}}` comes from `{{registry}}`, which is not in `images.allowed_registries` ({{allowed}}). Mirror it into an allowed registry.',
  },
  check: (target, ctx) => {
    const image = target.node.image;
    const ref = parseImage(image);
    const allowed = ctx.config.images.allowed_registries;
    if (!ref || registryAllowed(ref, allowed)) return;
    ctx.report({
      message: 'registry',
      at: 'image',
      data: { name: target.container.name, image: String(image), registry: ref.registry, allowed: allowed.join(', ') },
    });
  },
});
