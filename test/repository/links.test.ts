// A symbolic link among a change's files: followed inside the repository to a file, which is reviewed in its place
// (whole, as deployed anew) when Warden reviews that file; not reviewed otherwise (src/repository/links.ts).
import { describe, expect, it } from 'vitest';
import { linkedFile, linkedPath, mayBeLinkTarget, MAX_LINK_HOPS, withLinkedFiles, type LinkTree } from '../../src/repository/links.js';

const tree = (entries: Record<string, string | null>): LinkTree => ({
  kind: async (path) => (path in entries ? (entries[path] === null ? 'file' : { link: entries[path]! }) : null),
});
const yaml = (path: string) => path.endsWith('.yaml');

describe('symbolic links', () => {
  it('resolves a target against the link\'s folder, and not past the repository\'s root', () => {
    expect(linkedPath('k8s/a.yaml', '../docs/x.txt')).toBe('docs/x.txt');
    expect(linkedPath('k8s/a.yaml', './b.yaml')).toBe('k8s/b.yaml');
    expect(linkedPath('a.yaml', '../x.yaml')).toBeNull();
    expect(linkedPath('k8s/a.yaml', '/etc/passwd')).toBeNull();
    expect(linkedPath('k8s/a.yaml', '..')).toBeNull();
  });

  it('any text a path can be may be a target, a newline or colon included; not one past 4096 bytes or with NUL', () => {
    expect(mayBeLinkTarget('../docs/x.txt')).toBe(true);
    expect(mayBeLinkTarget('../docs/a\nkind: Pod.txt')).toBe(true);
    expect(mayBeLinkTarget('x'.repeat(4097))).toBe(false);
    expect(mayBeLinkTarget('a\0b')).toBe(false);
    expect(mayBeLinkTarget('')).toBe(false);
  });

  it('a link to a file Warden reviews leads to it; through a chain of links too', async () => {
    const entries = { 'base/pod.yaml': null, 'k8s/hop.yaml': '../base/pod.yaml' };
    expect(await linkedFile('k8s/a.yaml', '../base/pod.yaml', tree(entries), yaml)).toEqual({ file: 'base/pod.yaml' });
    expect(await linkedFile('k8s/a.yaml', 'hop.yaml', tree(entries), yaml)).toEqual({ file: 'base/pod.yaml' });
  });

  it('the file a link leads to takes its place among the change\'s files: whole, with no before, once however many links lead to it', () => {
    const files = [
      { path: 'k8s/a.yaml', headText: '../base/pod.yaml', patch: '@@ -0,0 +1 @@\n+../base/pod.yaml' },
      { path: 'k8s/b.yaml', headText: '../base/pod.yaml', patch: '@@ -0,0 +1 @@\n+../base/pod.yaml' },
      { path: 'k8s/c.yaml', headText: 'kind: Pod\n', baseText: 'kind: Pod\n# was\n', patch: '@@ -1,2 +1 @@\n kind: Pod\n-# was' },
      { path: 'k8s/d.yaml', headText: 'big.yaml', patch: '@@ -0,0 +1 @@\n+big.yaml' },
    ];
    const linked = [
      { link: 'k8s/a.yaml', file: 'base/pod.yaml', text: { text: 'kind: Pod\n' } },
      { link: 'k8s/b.yaml', file: 'base/pod.yaml', text: { text: 'kind: Pod\n' } },
      // Also changed by the change: reviewed whole and as new all the same.
      { link: 'k8s/e.yaml', file: 'k8s/c.yaml', text: { text: 'kind: Pod\n' } },
      { link: 'k8s/d.yaml', file: 'k8s/big.yaml', text: { skipped: 'too large to review' } },
    ];
    expect(withLinkedFiles(files, linked)).toEqual([
      { path: 'k8s/c.yaml', headText: 'kind: Pod\n', baseText: null, patch: null, deployedAnew: ['through `k8s/e.yaml`, a symbolic link this change adds or points here'] },
      { path: 'base/pod.yaml', headText: 'kind: Pod\n', baseText: null, patch: null, deployedAnew: ['through `k8s/a.yaml`, `k8s/b.yaml`, a symbolic link this change adds or points here'] },
      { path: 'k8s/big.yaml', headText: null, unreadable: 'too large to review', baseText: null, patch: null, deployedAnew: ['through `k8s/d.yaml`, a symbolic link this change adds or points here'] },
    ]);
    expect(withLinkedFiles(files, [])).toEqual(files);
  });

  it('a link to another file, to nothing, out of the repository, or round a cycle is not reviewed, and says why', async () => {
    const entries = { 'docs/x.txt': null, 'k8s/loop.yaml': 'loop.yaml' };
    const why = async (target: string) => {
      const linked = await linkedFile('k8s/a.yaml', target, tree(entries), yaml);
      return 'refused' in linked ? linked.refused : null;
    };
    expect(await why('../docs/x.txt')).toContain('a symbolic link to `docs/x.txt`, a file Warden does not review');
    expect(await why('gone.yaml')).toContain('a symbolic link to `k8s/gone.yaml`, which is not a file at this commit');
    expect(await why('../../x.yaml')).toContain('a symbolic link out of the repository');
    expect(await why('loop.yaml')).toContain(`more than ${MAX_LINK_HOPS} links`);
  });
});
