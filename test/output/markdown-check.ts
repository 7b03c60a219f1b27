// Reads a body Warden posts as GitHub would (CommonMark + GFM, by micromark) and lists what in it is live markup
// that Warden did not mean to write: HTML, images, links other than rule docs and bare URLs, live mentions and
// references, invisible characters, more code blocks or headings than Warden's own.
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
        const label = textOf(node);
        const bare = label === node.url || `http://${label}` === node.url || `mailto:${label}` === node.url;
        if (!bare && !node.url!.startsWith(DEFAULT_DOCS_URL + '/')) problems.push(`link to ${node.url}: ${label}`);
        break;
      }
      case 'code':
        blocks.push(node.lang ?? '');
        break;
      case 'heading':
        headings++;
        break;
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
