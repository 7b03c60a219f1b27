// Terraform's override files: each block is merged, by Terraform, into the block of the same address in the
// module's other files. Warden reviews each file on its own: an override block is judged on what it writes only.
import type { ParsedFile, Path } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { reportOnlyAt } from './hcl-modules.js';
import { kubernetesKindOf } from './paths.js';

/** Terraform's override files (`override.tf`, `*_override.tf`, and their `.tf.json`): merged into the module's others. */
export function isOverrideFile(path: string): boolean {
  return /(^|\/)(override|[^/]*_override)\.tf(\.json)?$/.test(path);
}

/**
 * An override file's blocks are no whole resources: Terraform merges each into the block of the same address in
 * the module's other files, each argument (or nested block type) it writes replacing the original's. Warden does
 * not merge them: it reports what such a block writes, and leaves the rest (a setting it does not repeat, which the
 * original may well hold) unjudged. What the merged block deploys is not reviewed: a part not seen, which fails
 * closed where the change touches the block (src/review.ts), as what another tool renders does.
 */
export function asOverrides(parsed: ParsedFile, json: Record<string, unknown>): void {
  for (const resource of parsed.resources) {
    const tf = resource.terraform;
    if (!tf || (tf.block !== 'resource' && tf.block !== 'data')) continue;
    const bodies = getIn(json, [tf.block, tf.type, tf.name]);
    const body = Array.isArray(bodies) ? bodies[0] : bodies;
    if (!isRecord(body)) continue;
    reportOnlyAt(resource, overriddenPaths(tf.type, body));
    const address = `${tf.block === 'data' ? 'data.' : ''}${tf.type}.${tf.name}`;
    (parsed.unseen ??= []).push({
      lines: resource.range,
      reason: `what \`${address}\` deploys once Terraform merges this override into the module's block of that address: Warden judges what this block writes, not the merged block`,
    });
  }
}

/** The paths of a resource's body an override block writes: its arguments and nested block types, as the body names them. */
function overriddenPaths(type: string, body: Record<string, unknown>): Path[] {
  const written = Object.keys(body);
  // The whole object the resource applies is the one argument that holds it.
  if (type === 'kubernetes_manifest') return written.includes('manifest') ? [[]] : [];
  if (type === 'kubectl_manifest') return written.includes('yaml_body') ? [[]] : [];
  // A `kubernetes_*` resource's body is the manifest it makes: its `metadata` and `spec` blocks are the object's.
  if (kubernetesKindOf(type)) return written.filter((key) => key === 'metadata' || key === 'spec').map((key) => [key]);
  const dynamic = Array.isArray(body.dynamic) ? body.dynamic.flatMap((d) => (isRecord(d) ? Object.keys(d) : [])) : [];
  return [...written, ...dynamic].map((key) => [key]);
}
