// Reads a body Warden posts as GitHub would (CommonMark + GFM, by micromark) and lists what in it is live markup
// that Warden did not mean to write: HTML, images, links (bare URLs included), live mentions and
// references, invisible characters, more code blocks or headings than Warden's own. Links: only to rule docs.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { DEFAULT_DOCS_URL } from '../../src/engine/docs.js';

interface Node {
  type: string;
  value?: string;
  url?: string;
  lang?: string | null;
  depth?: number;
  children?: Node[];
}

export interface Expected {
  /** Code blocks Warden wrote, by info string (e.g. `['suggestion']`). */
  blocks?: string[];
  /** HTML Warden wrote (its marker, `<sub>`): each node's exact value. */
  html?: (string | RegExp)[];
  /** How many headings Warden's template writes. */
  headings?: number;
  /** What a heading may be: Warden's own titles, or one code span (a file path). */
  headingText?: (string | RegExp)[];
}

export function parse(body: string): Node {
  return fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as Node;
}

function walk(node: Node, visit: (node: Node, parents: Node[]) => void, parents: Node[] = []): void {
  visit(node, parents);
  for (const child of node.children ?? []) walk(child, visit, [...parents, node]);
}

const textOf = (node: Node): string => node.value ?? (node.children ?? []).map(textOf).join('');

// What GitHub links in text: @user or @org/team, #123, GH-123 (each after a non-word character).
const LIVE_REFERENCE = /(?:^|[^\w`])(?:@[A-Za-z0-9]|#\d|GH-\d)/i;
const INVISIBLE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;

export function liveMarkup(body: string, expected: Expected = {}): string[] {
  const problems: string[] = [];
  const html = [...(expected.html ?? [])];
  const blocks: string[] = [];
  let headings = 0;
  if (INVISIBLE.test(body.replace(/&#8203;/g, ''))) problems.push('an invisible or control character in the raw body');
  walk(parse(body), (node, parents) => {
    switch (node.type) {
      case 'html': {
        const at = html.findIndex((h) => (typeof h === 'string' ? h === node.value : h.test(node.value!)));
        if (at < 0) problems.push(`html: ${node.value}`);
        else html.splice(at, 1);
        break;
      }
      case 'image':
      case 'imageReference':
      case 'linkReference':
      case 'definition':
      case 'footnoteReference':
      case 'footnoteDefinition':
        problems.push(`${node.type}: ${textOf(node)}`);
        break;
      case 'link': {
        if (!node.url!.startsWith(DEFAULT_DOCS_URL + '/')) problems.push(`link to ${node.url}: ${textOf(node)}`);
        break;
      }
      case 'code':
        blocks.push(node.lang ?? '');
        break;
      case 'heading': {
        headings++;
        const children = node.children ?? [];
        const pathOnly = children.length === 1 && children[0]!.type === 'inlineCode';
        const allowed = (expected.headingText ?? []).some((h) => (typeof h === 'string' ? h === textOf(node) : h.test(textOf(node))));
        if (expected.headingText && !pathOnly && !allowed) problems.push(`heading: ${textOf(node).slice(0, 200)}`);
        break;
      }
      case 'table': {
        // Every row as wide as the header: no value split its cell.
        const [header, ...rows] = node.children ?? [];
        for (const row of rows) if ((row.children ?? []).length !== (header!.children ?? []).length) problems.push(`table row of ${row.children!.length} cells, header of ${header!.children!.length}`);
        break;
      }
      case 'text': {
        // Mentions and references are live in text, not in code and not inside a link's label.
        if (parents.some((p) => p.type === 'link')) break;
        if (LIVE_REFERENCE.test(node.value!)) problems.push(`live mention or reference: ${JSON.stringify(node.value!.slice(0, 200))}`);
        break;
      }
    }
  });
  if (expected.blocks && JSON.stringify(blocks) !== JSON.stringify(expected.blocks)) problems.push(`code blocks ${JSON.stringify(blocks)}, expected ${JSON.stringify(expected.blocks)}`);
  if (expected.headings !== undefined && headings !== expected.headings) problems.push(`${headings} headings, expected ${expected.headings}`);
  return problems;
}

/** The code blocks of a body as a Markdown reader sees them: info string and content. */
export function codeBlocks(body: string): { lang: string; value: string }[] {
  const blocks: { lang: string; value: string }[] = [];
  walk(parse(body), (node) => {
    if (node.type === 'code') blocks.push({ lang: node.lang ?? '', value: node.value ?? '' });
  });
  return blocks;
}
