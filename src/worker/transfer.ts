// What crosses between the main thread and a parsing worker: plain data only. A resource's locator and
// writer are closures over its parse, so they stay behind; the main thread rebuilds them, file by file and
// only when something asks (a combined fix), from the text and, for HCL, hcl2json's output.
import type { FormatName, ParsedFile, Resource, ResourceSource } from '../model.js';
import { hclResources, type HclJson } from '../formats/hcl.js';
import { parseTfJson } from '../formats/tfjson.js';
import { parseYaml } from '../formats/yaml.js';
import { stripBom } from '../formats/text.js';

export type PlainResource = Omit<Resource, 'source'>;

export interface PlainParsedFile {
  file: string;
  format: FormatName;
  resources: PlainResource[];
  errors: ParsedFile['errors'];
  notes: string[];
  /** hcl2json's output for an HCL file that parsed, so the main thread can rebuild its resources without it. */
  hclJson?: HclJson;
}

export function toPlainResource(resource: Resource): PlainResource {
  const { source: _source, ...plain } = resource;
  return plain;
}

export function toPlainFile(parsed: ParsedFile, hclJson?: HclJson | null): PlainParsedFile {
  return {
    file: parsed.file,
    format: parsed.format,
    resources: parsed.resources.map(toPlainResource),
    errors: parsed.errors,
    notes: parsed.notes,
    ...(hclJson ? { hclJson } : {}),
  };
}

/** A source for a resource whose parse is elsewhere (another thread, or the repository index): no lines beyond its own. */
export function detachedSource(resource: PlainResource): ResourceSource {
  return {
    locate: () => ({ ...resource.range, exact: false }),
    apply: (text) => text,
  };
}

export function withDetachedSource(resource: PlainResource): Resource {
  return { ...resource, source: detachedSource(resource) };
}

/**
 * A ParsedFile on the main thread for a file a worker parsed: its resources' sources parse the file here, once,
 * synchronously, on first use (HCL needs initHcl() to have run, which the pool does before it hands these out).
 */
export function hydratedFile(plain: PlainParsedFile, raw: string): ParsedFile {
  const text = stripBom(raw);
  let parsed: ParsedFile | null = null;
  const real = (resource: PlainResource): Resource | null => {
    parsed ??= parseSync(plain, text);
    return parsed.resources.find((r) => r.id === resource.id && r.range.startLine === resource.range.startLine) ?? null;
  };
  return {
    file: plain.file,
    format: plain.format,
    text,
    errors: plain.errors,
    notes: plain.notes,
    resources: plain.resources.map((resource) => ({
      ...resource,
      source: {
        locate: (path) => real(resource)?.source.locate(path) ?? { ...resource.range, exact: false },
        apply: (current, ops) => real(resource)?.source.apply(current, ops) ?? current,
      },
    })),
  };
}

function parseSync(plain: PlainParsedFile, text: string): ParsedFile {
  switch (plain.format) {
    case 'yaml':
      return parseYaml(plain.file, text);
    case 'tfjson':
      return parseTfJson(plain.file, text);
    case 'hcl':
      return plain.hclJson ? hclResources(plain.file, text, plain.hclJson) : { file: plain.file, format: 'hcl', text, resources: [], errors: [], notes: [] };
  }
}
