// Whether a git URL written in a GitOps object (an Argo CD source's `repoURL`) names the repository Warden reviews.
// One repository has several URLs (https, ssh, scp-like `git@host:owner/repo`, with or without `.git`): each is
// reduced to host and path, case aside (GitHub's names are case-insensitive).

/** `host/owner/repo` of a git URL, or null when it is none Warden can tell (a template, a relative path). */
export function repositoryKey(url: string): string | null {
  const text = url.trim();
  // scp-like: `git@github.com:owner/repo.git` (no scheme, a colon before the first slash).
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(text);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    [, host, path] = scp as unknown as [string, string, string];
  } else {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return null;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:'].includes(parsed.protocol) || !parsed.hostname) return null;
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  }
  const trimmed = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  return trimmed && !trimmed.includes('{{') ? `${HOST_ALIASES.get(host.toLowerCase()) ?? host}/${trimmed}`.toLowerCase() : null;
}

/** Hosts that serve another's repositories: GitHub's SSH over port 443 (`ssh://git@ssh.github.com:443/owner/repo`). */
const HOST_ALIASES: ReadonlyMap<string, string> = new Map([['ssh.github.com', 'github.com']]);

/** A test of URLs against the reviewed repository's own (none known: no URL is it). */
export function sameRepository(urls: readonly string[]): (url: string) => boolean {
  const own = new Set(urls.map(repositoryKey).filter((k): k is string => k !== null));
  return (url) => {
    const key = repositoryKey(url);
    return key !== null && own.has(key);
  };
}
