// A symbolic link among a change's files: followed inside the repository to a file; reviewed there when Warden
// reviews that file, not reviewed otherwise (src/repository/links.ts).
import { describe, expect, it } from 'vitest';
import { linkedPath, mayBeLinkTarget, MAX_LINK_HOPS, unreviewedLink, type LinkTree } from '../../src/repository/links.js';

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

  it('a link to a file Warden reviews is reviewed there; through a chain of links too', async () => {
    const entries = { 'base/pod.yaml': null, 'k8s/hop.yaml': '../base/pod.yaml' };
    expect(await unreviewedLink('k8s/a.yaml', '../base/pod.yaml', tree(entries), yaml)).toBeNull();
    expect(await unreviewedLink('k8s/a.yaml', 'hop.yaml', tree(entries), yaml)).toBeNull();
  });

  it('a link to another file, to nothing, out of the repository, or round a cycle is not reviewed, and says why', async () => {
    const entries = { 'docs/x.txt': null, 'k8s/loop.yaml': 'loop.yaml' };
    expect(await unreviewedLink('k8s/a.yaml', '../docs/x.txt', tree(entries), yaml)).toContain('a symbolic link to `docs/x.txt`, a file Warden does not review');
    expect(await unreviewedLink('k8s/a.yaml', 'gone.yaml', tree(entries), yaml)).toContain('a symbolic link to `k8s/gone.yaml`, which is not a file at this commit');
    expect(await unreviewedLink('k8s/a.yaml', '../../x.yaml', tree(entries), yaml)).toContain('a symbolic link out of the repository');
    expect(await unreviewedLink('k8s/a.yaml', 'loop.yaml', tree(entries), yaml)).toContain(`more than ${MAX_LINK_HOPS} links`);
  });
});
