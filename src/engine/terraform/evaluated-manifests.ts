// A Terraform manifest Warden reads only once evaluated (`yamldecode(templatefile(…))`, an interpolated heredoc): the
// object it makes, judged where a person edits it, its template's lines when the template reads as one YAML document.
// Called by ./evaluate.ts for each instance of a resource.
import { posix } from 'node:path';
import type { Path, Resource } from '../../model.js';
import type { Scope } from '../../formats/hcl-eval.js';
import { callFunction } from '../../formats/hcl-functions.js';
import type { EvaluatedManifest } from '../../formats/hcl.js';
import { readYamlDocuments } from '../../formats/yaml-documents.js';
import { isRecord } from '../path.js';

/**
 * A `kubernetes_manifest` whose `manifest` (a `kubectl_manifest` whose `yaml_body`) evaluation made known
 * (src/formats/hcl.ts manifestToEvaluate): judged as that object, located in its template or at the argument, its
 * fixes shown (what is written there is the expression). Whether it was.
 */
export function seeManifest(resource: Resource, manifest: EvaluatedManifest, scope: Scope, found: Path[]): boolean {
  const value = resource.body[manifest.argument];
  const object = manifest.argument === 'yaml_body' && typeof value === 'string' && !value.includes('${') ? callFunction('yamldecode', [value]) : value;
  if (!isRecord(object) || JSON.stringify(object).includes('${')) return false;
  Object.assign(resource, manifest.view(object));
  found.push([]);
  // Where a person edits it: the template's lines, when the template reads as the object's shape.
  const template = manifest.template !== undefined && scope.files ? posix.normalize(posix.join(scope.files.folder, manifest.template)) : undefined;
  const text = template !== undefined ? scope.files!.read(template) : undefined;
  if (template !== undefined && text !== undefined) locateInTemplate(resource, template, text);
  return true;
}

/**
 * Locate a resource's paths in the YAML template it is made from (`${image}` placeholders read as plain scalars): a
 * path the template does not spell (a directive, an interpolated list) at its nearest ancestor there. A template that
 * does not read as one YAML document keeps the resource's own location.
 */
function locateInTemplate(resource: Resource, file: string, text: string): void {
  const template = readYamlDocuments(text);
  if (template.values.length !== 1 || !isRecord(template.values[0])) return;
  const own = resource.source.locate;
  resource.source = {
    ...resource.source,
    locate: (path) => {
      const found = template.locate(0, path);
      return found ? { ...found, origin: { file, resource: resource.id, path, text } } : own(path);
    },
  };
}
