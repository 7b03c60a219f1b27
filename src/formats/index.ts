// Which format a file is, and its parser.
import { BINARY_SNIFF_BYTES } from '../common/limits.js';
import type { ParsedFile } from '../model.js';
import { parseHcl } from './hcl.js';
import { parseTfJson } from './tfjson.js';
import { stripBom } from './text.js';
import type { UnreadDocuments } from './unread-documents.js';
import { parseYaml } from './yaml.js';

export type FileKind = 'yaml' | 'hcl' | 'tfjson';

export function fileKind(path: string): FileKind | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf.json')) return 'tfjson';
  if (lower.endsWith('.tf')) return 'hcl';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

export interface ParseOptions {
  /** YAML documents of kinds no rule reads, which may be left unparsed (rules/index.ts UNREAD_DOCUMENTS). */
  unread?: UnreadDocuments;
}

export async function parseFile(path: string, raw: string, options: ParseOptions = {}): Promise<ParsedFile | null> {
  const kind = fileKind(path);
  if (kind === null) return null;
  const skipped = unparseable(path, kind, raw);
  if (skipped) return skipped;
  const text = stripBom(raw);
  switch (kind) {
    case 'yaml':
      return parseYaml(path, text, options.unread);
    case 'hcl':
      return parseHcl(path, text);
    case 'tfjson':
      return parseTfJson(path, text);
  }
}

/** Text no parser should see (binary) or that holds nothing: a note, no parse. */
function unparseable(file: string, kind: FileKind, text: string): ParsedFile | null {
  const format = kind;
  if (text.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return { file, format, text, resources: [], errors: [], notes: [], notReviewed: 'binary content' };
  if (stripBom(text).trim() === '') return { file, format, text, resources: [], errors: [], notes: ['empty file: nothing to review'] };
  return null;
}
