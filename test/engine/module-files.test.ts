// Which local module folders a review reads: those the changed files call, and those their files call in turn,
// bounded in files and depth; cycles and sources outside the repository are notes; a remote source is never read.
import { describe, expect, it } from 'vitest';
import { localModuleFiles, moduleCallers } from '../../src/engine/terraform/module-files.js';
import { memoryReader } from '../../src/engine/repository-index.js';
import type { RepositoryReader } from '../../src/engine/repository.js';

const call = (name: string, source: string) => `module "${name}" {\n  source = "${source}"\n}\n`;
const isTf = (path: string) => path.endsWith('.tf');

function counting(files: Record<string, string>): RepositoryReader & { reads: string[] } {
  const inner = memoryReader(files);
  const reads: string[] = [];
  return { paths: inner.paths, read: async (path) => (reads.push(path), inner.read(path)), reads };
}

describe('local module files', () => {
  it('a source with a trailing slash reads the folder it names', async () => {
    const reader = counting({ 'infra/main.tf': '', 'infra/modules/bucket/main.tf': 'resource "aws_s3_bucket" "b" {}\n' });
    const { files, notes } = await localModuleFiles([{ path: 'infra/main.tf', text: call('b', './modules/bucket/') }], reader, isTf);
    expect(files.map((f) => f.path)).toEqual(['infra/modules/bucket/main.tf']);
    expect(notes).toEqual([]);
  });


  it('reads the called folder and what it calls; a registry or git source is never read', async () => {
    const reader = counting({
      'infra/main.tf': '',
      'infra/modules/bucket/main.tf': call('logs', '../logs'),
      'infra/modules/bucket/variables.tf': 'variable "acl" {}\n',
      'infra/modules/bucket/README.md': 'not Terraform',
      'infra/modules/logs/main.tf': 'resource "aws_s3_bucket" "logs" {}\n',
      'unrelated/main.tf': '',
    });
    const caller = { path: 'infra/main.tf', text: `${call('b', './modules/bucket')}${call('r', 'terraform-aws-modules/s3-bucket/aws')}${call('g', 'git::https://example.com/m.git')}` };
    const { files, notes } = await localModuleFiles([caller], reader, isTf);
    expect(files.map((f) => f.path)).toEqual(['infra/modules/bucket/main.tf', 'infra/modules/bucket/variables.tf', 'infra/modules/logs/main.tf']);
    expect(reader.reads.sort()).toEqual(files.map((f) => f.path).sort());
    expect(notes).toEqual([]);
  });

  it('a source outside the repository and a cycle are notes, and nothing loops', async () => {
    const reader = counting({
      'a/main.tf': call('b', '../b'),
      'b/main.tf': call('a', '../a'),
    });
    const caller = { path: 'root/main.tf', text: `${call('a', '../a')}${call('out', '../../elsewhere')}` };
    const { files, notes } = await localModuleFiles([caller], reader, isTf);
    expect(files.map((f) => f.path)).toEqual(['a/main.tf', 'b/main.tf']);
    expect(notes.map((n) => `${n.file}: ${n.message.split(':')[0]}`)).toEqual([
      'root/main.tf: module source `../../elsewhere` is outside the repository',
      'b/main.tf: module source `../a` calls back into a module that calls it (a cycle)',
    ]);
  });

  it('depth and file count are bounded, with a note', async () => {
    const chain: Record<string, string> = {};
    for (let i = 1; i <= 6; i++) chain[`m${i}/main.tf`] = call(`next`, `../m${i + 1}`);
    const deep = await localModuleFiles([{ path: 'm0/main.tf', text: call('next', '../m1') }], memoryReader(chain), isTf, { maxFiles: 100, maxDepth: 2 });
    expect(deep.files.map((f) => f.path)).toEqual(['m1/main.tf', 'm2/main.tf']);
    expect(deep.notes.map((n) => n.message)).toEqual(['module source `../m3` is more than 2 module calls deep: not followed']);

    const wide: Record<string, string> = {};
    for (let i = 0; i < 5; i++) wide[`big/f${i}.tf`] = '';
    const cut = await localModuleFiles([{ path: 'root/main.tf', text: call('big', '../big') }], memoryReader(wide), isTf, { maxFiles: 3, maxDepth: 4 });
    expect(cut.files).toHaveLength(3);
    expect(cut.notes.map((n) => n.message)).toEqual(['more than 3 module files: `big` not read whole, so calls of it may be reviewed without some of its resources']);
  });
});

describe('the callers of changed modules', () => {
  it('finds the files whose local sources name a changed module, wherever they are; past the bound, says which were not read', async () => {
    const reader = counting({
      'envs/prod/main.tf': call('b', '../../modules/bucket/'),
      'envs/dev/main.tf': call('other', '../../modules/logs'),
      'modules/logs/main.tf': call('b', '../bucket'),
      'zz/main.tf': call('b', '../modules/bucket'),
    });
    const candidates = ['envs/dev/main.tf', 'envs/prod/main.tf', 'modules/logs/main.tf', 'zz/main.tf'];
    const all = await moduleCallers(new Set(['modules/bucket']), candidates, reader);
    expect(all.files.map((f) => f.path)).toEqual(['envs/prod/main.tf', 'modules/logs/main.tf', 'zz/main.tf']);
    expect(all.notes).toEqual([]);
    const cut = await moduleCallers(new Set(['modules/bucket']), candidates, reader, 3);
    expect(cut.files.map((f) => f.path)).toEqual(['envs/prod/main.tf', 'modules/logs/main.tf']);
    expect(cut.notes).toEqual([{ file: 'zz/main.tf', message: expect.stringContaining('more than 3 other Terraform files: 1 not read (from this one on) for calls of the changed module `modules/bucket`') }]);
  });

  it('no changed module: nothing is read', async () => {
    const reader = counting({ 'envs/prod/main.tf': call('b', '../../modules/bucket') });
    expect(await moduleCallers(new Set(), ['envs/prod/main.tf'], reader)).toEqual({ files: [], notes: [] });
    expect(reader.reads).toEqual([]);
  });
});
