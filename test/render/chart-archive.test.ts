// A chart's dependency archives, unpacked in memory as Helm loads them (src/render/chart-archive.ts).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_DEPTH, MAX_UNPACKED_BYTES, unpackArchives, unpackChartArchive } from '../../src/render/chart-archive.js';
import { tarGz } from './tar-gz.js';
import { MAX_CHART_FILES } from '../../src/render/chart-file.js';

const REDIS = { 'redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 18.0.0\n', 'redis/values.yaml': 'privileged: false\n', 'redis/templates/pod.yaml': 'kind: Pod\n' };

describe('a chart archive', () => {
  it('unpacks to its top folder’s text files; binary files are left out, archives under its charts/ kept to unpack', async () => {
    const inner = tarGz({ 'common/Chart.yaml': 'name: common\n' });
    const unpacked = await unpackChartArchive(tarGz({ ...REDIS, 'redis/icon.png': new Uint8Array([0x89, 0x50, 0xff, 0xfe]), 'redis/charts/common-1.0.0.tgz': inner }));
    expect('failed' in unpacked ? unpacked.failed : [unpacked.top, [...unpacked.files.keys()], [...unpacked.archives.keys()]]).toEqual(['redis', ['Chart.yaml', 'values.yaml', 'templates/pod.yaml'], ['charts/common-1.0.0.tgz']]);
  });

  it('is refused with why when it leaves its folder, holds two or a link, is no archive, unpacks past the bound, or holds a template Warden cannot read as Helm does', async () => {
    const refused = async (bytes: Uint8Array) => {
      const unpacked = await unpackChartArchive(bytes);
      return 'failed' in unpacked ? unpacked.failed : null;
    };
    expect(await refused(tarGz({ 'redis/../../etc/passwd': 'x' }))).toMatch(/a path outside its folder/);
    expect(await refused(tarGz({ '/etc/passwd': 'x' }))).toMatch(/a path outside its folder/);
    expect(await refused(tarGz({ ...REDIS, 'other/Chart.yaml': 'name: other\n' }))).toMatch(/more than one chart folder/);
    expect(await refused(new TextEncoder().encode('not gzip'))).toMatch(/not a gzip archive/);
    expect(await refused(gzipSync(Buffer.alloc(700, 65)))).toMatch(/not a tar archive/);
    expect(await refused(gzipSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1)))).toMatch(/unpacks to more than 32.0 MiB/);
    const many: Record<string, string> = { ...REDIS };
    for (let i = 0; i <= MAX_CHART_FILES; i++) many[`redis/files/f${i}.txt`] = '';
    expect(await refused(tarGz(many))).toBe(`it holds more than ${MAX_CHART_FILES} files`);
    // Helm loads a link as a file: never followed here, and not left out either.
    expect(await refused(tarGz({ ...REDIS, 'redis/templates/secret.yaml': { link: '/etc/shadow' } }))).toBe('it holds a SymbolicLink (`redis/templates/secret.yaml`)');
    // A template or values file that is not UTF-8 text is one Helm renders and Warden would not: the archive is refused.
    expect(await refused(tarGz({ ...REDIS, 'redis/templates/cm.yaml': new Uint8Array([0x6b, 0x3a, 0x20, 0xff, 0x0a]) }))).toBe('`templates/cm.yaml` is not UTF-8 text, which Warden does not render');
  });

  it('under a chart’s charts/: unpacked in place, nested ones too, and each unpacked file traced to the archive in the repository', async () => {
    const inner = tarGz({ 'common/Chart.yaml': 'name: common\n', 'common/templates/x.yaml': 'kind: ConfigMap\n' });
    const bytes: Record<string, Uint8Array> = { 'charts/model/charts/redis-18.0.0.tgz': tarGz({ ...REDIS, 'redis/charts/common-1.0.0.tgz': inner }), 'charts/model/charts/broken-1.0.0.tgz': new Uint8Array([1, 2, 3]) };
    const paths = ['charts/model/Chart.yaml', ...Object.keys(bytes), 'charts/model/charts/gone-1.0.0.tgz'];
    const unpacked = await unpackArchives(paths, async (path) => bytes[path] ?? null);
    expect([...unpacked.files.keys()]).toEqual([
      'charts/model/charts/redis/Chart.yaml',
      'charts/model/charts/redis/values.yaml',
      'charts/model/charts/redis/templates/pod.yaml',
      'charts/model/charts/redis/charts/common/Chart.yaml',
      'charts/model/charts/redis/charts/common/templates/x.yaml',
    ]);
    expect(unpacked.failed).toEqual([
      { file: 'charts/model/charts/broken-1.0.0.tgz', reason: expect.stringContaining('not a gzip archive') },
      { file: 'charts/model/charts/gone-1.0.0.tgz', reason: 'it could not be read' },
    ]);
    // Each folder of the repository's archives with the archive it came from (one inside it is that archive's).
    expect([...unpacked.folders]).toEqual([['charts/model/charts/redis', 'charts/model/charts/redis-18.0.0.tgz']]);
    // One inside that cannot be unpacked, or past the depth bound: the archive in the repository is not unpacked at all.
    const brokenInside = await unpackArchives(paths, async (path) => (path === 'charts/model/charts/redis-18.0.0.tgz' ? tarGz({ ...REDIS, 'redis/charts/common-1.0.0.tgz': 'not gzip' }) : (bytes[path] ?? null)));
    expect([brokenInside.files.size, brokenInside.failed[0]]).toEqual([0, { file: 'charts/model/charts/broken-1.0.0.tgz', reason: expect.stringContaining('not a gzip archive') }]);
    expect(brokenInside.failed.find((f) => f.file === 'charts/model/charts/redis-18.0.0.tgz')?.reason).toMatch(/^`charts\/common-1\.0\.0\.tgz` inside it cannot be unpacked: not a gzip archive/);
    let deep: Uint8Array = inner;
    for (let level = 0; level < MAX_ARCHIVE_DEPTH; level++) deep = tarGz({ [`c${level}/Chart.yaml`]: 'name: c\n', [`c${level}/charts/x-1.0.0.tgz`]: deep });
    const tooDeep = await unpackArchives(['charts/model/charts/deep-1.0.0.tgz'], async () => deep);
    expect(tooDeep.failed[0]?.reason).toMatch(new RegExp(`more than ${MAX_ARCHIVE_DEPTH} archives deep`));
    // A folder already unpacked in the repository is Helm's to load: its archive is left alone.
    const both = await unpackArchives([...paths, 'charts/model/charts/redis/Chart.yaml'], async (path) => bytes[path] ?? null);
    expect([...both.files.keys()]).toEqual([]);
  });
});
