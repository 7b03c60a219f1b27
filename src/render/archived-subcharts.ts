// What a chart's unpacked dependency archives (src/render/chart-archive.ts) mean for its review: what is found in
// their files is reported on the archive (nobody edits inside one), a subchart's default is fixed where the chart
// sets its subchart's values, and an archive whose templates do not all render is a dependency not rendered.
import { posix } from 'node:path';
import type { Finding } from '../model.js';
import { chartDependencies, chartFile, type ChartDependency } from './chart-file.js';
import type { UnfetchedDependency } from './helm.js';

/** A chart under review: its folder, its files by chart-relative path, and its unpacked folders' archives. */
export interface ArchivedInput {
  dir: string;
  head: ReadonlyMap<string, string>;
  /** Chart-relative folder (`charts/redis`) → the archive's repository path. */
  archives?: Record<string, string>;
}

/** The review's view of a chart's archived subcharts (nothing, for a chart without). */
export function archivedSubcharts(input: ArchivedInput): {
  archiveOf: (file: string) => string | null;
  onArchive: (finding: Finding) => Finding;
  parentValues: (file: string) => { file: string; key: string } | null;
  broken: (unrendered: readonly { file: string; reason: string }[]) => UnfetchedDependency[];
} {
  const archiveOf = archivesOf(input);
  return {
    archiveOf,
    onArchive: (finding) => onArchive(finding, archiveOf),
    parentValues: parentValuesOf(input),
    broken: (unrendered) => brokenArchives(unrendered, archiveOf, input),
  };
}

/** The archive (repository path) a chart file was unpacked from, or null for a file of the repository. */
function archivesOf(input: ArchivedInput): (file: string) => string | null {
  const folders = Object.entries(input.archives ?? {}).map(([folder, archive]) => [`${chartFile(input.dir, folder)}/`, archive] as const);
  return (file) => folders.find(([folder]) => file.startsWith(folder))?.[1] ?? null;
}

/**
 * A finding on an unpacked archive's file is reported on the archive; its fix is kept only when it edits files of
 * the repository (the chart's values, over a subchart's defaults): nobody edits inside an archive.
 */
function onArchive(finding: Finding, archiveOf: (file: string) => string | null): Finding {
  const archive = archiveOf(finding.file);
  if (archive === null) return finding;
  const inside = finding.file.slice(posix.dirname(archive).length + 1);
  const fix = finding.fix && finding.fix.edits.length > 0 && finding.fix.edits.every((e) => archiveOf(e.file) === null) ? finding.fix : null;
  return { ...finding, message: `${finding.message} (In \`${inside}\`, line ${finding.line}, of this archive.)`, file: archive, line: 1, endLine: 1, fix, suppressed: null };
}

/**
 * The chart's values file and key that set what an archived subchart's own values file sets (`redis:` in the
 * chart's values.yaml, for `charts/redis/values.yaml` unpacked from `charts/redis-18.0.0.tgz`): its dependency's
 * alias, else its name. Archives directly under the chart's `charts/` only.
 */
function parentValuesOf(input: ArchivedInput): (file: string) => { file: string; key: string } | null {
  const folders = Object.keys(input.archives ?? {}).filter((folder) => /^charts\/[^/]+$/.test(folder));
  if (folders.length === 0) return () => null;
  const deps = dependenciesOf(input);
  const own = ['values.yaml', 'values.yml'].find((rel) => input.head.has(rel));
  return (file) => {
    const folder = folders.find((f) => ['values.yaml', 'values.yml'].some((name) => file === chartFile(input.dir, `${f}/${name}`)));
    if (!folder || !own) return null;
    const name = folder.slice('charts/'.length);
    return { file: chartFile(input.dir, own), key: deps.find((d) => d.name === name)?.alias ?? name };
  };
}

/** The chart's dependencies (src/render/chart-file.ts). */
function dependenciesOf(input: ArchivedInput): ChartDependency[] {
  return chartDependencies(input.head.get('Chart.yaml') ?? input.head.get('Chart.yml') ?? '');
}

/** Each archive whose templates could not all be rendered, as the dependency it is (by its folder's name). */
function brokenArchives(unrendered: readonly { file: string; reason: string }[], archiveOf: (file: string) => string | null, input: ArchivedInput): UnfetchedDependency[] {
  const why = new Map<string, string>();
  for (const u of unrendered) {
    const archive = archiveOf(u.file);
    if (archive !== null && !why.has(archive)) why.set(archive, u.reason);
  }
  if (why.size === 0) return [];
  // Its index among the dependencies places its entry; without one, its folder's name stands for it.
  const deps = dependenciesOf(input);
  return [...why].map(([archive, reason]) => {
    const folder = Object.entries(input.archives ?? {}).find(([, a]) => a === archive)![0];
    const name = folder.split('/').pop()!;
    const dep = deps.find((d) => d.name === name);
    return {
      key: dep?.alias ?? name,
      name,
      repository: dep?.repository ?? '',
      index: dep?.index ?? -1,
      archive,
      why: `is the archive \`${archive}\`, unpacked, whose templates could not all be rendered (${reason.replace(/^Helm: /, '')})`,
    };
  });
}
