// kustomize's `images:` transformer on parsed objects: where images are, how a reference splits, and which entry
// takes which image (an entry's name is a Go regular expression: src/common/reg-exp.ts).
import type { Path } from '../model.js';
import { isRecord } from '../common/path.js';
import { goRegExp } from '../common/reg-exp.js';

/** Paths of every container image in an object: `containers` and `initContainers` lists wherever they are. */
export function imagePaths(body: Record<string, unknown>): Path[] {
  const out: Path[] = [];
  // One path, extended and shortened as the walk goes: copied only for an image found.
  const path: (string | number)[] = [];
  const visit = (node: unknown) => {
    if (path.length > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        path.push(i);
        visit(item);
        path.pop();
      });
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        value.forEach((c, i) => {
          if (isRecord(c) && typeof c.image === 'string') out.push([...path, key, i, 'image']);
        });
      } else if (value !== null && typeof value === 'object') {
        path.push(key);
        visit(value);
        path.pop();
      }
    }
  };
  visit(body);
  return out;
}

/** An image reference split into name, tag and digest (`registry:5000/a/b:1@sha256:…`). */
export function splitImage(image: string): { name: string; tag: string | null; digest: string | null } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : null;
  return { name: tag === null ? rest : rest.slice(0, colon), tag, digest };
}

// kustomize's image transformer (image.IsImageMatched): the entry's name is a regular expression, put unwrapped
// between `^` and the tag and digest it allows (so `a|b` is `^a` or `b…$`, as there).
const IMAGE_TAG_AND_DIGEST = '(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$';
const imageMatchers = new Map<string, RegExp | null>();

/** What an `images:` entry's name matches, as kustomize matches it; null when that is not known (goRegExp). */
export function imageMatcher(name: string): RegExp | null {
  let matcher = imageMatchers.get(name);
  if (matcher === undefined) {
    matcher = goRegExp(`^${name}${IMAGE_TAG_AND_DIGEST}`);
    if (imageMatchers.size >= 1000) imageMatchers.clear();
    imageMatchers.set(name, matcher);
  }
  return matcher;
}

/** The image an `images:` entry (its name's `matcher`) makes of `image`, or null when the entry does not match it. */
export function replaceImage(image: string, entry: Record<string, unknown>, matcher: RegExp): string | null {
  if (!matcher.test(image)) return null;
  const { name, tag, digest } = splitImage(image);
  const newName = typeof entry.newName === 'string' ? entry.newName : name;
  if (typeof entry.digest === 'string') return `${newName}@${entry.digest}`;
  if (entry.newTag !== undefined && entry.newTag !== null) return `${newName}:${String(entry.newTag)}`;
  return newName + (tag !== null ? `:${tag}` : '') + (digest !== null ? `@${digest}` : '');
}
