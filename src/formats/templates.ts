// Templates told apart from manifests. A file is a template only when it sits in a Helm chart's `templates/`
// (a `Chart.yaml` above it), or when it is not valid YAML and holds template actions (`{{`) outside quoted
// strings. A valid manifest whose strings hold `{{ .Name }}` (KServe's serving runtimes, Prometheus alerts) is
// a manifest, and is reviewed.
import { posix } from 'node:path';

/** The reason a Helm chart's template is not reviewed when no render of its chart covered it (its chart not read). */
export const HELM_TEMPLATE_REASON = 'Helm template: not rendered';

/**
 * Why the repository index leaves a chart's template out: rendered, its objects are looked up by its own chart's
 * review, not by other files' rules.
 */
export const CHART_TEMPLATE_INDEX_REASON = "a Helm chart's template, whose objects only its own chart's review looks up";

/**
 * The outermost folder above a path that holds a `Chart.yaml` (a subchart's files belong to its parent, which
 * renders them), given every path known; undefined for a path in no chart.
 */
export function chartRootOf(paths: Iterable<string>): (path: string) => string | undefined {
  const roots = new Set<string>();
  for (const p of paths) if (posix.basename(p) === 'Chart.yaml') roots.add(posix.dirname(p));
  return (path) => {
    let outermost: string | undefined;
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      if (roots.has(dir)) outermost = dir;
      if (dir === '.' || dir === posix.dirname(dir)) return outermost;
    }
  };
}

/** A chart's dependency archive, as `helm dependency build` writes one under `charts/` (Helm installs each). */
export function isChartArchive(path: string): boolean {
  return /(^|\/)charts\/[^/]+\.tgz$/.test(path);
}

/** Whether `path` sits in the `templates/` folder of a chart, given every `Chart.yaml` path known. */
export function chartTemplateTest(paths: Iterable<string>): (path: string) => boolean {
  const roots = new Set<string>();
  for (const p of paths) if (posix.basename(p) === 'Chart.yaml') roots.add(posix.dirname(p));
  if (roots.size === 0) return () => false;
  return (path) => {
    const parts = path.split('/');
    // Any `templates` folder whose parent holds a Chart.yaml (a subchart's too).
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i] !== 'templates') continue;
      const parent = i === 0 ? '.' : parts.slice(0, i).join('/');
      if (roots.has(parent)) return true;
    }
    return false;
  };
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/** Characters after which a quote opens a quoted scalar (start of a value, a flow item, a sequence entry). */
const BEFORE_QUOTE = new Set([' ', '\t', ':', '-', '[', '{', ',', '?']);

/**
 * The line of the first `{{` outside comments, quoted scalars and block scalars, or null. One pass, a line at a
 * time (a quoted scalar running over lines is rare in manifests, and only makes this see more actions).
 */
export function templateActionLine(text: string): number | null {
  let lineNumber = 0;
  /** Indentation of the line that opened a block scalar (`key: |`), while inside it. */
  let blockIndent = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    let indent = start;
    while (text[indent] === ' ') indent++;
    const blank = indent >= end || (isBlank(text[indent]) && text.slice(indent, end).trim() === '');
    if (blockIndent >= 0 && (blank || indent - start > blockIndent)) {
      start = end + 1;
      continue;
    }
    blockIndent = -1;
    let quote: string | null = null;
    let lastContent = -1;
    for (let i = indent; i < end; i++) {
      const c = text[i]!;
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = null;
        }
        lastContent = i;
        continue;
      }
      if (c === '#' && (i === indent || isBlank(text[i - 1]))) break;
      if (c === '{' && text[i + 1] === '{') return lineNumber;
      if ((c === '"' || c === "'") && (i === indent || BEFORE_QUOTE.has(text[i - 1]!))) quote = c;
      if (!isBlank(c)) lastContent = i;
    }
    // A block scalar header ends its line: `key: |`, `- >-`, `key: |2+`.
    if (!quote && lastContent >= 0 && isBlockHeader(text, indent, lastContent)) blockIndent = indent - start;
    start = end + 1;
  }
  return null;
}

function isBlockHeader(text: string, from: number, last: number): boolean {
  let i = last;
  while (i > from && (text[i] === '-' || text[i] === '+' || (text[i]! >= '0' && text[i]! <= '9'))) i--;
  if (text[i] !== '|' && text[i] !== '>') return false;
  return i === from || isBlank(text[i - 1]) || text[i - 1] === ':';
}
