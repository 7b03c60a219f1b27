// Container image references, read the way the container runtime reads them.

export interface ImageRef {
  /** Registry host, `docker.io` when the reference names none. */
  registry: string;
  /** Repository path below the registry (`library/nginx` for `nginx`). */
  repository: string;
  tag: string | null;
  digest: string | null;
}

/** Parse `registry/path/name:tag@sha256:…`; null for an empty or templated reference. */
export function parseImage(image: unknown): ImageRef | null {
  if (typeof image !== 'string') return null;
  const ref = image.trim();
  // Terraform expressions and shell-style variables are resolved elsewhere: not ours to judge.
  if (ref === '' || ref.includes('${') || ref.includes('$(')) return null;
  const at = ref.indexOf('@');
  const digest = at === -1 ? null : ref.slice(at + 1);
  const name = at === -1 ? ref : ref.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : null;
  const path = colon > slash ? name.slice(0, colon) : name;
  const parts = path.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let repository = hasRegistry ? parts.slice(1).join('/') : path;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry: registry === 'index.docker.io' ? 'docker.io' : registry, repository, tag, digest };
}

export function hasShaDigest(ref: ImageRef): boolean {
  // A digest of the wrong length fails at pull time: it is pinned, just broken, so not this rule's finding.
  return ref.digest !== null && /^sha(256|384|512):[a-f0-9]{32,}$/i.test(ref.digest);
}

/**
 * Whether an image is allowed by a list of registries. An entry is a registry host (`ghcr.io`), a
 * registry with a path prefix (`ghcr.io/acme`), and may use `*` within one host label
 * (`*.dkr.ecr.*.amazonaws.com`). `docker.io` entries match images written without a registry.
 */
export function registryAllowed(ref: ImageRef, allowed: readonly string[]): boolean {
  const full = `${ref.registry}/${ref.repository}`;
  return allowed.some((entry) => {
    const clean = entry.replace(/\/+$/, '').replace(/^index\.docker\.io(?=\/|$)/, 'docker.io');
    const pattern = new RegExp(`^${clean.split('*').map(escapeRegExp).join('[^./]*')}(?:/|$)`, 'i');
    return pattern.test(full);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
