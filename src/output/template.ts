// The Markdown Warden writes lives in templates/, rendered here for the App and the command line alike.
// A small Mustache-like renderer for the Markdown in templates/: `{{name}}`, `{{#list}}…{{/list}}` (repeat for
// each item, or once when truthy), `{{^name}}…{{/name}}` (when empty or false). Values are inserted as they are:
// the callers pass Markdown they have already escaped.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// From src/output (tests) or dist/src/output (built): templates/ sits at the package root.
const ROOTS = ['../../templates/', '../../../templates/'].map((rel) => new URL(rel, import.meta.url));
const cache = new Map<string, string>();

export function loadTemplate(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  for (const root of ROOTS) {
    try {
      const text = readFileSync(fileURLToPath(new URL(name, root)), 'utf8');
      cache.set(name, text);
      return text;
    } catch {
      // try the next root
    }
  }
  throw new Error(`template not found: templates/${name}`);
}

export type View = { [key: string]: unknown };

const TAG = /\{\{\s*([#^/]?)\s*([\w.]+)\s*\}\}/g;

interface Section {
  name: string;
  inverted: boolean;
  body: string;
  end: number;
}

function lookup(stack: readonly unknown[], name: string): unknown {
  if (name === '.') return stack[stack.length - 1];
  for (let i = stack.length - 1; i >= 0; i--) {
    const scope = stack[i];
    if (scope !== null && typeof scope === 'object' && name in scope) return (scope as View)[name];
  }
  return undefined;
}

function standalone(template: string, start: number, end: number): boolean {
  return (start === 0 || template[start - 1] === '\n') && template[end] === '\n';
}

/** The body of the section opened just before `from`, and where its closing tag ends. */
function sectionAt(template: string, name: string, from: number): Pick<Section, 'body' | 'end'> {
  let depth = 1;
  const tags = new RegExp(TAG.source, 'g');
  tags.lastIndex = from;
  for (let m = tags.exec(template); m; m = tags.exec(template)) {
    if (m[2] !== name) continue;
    if (m[1] === '#' || m[1] === '^') depth++;
    else if (m[1] === '/' && --depth === 0) {
      // A section tag alone on its line takes its line break with it, so tables stay contiguous.
      const end = standalone(template, m.index, tags.lastIndex) ? tags.lastIndex + 1 : tags.lastIndex;
      return { body: template.slice(from, m.index), end };
    }
  }
  throw new Error(`template: section {{#${name}}} is not closed`);
}

function renderWith(template: string, stack: readonly unknown[]): string {
  let out = '';
  let at = 0;
  const tags = new RegExp(TAG.source, 'g');
  for (let m = tags.exec(template); m; m = tags.exec(template)) {
    const [whole, kind, name] = m as unknown as [string, string, string];
    out += template.slice(at, m.index);
    at = m.index + whole.length;
    if (kind === '#' || kind === '^') {
      const bodyStart = standalone(template, m.index, at) ? at + 1 : at;
      const { body, end } = sectionAt(template, name, bodyStart);
      const value = lookup(stack, name);
      const empty = value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
      if (kind === '^') {
        if (empty) out += renderWith(body, stack);
      } else if (Array.isArray(value)) {
        for (const item of value) out += renderWith(body, [...stack, item]);
      } else if (!empty) {
        out += renderWith(body, typeof value === 'object' ? [...stack, value] : stack);
      }
      at = end;
      tags.lastIndex = end;
    } else if (kind === '/') {
      throw new Error(`template: unexpected {{/${name}}}`);
    } else {
      const value = lookup(stack, name);
      out += value === undefined || value === null ? '' : String(value);
    }
  }
  return out + template.slice(at);
}

export function renderText(template: string, view: View): string {
  return renderWith(template, [view]);
}

/** Render templates/<name> with a view. */
export function render(name: string, view: View): string {
  return renderText(loadTemplate(name), view);
}

/** Escape text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fence longer than any backtick run in `content`, so content holding a fence cannot close the block early. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block (`suggestion`, `diff`, …) around `content`. */
export function fenced(info: string, content: string): string {
  const fence = fenceFor(content);
  return content === '' ? `${fence}${info}\n${fence}` : `${fence}${info}\n${content}\n${fence}`;
}
