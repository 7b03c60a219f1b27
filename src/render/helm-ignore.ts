// A chart's `.helmignore`, as Helm reads it when it loads a chart folder (pkg/ignore): the files it names are not
// part of the chart, so Helm neither renders them as templates nor gives them to `.Files`.
import { posix } from 'node:path';
import picomatch from 'picomatch';

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  match: (path: string) => boolean;
}

/** A `.helmignore` Helm refuses (it then refuses the chart), or one Warden cannot read as Helm does: the line and why. */
export class HelmIgnoreError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
    this.name = 'HelmIgnoreError';
  }
}

/** Helm's rules of a `.helmignore` text, with the one it always adds: dot files under `templates/`. */
function rules(text: string): Rule[] {
  const out: Rule[] = [];
  [...text.split('\n'), 'templates/.?*'].forEach((raw, index) => {
    let rule = raw.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new HelmIgnoreError(index + 1, 'double-star (**) syntax is not supported');
    // Go's classes (`[^a]`, not `[!a]`) and escapes differ from picomatch's: a file could be kept or dropped otherwise.
    if (/[[\]\\]/.test(rule)) throw new HelmIgnoreError(index + 1, 'character classes (`[…]`) and escapes (`\\`) are not matched by Warden as Go matches them, so it did not load the chart');
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const dirOnly = rule.endsWith('/');
    if (dirOnly) rule = rule.slice(0, -1);
    // Go's path.Match: `*` and `?` never cross a `/`, and match a leading dot.
    const glob = picomatch(rule.replace(/^\//, ''), { dot: true, nobrace: true, noextglob: true, noglobstar: true });
    // A rule with a `/` matches the whole path (from the chart's folder); one without, the name alone.
    const match = rule.includes('/') ? glob : (path: string) => glob(posix.basename(path));
    out.push({ negate, dirOnly, match });
  });
  return out;
}

/** pkg/ignore's Rules.Ignore, including its reading of a negated rule (whatever it does not match is ignored). */
function ignored(rules: readonly Rule[], path: string, isDir: boolean): boolean {
  for (const rule of rules) {
    if (rule.negate) {
      if ((rule.dirOnly && !isDir) || !rule.match(path)) return true;
      continue;
    }
    if (rule.dirOnly && !isDir) continue;
    if (rule.match(path)) return true;
  }
  return false;
}

/**
 * The chart's files Helm loads (chart-relative paths): those its `.helmignore` leaves, as Helm walks the folder (a
 * folder ignored skips all below it). Files outside the folder (`../common/`, a local dependency) are kept.
 */
export function helmLoaded(files: ReadonlyMap<string, string>): Map<string, string> {
  const text = files.get('.helmignore');
  const list = rules(text ?? '');
  const out = new Map<string, string>();
  for (const [path, content] of files) {
    if (path.startsWith('../')) {
      out.set(path, content);
      continue;
    }
    const parts = path.split('/');
    const dirs = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
    if (dirs.some((dir) => ignored(list, dir, true)) || ignored(list, path, false)) continue;
    out.set(path, content);
  }
  return out;
}
