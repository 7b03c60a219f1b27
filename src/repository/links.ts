// A symbolic link among a change's files. Git stores a link as a blob holding its target's path, and that is all a
// blob read gives; but kubectl, Kustomize and Argo CD follow a link inside the repository and deploy its target. A
// link to a file Warden reviews is reviewed where that file is written; a link to anything else (a `.txt`, a folder
// the config excludes, a path outside the repository) would deploy what nobody reviewed, so it is not reviewed.
import { UnreadableFile } from '../engine/repository.js';
import type { Decoded } from '../formats/text.js';
import type { ChangedFile } from '../review.js';

/** Links followed at most from one path to the file (a chain of links; a cycle ends there). */
export const MAX_LINK_HOPS = 8;

/** Git's file mode of a symbolic link. */
export const LINK_MODE = '120000';

/**
 * Whether a blob's text may be a link's target: a path as long as a system allows (4096 bytes), without NUL. Only such
 * a file's mode is looked up. Nothing else about the text is taken for a sign: a target may hold any other character
 * (a newline, a colon) that would let a link pass for a one-line file.
 */
export function mayBeLinkTarget(text: string): boolean {
  return text.length > 0 && Buffer.byteLength(text) <= 4096 && !text.includes('\0');
}

/** The repository path a link at `path` holding `target` points to, or null when it leaves the repository. */
export function linkedPath(path: string, target: string): string | null {
  if (target.startsWith('/')) return null;
  const parts = path.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : null;
}

/** What is known of a path at the commit the link is read at. */
export interface LinkTree {
  /** `link`: its target's text; `file`: a regular file; null: nothing there (or a folder). */
  kind(path: string): Promise<{ link: string } | 'file' | null>;
}

/**
 * The file the link at `path` (holding `target`) leads to inside the repository, following links on the way as
 * Kustomize, Helm and kubectl do on disk; or why it leads to none (out of the repository, to nothing, through too
 * many links).
 */
export async function followLink(path: string, target: string, tree: LinkTree): Promise<{ file: string } | { refused: string }> {
  let at = path;
  let to = target;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const next = linkedPath(at, to);
    if (next === null) return { refused: `a symbolic link out of the repository (to \`${target}\`): not followed` };
    const kind = await tree.kind(next);
    if (kind === null) return { refused: `a symbolic link to \`${next}\`, which is not a file at this commit: not followed` };
    if (kind === 'file') return { file: next };
    at = next;
    to = kind.link;
  }
  return { refused: `a symbolic link that leads through more than ${MAX_LINK_HOPS} links (from \`${target}\`): not followed` };
}

/**
 * The entry of the file at `path` in a commit's tree (`entries`, with git's modes): a symbolic link's is that of the
 * file it leads to inside the repository, never the blob holding its target's path; null when there is no such file.
 * Rejects with UnreadableFile for a link that leads to none. `target`: a link's blob, read.
 */
export async function fileEntry<E extends { mode?: string }>(path: string, entries: ReadonlyMap<string, E>, target: (path: string, entry: E) => Promise<string>): Promise<E | null> {
  const entry = entries.get(path);
  if (entry?.mode !== LINK_MODE) return entry ?? null;
  const followed = await followLink(path, await target(path, entry), entryLinks(entries, target));
  if ('refused' in followed) throw new UnreadableFile(path, followed.refused);
  return entries.get(followed.file)!;
}

/**
 * What a commit's tree (`entries`, with git's modes) holds at a path: a link told by its mode, with its blob read by
 * `target` (null: a link whose target cannot be read, which leads nowhere); else a file, or nothing.
 */
export function entryLinks<E extends { mode?: string }>(entries: ReadonlyMap<string, E>, target: (path: string, entry: E) => Promise<string | null>): LinkTree {
  return {
    kind: async (at) => {
      const found = entries.get(at);
      if (!found) return null;
      if (found.mode !== LINK_MODE) return 'file';
      const link = await target(at, found);
      return link === null ? null : { link };
    },
  };
}

/**
 * Where the changed link at `path` (holding `target`) leads: a file Warden reviews (`reviewed`), inside the
 * repository; or why it is not reviewed.
 */
export async function linkedFile(path: string, target: string, tree: LinkTree, reviewed: (path: string) => boolean): Promise<{ file: string } | { refused: string }> {
  const followed = await followLink(path, target, tree);
  if ('refused' in followed || reviewed(followed.file)) return followed;
  return { refused: `a symbolic link to \`${followed.file}\`, a file Warden does not review (its name or the config's paths), so what the link deploys is unseen` };
}

/** A changed link that leads to a file Warden reviews, with that file's text at head (or why it is not read). */
export interface LinkedFile {
  link: string;
  file: string;
  text: Decoded;
}

/**
 * The change's files with what its links deploy. A link the change adds or points elsewhere deploys the file it
 * leads to anew, whether or not the change touches that file: the file is reviewed in the link's place, whole, with
 * every finding new (where a person edits it; a link's own text is only a path).
 */
export function withLinkedFiles(files: readonly ChangedFile[], linked: readonly LinkedFile[]): ChangedFile[] {
  if (linked.length === 0) return [...files];
  const links = new Set(linked.map((l) => l.link));
  const byFile = new Map<string, LinkedFile[]>();
  for (const l of linked) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
  const through = (path: string) => `through ${byFile.get(path)!.map((l) => `\`${l.link}\``).join(', ')}, a symbolic link this change adds or points here`;
  const whole = (path: string) => ({ baseText: null, patch: null, deployedAnew: [through(path)] });
  const out = files.filter((f) => !links.has(f.path)).map((f) => (byFile.has(f.path) && f.headText !== null ? { ...f, ...whole(f.path) } : f));
  const present = new Set(out.map((f) => f.path));
  for (const [path, [first]] of byFile) {
    if (present.has(path) || !first) continue;
    out.push('text' in first.text ? { path, headText: first.text.text, ...whole(path) } : { path, headText: null, unreadable: first.text.skipped, ...whole(path) });
  }
  return out;
}
