// A GitOps source names the reviewed repository by any of its URLs; another host, owner or name is another one.
import { describe, expect, it } from 'vitest';
import { repositoryKey, sameRepository } from '../../src/common/repository-url.js';

describe('sameRepository', () => {
  const ours = sameRepository(['https://github.com/Acme/Models', 'git@github.com:Acme/Models.git']);

  it('knows the repository by its https, ssh and scp-like URLs, with or without .git, case aside', () => {
    for (const url of ['https://github.com/acme/models.git', 'https://github.com/Acme/Models/', 'ssh://git@github.com/acme/models.git', 'git@github.com:acme/models', 'http://github.com/acme/models', 'ssh://git@ssh.github.com:443/acme/models.git']) {
      expect([url, ours(url)]).toEqual([url, true]);
    }
  });

  it('tells another host, owner or repository, and what is no URL, apart', () => {
    for (const url of ['https://gitlab.com/acme/models', 'https://github.com/acme/models-config', 'https://github.com/other/models', 'https://github.com/acme', 'models', '{{repoURL}}', 'https://github.com/acme/{{name}}', '']) {
      expect([url, ours(url)]).toEqual([url, false]);
    }
  });

  it('knows no URL when the repository has none', () => {
    expect(sameRepository([])('https://github.com/acme/models')).toBe(false);
    expect(repositoryKey('https://ghe.example.com:8443/Platform/Serving.git')).toBe('ghe.example.com/platform/serving');
  });
});
