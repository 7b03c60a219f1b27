// The Markdown Warden writes lives in templates/, rendered here for the App and the command line alike.
// A small Mustache-like renderer for the Markdown in templates/: `{{name}}`, `{{#list}}…{{/list}}` (repeat for
// each item, or once when truthy), `{{^name}}…{{/name}}` (when empty or false). Escaping is the default: a string
// or number is inserted as inert text (src/output/inert.ts); only a `Markup` value (Warden's own markup, or content
// already rendered inert) goes in as it is. On a table row, `|` in any value is escaped so it stays in its cell.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Markup, text } from './inert.js';

export { fenced, fenceFor } from './inert.js';

// From src/output (tests) or dist/src/output (built): templates/ sits at the package root.
const ROOTS = ['../../templates/', '../../../templates/'].map((rel) => new URL(rel, import.meta.url));
const cache = new Map<string, string>();

export function loadTemplate(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  for (const root of ROOTS) {
    try {
      const source = readFileSync(fileURLToPath(new URL(name, root)), 'utf8');
      checkTemplate(source, name);
      cache.set(name, source);
      return source;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // try the next root
    }
  }
  throw new Error(`template not found: templates/${name}`);
}

/**
 * A value tag written inside a code span or an HTML comment would be escaped for the wrong place (a backslash does
 * not escape inside a code span): such a template is refused, and the value passed as `code(…)` or `Markup` instead.
 */
export function checkTemplate(source: string, name = 'template'): void {
  const tags = new RegExp(TAG.source, 'g');
  for (let m = tags.exec(source); m; m = tags.exec(source)) {
    if (m[1] !== '') continue;
    const before = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index);
    const after = source.slice(tags.lastIndex, source.indexOf('\n', tags.lastIndex) >>> 0);
    const insideCode = (before.match(/`+/g) ?? []).length % 2 === 1 && /`/.test(after);
    const insideComment = before.lastIndexOf('<!--') > before.lastIndexOf('-->');
    if (insideCode || insideComment) throw new Error(`${name}: {{${m[2]}}} sits inside a ${insideCode ? 'code span' : 'comment'}: pass the value as code(…) or Markup`);
  }
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

/** A value as Markdown: Markup as it is, anything else as inert text; on a table row, `|` escaped. */
function insert(value: unknown, tableRow: boolean): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return String(value);
  const markdown = value instanceof Markup ? value.text : text(String(value)).text;
  return tableRow ? markdown.replace(/(?<!\\)((?:\\\\)*)\|/g, '$1\\|') : markdown;
}

/**
 * Render a template's text. `lead` is the text of the line the output starts on (a section's body may start
 * mid-line): with the current line kept as it grows, a value knows whether it sits on a table row without
 * searching the output (searching a long string built by `+=` would cost its whole length every time).
 */
function renderWith(template: string, stack: readonly unknown[], lead = ''): string {
  const parts: string[] = [];
  let line = lead;
  const emit = (piece: string) => {
    if (piece === '') return;
    parts.push(piece);
    const lineStart = piece.lastIndexOf('\n');
    line = lineStart < 0 ? line + piece : piece.slice(lineStart + 1);
  };
  let at = 0;
  const tags = new RegExp(TAG.source, 'g');
  for (let m = tags.exec(template); m; m = tags.exec(template)) {
    const [whole, kind, name] = m as unknown as [string, string, string];
    emit(template.slice(at, m.index));
    at = m.index + whole.length;
    if (kind === '#' || kind === '^') {
      const bodyStart = standalone(template, m.index, at) ? at + 1 : at;
      const { body, end } = sectionAt(template, name, bodyStart);
      const value = lookup(stack, name);
      const empty =
        value === undefined || value === null || value === false || value === '' || (value instanceof Markup && value.text === '') || (Array.isArray(value) && value.length === 0);
      if (kind === '^') {
        if (empty) emit(renderWith(body, stack, line));
      } else if (Array.isArray(value)) {
        for (const item of value) emit(renderWith(body, [...stack, item], line));
      } else if (!empty) {
        emit(renderWith(body, typeof value === 'object' && !(value instanceof Markup) ? [...stack, value] : stack, line));
      }
      at = end;
      tags.lastIndex = end;
    } else if (kind === '/') {
      throw new Error(`template: unexpected {{/${name}}}`);
    } else {
      emit(insert(lookup(stack, name), line.trimStart().startsWith('|')));
    }
  }
  emit(template.slice(at));
  return parts.join('');
}

export function renderText(template: string, view: View): string {
  checkTemplate(template);
  return renderWith(template, [view]);
}

/** Render templates/<name> with a view (the template was checked when it was loaded). */
export function render(name: string, view: View): string {
  return renderWith(loadTemplate(name), [view]);
}

/**
 * Runs of blank lines left by empty sections made one, outside code blocks only: the lines of a suggestion are
 * committed as they are, blank ones included.
 */
export function tidy(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    if (fence === null) {
      const opening = /^`{3,}/.exec(line)?.[0];
      if (opening) fence = opening;
      else if (line === '' && out.length > 0 && out[out.length - 1] === '') continue;
    } else if (/^`{3,}$/.test(line) && line.length >= fence.length) {
      fence = null;
    }
    out.push(line);
  }
  return out.join('\n').trim();
}
