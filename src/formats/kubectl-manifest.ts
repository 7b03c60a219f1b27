// A `kubectl_manifest` (the kubectl provider) applies the YAML of its `yaml_body`. Written inline as a heredoc with
// nothing interpolated, it is reviewed as the object it is, each finding at its line inside the heredoc. Its fixes
// are shown, not offered: Warden does not write into a heredoc.
import type { Range, Resource } from '../model.js';
import { follow, valueNode, type TsNode } from './hcl-tree.js';
import { parseYaml } from './yaml.js';

/** The objects of a kubectl_manifest block's inline YAML, or null when it is not inline (or not one readable object). */
export function kubectlManifestResources(file: string, block: TsNode, name: string, yamlBody: unknown, range: Range): Resource[] | null {
  if (typeof yamlBody !== 'string' || yamlBody.includes('${')) return null;
  const attribute = follow(block, [{ attr: 'yaml_body' }]);
  const value = attribute.depth === 1 ? valueNode(attribute.node) : null;
  // A heredoc's content starts on the line after its `<<` marker; a quoted string's lines cannot be told apart.
  if (!value || !value.text.startsWith('<<')) return null;
  const offset = value.startPosition.row + 1;
  const parsed = parseYaml(file, yamlBody);
  if (parsed.errors.length > 0 || parsed.resources.length !== 1) return null;
  const [object] = parsed.resources as [Resource];
  return [
    {
      ...object,
      id: `kubectl_manifest.${name}`,
      terraform: { block: 'resource', type: 'kubectl_manifest', name },
      format: 'hcl',
      range,
      source: {
        locate: (path) => {
          const at = object.source.locate(path);
          return { startLine: at.startLine + offset, endLine: at.endLine + offset, exact: at.exact };
        },
        // Nothing is written: a fix of this object is shown for a person to apply.
        apply: (text) => text,
      },
    },
  ];
}
