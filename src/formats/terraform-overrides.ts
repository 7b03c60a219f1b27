// Terraform's override files: each block is merged, by Terraform, into the block of the same address in the
// module's other files (src/engine/terraform/overrides.ts merges them as it does).
import type { ParsedFile, Path, Resource } from '../model.js';
import { getIn, isRecord } from '../common/path.js';
import { setOwn } from '../common/own-key.js';
import { reportOnlyAt } from './hcl-modules.js';
import { kubernetesKindOf } from './paths.js';

/** Terraform's override files (`override.tf`, `*_override.tf`, their `.tf.json`, and OpenTofu's `.tofu` and `.tofu.json`): merged into the module's others. */
export function isOverrideFile(path: string): boolean {
  return /(^|\/)(override|[^/]*_override)\.(tf|tofu)(\.json)?$/.test(path);
}

/** What an override block writes, by resource: its address and the paths of the body it replaces. */
const written = new WeakMap<Resource, { address: string; paths: Path[] }>();

/** The address and written paths of a resource that is an override file's block; undefined for any other. */
export function overrideOf(resource: Resource): { address: string; paths: Path[] } | undefined {
  return written.get(resource);
}

/**
 * An override file's blocks are no whole resources: Terraform merges each into the block of the same address in
 * the module's other files, each argument (or nested block type) it writes replacing the original's. The merge is
 * made where the module is evaluated (src/engine/terraform/overrides.ts): the original is then judged as merged, and
 * the block has no findings of its own. Alone (its module's other files not at hand), it is judged on what it
 * writes, and the rest (a setting it does not repeat, which the original may well hold) is left unjudged.
 */
export function asOverrides(parsed: ParsedFile, json: Record<string, unknown>): void {
  for (const resource of parsed.resources) {
    const tf = resource.terraform;
    if (!tf || (tf.block !== 'resource' && tf.block !== 'data')) continue;
    const bodies = getIn(json, [tf.block, tf.type, tf.name]);
    const body = Array.isArray(bodies) ? bodies[0] : bodies;
    if (!isRecord(body)) continue;
    // Terraform JSON may write `dynamic` as an array of objects: read as hcl2json gives it, one object by label.
    if (Array.isArray(body.dynamic)) body.dynamic = dynamicByLabel(body.dynamic);
    const paths = overriddenPaths(tf.type, body);
    reportOnlyAt(resource, paths);
    written.set(resource, { address: `${tf.block === 'data' ? 'data.' : ''}${tf.type}.${tf.name}`, paths });
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
  // A nested block type the override writes, plainly or as `dynamic "<type>"`, replaces every block of that type
  // the original has, plain and dynamic; the original's dynamic blocks of other types stay.
  const plain = written.filter((key) => key !== 'dynamic');
  const dynamic = isRecord(body.dynamic) ? Object.keys(body.dynamic) : [];
  const blockTypes = new Set([...plain.filter((key) => isBlockValue(body[key])), ...dynamic]);
  return [...plain.map((key) => [key]), ...dynamic.filter((label) => !plain.includes(label)).map((label) => [label]), ...[...blockTypes].map((type) => ['dynamic', type])];
}

/** A value that may be nested blocks: an object, or a list of objects. */
function isBlockValue(value: unknown): boolean {
  return isRecord(value) || (Array.isArray(value) && value.length > 0 && value.every(isRecord));
}

/** `[{ "ingress": … }, { "egress": … }]` as `{ ingress: [ … ], egress: [ … ] }`. */
function dynamicByLabel(list: unknown[]): Record<string, unknown[]> {
  const byLabel: Record<string, unknown[]> = {};
  for (const item of list.filter(isRecord)) {
    for (const [label, blocks] of Object.entries(item)) {
      if (!Object.hasOwn(byLabel, label)) setOwn(byLabel, label, []);
      byLabel[label]!.push(...(Array.isArray(blocks) ? blocks : [blocks]));
    }
  }
  return byLabel;
}
