// Which format a file is, and its parser.
import type { ParsedFile } from '../model.js';
import { parseHcl } from './hcl.js';
import { parseTfJson } from './tfjson.js';
import { parseYaml } from './yaml.js';

export type FileKind = 'yaml' | 'hcl' | 'tfjson';

export function fileKind(path: string): FileKind | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf.json')) return 'tfjson';
  if (lower.endsWith('.tf')) return 'hcl';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

export async function parseFile(path: string, text: string): Promise<ParsedFile | null> {
  switch (fileKind(path)) {
    case 'yaml':
      return parseYaml(path, text);
    case 'hcl':
      return parseHcl(path, text);
    case 'tfjson':
      return parseTfJson(path, text);
    default:
      return null;
  }
}
