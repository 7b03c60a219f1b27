// Terraform variable definitions files (`terraform.tfvars`, `*.auto.tfvars`, `-var-file`s; HCL or `.tfvars.json`):
// the values they assign, each with the lines that assign it, and a literal written back at those lines.
// Which files a module reads, and in what order, is decided where modules are evaluated (src/engine/terraform).
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Edit, ParsedFile, Range } from '../model.js';
import { MAX_NESTING } from '../common/limits.js';
import { isRecord } from '../common/path.js';
import { setOwn } from '../common/own-key.js';
import { hclJsonOf } from './hcl.js';
import { nameOf, rangeOfNode, syntaxTree } from './hcl-tree.js';
import { renderHclValue } from './hcl-write.js';
import { deepNestingLine, nestingReason } from './text.js';

/** The assignments of one variable definitions file, as plain data (it crosses to workers). */
export interface VarFile {
  file: string;
  syntax: 'hcl' | 'json';
  values: Record<string, unknown>;
  /** The lines of each assignment (`name = value`, or `"name": value`). */
  lines: Record<string, Range>;
  text: string;
}

const varFiles = new WeakMap<ParsedFile, VarFile>();

/** The assignments of a parsed variable definitions file; undefined for any other file. */
export function varFileOf(parsed: ParsedFile): VarFile | undefined {
  return varFiles.get(parsed);
}

export function isVarFilePath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.tfvars') || lower.endsWith('.tfvars.json');
}

/**
 * The names a definitions file may assign, read from its text without a parser (the main thread loads none): every
 * `name =` at the start of a line, or a JSON object's keys. It may name more (a map's keys, a line inside a heredoc),
 * never fewer, as long as the file is written as Terraform formats it.
 */
export function namesAssignedIn(path: string, text: string): string[] {
  if (path.toLowerCase().endsWith('.json')) {
    try {
      const values: unknown = JSON.parse(text);
      if (isRecord(values)) return Object.keys(values);
    } catch {
      // not JSON: the keys as written
    }
    return [...new Set([...text.matchAll(/"([A-Za-z_][\w-]*)"\s*:/g)].map((m) => m[1]!))];
  }
  return [...new Set([...text.matchAll(/^[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)/gm)].map((m) => m[1]!))];
}

export async function parseVarFile(file: string, text: string): Promise<ParsedFile> {
  const json = file.toLowerCase().endsWith('.json');
  const parsed: ParsedFile = { file, format: json ? 'tfjson' : 'hcl', text, resources: [], errors: [], notes: [] };
  const read = json ? jsonAssignments(parsed) : await hclAssignments(parsed);
  if (read) varFiles.set(parsed, { file, syntax: json ? 'json' : 'hcl', text, ...read });
  return parsed;
}

type Assignments = Pick<VarFile, 'values' | 'lines'>;

async function hclAssignments(parsed: ParsedFile): Promise<Assignments | null> {
  const values = await hclJsonOf(parsed);
  if (!values) return null;
  const lines: Record<string, Range> = {};
  syntaxTree(parsed.text, (root) => {
    const body = root.namedChildren.find((c) => c?.type === 'body');
    for (const child of body?.namedChildren ?? []) {
      if (child?.type === 'attribute') setOwn(lines, nameOf(child), rangeOfNode(child));
    }
  });
  // A block in a variable definitions file assigns nothing Terraform accepts.
  const assigned = Object.fromEntries(Object.entries(values).filter(([name]) => Object.hasOwn(lines, name)));
  return { values: assigned, lines };
}

function jsonAssignments(parsed: ParsedFile): Assignments | null {
  const { text } = parsed;
  const deep = deepNestingLine(text, MAX_NESTING, '[{', ']}');
  if (deep !== null) {
    parsed.notReviewed = nestingReason(deep);
    return null;
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, logLevel: 'silent' });
    const line = doc.errors[0] ? counter.linePos(doc.errors[0].pos[0]).line : 1;
    parsed.errors.push({ line, message: `not valid JSON: ${(error as Error).message}` });
    return null;
  }
  if (!isRecord(values)) {
    parsed.errors.push({ line: 1, message: 'a `.tfvars.json` file holds one JSON object of variable values' });
    return null;
  }
  // JSON is YAML: the yaml package gives each key's lines.
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: true, logLevel: 'silent' });
  const lines: Record<string, Range> = {};
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const end = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1];
      setOwn(lines, String(pair.key.value), { startLine: counter.linePos(pair.key.range[0]).line, endLine: counter.linePos(Math.max(pair.key.range[0], end - 1)).line });
    }
  }
  return { values, lines };
}

/**
 * The edit that assigns a literal to a variable where the file assigns it: the whole `name = value` (HCL), or a
 * one-line `"name": value` (JSON). Null when the assignment is not there or spans lines JSON cannot rewrite alone.
 */
export function assignLiteral(varFile: VarFile, name: string, value: unknown): Edit | null {
  const range = Object.hasOwn(varFile.lines, name) ? varFile.lines[name] : undefined;
  if (!range) return null;
  const lines = varFile.text.split('\n');
  const first = (lines[range.startLine - 1] ?? '').replace(/\r$/, '');
  const eol = lines[range.startLine - 1]?.endsWith('\r') ? '\r' : '';
  if (varFile.syntax === 'hcl') {
    const head = /^(\s*[^=\s]+\s*=)/.exec(first)?.[1];
    if (head === undefined) return null;
    const indent = /^\s*/.exec(first)![0];
    const rendered = renderHclValue(value, indent).split('\n').join(`${eol}\n`);
    return { file: varFile.file, startLine: range.startLine, endLine: range.endLine, replacement: `${head} ${rendered}${eol}` };
  }
  if (range.startLine !== range.endLine) return null;
  const match = /^(\s*"(?:[^"\\]|\\.)*"\s*:\s*)(.*?)(,?)\s*$/.exec(first);
  if (!match) return null;
  return { file: varFile.file, startLine: range.startLine, endLine: range.endLine, replacement: `${match[1]}${JSON.stringify(value)}${match[3]}${eol}` };
}
