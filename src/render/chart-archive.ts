// A chart's dependency archives (`charts/<name>-<version>.tgz`, as `helm dependency build` writes them), unpacked in
// memory as Helm loads them, so that what they deploy with the chart's values is rendered and reviewed. Nothing is
// written to disk or run; the archive is bounded before and after decompression, and only regular files inside one
// top folder are taken.
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { formatBytes, MAX_FILE_BYTES } from '../common/limits.js';
import { chartRelative, MAX_CHART_FILES } from './chart-file.js';
import { isChartArchive } from '../formats/templates.js';
import { UnreadableFile } from '../engine/repository.js';

/** An archive larger than this is not read (a chart's archive is tens of KB). */
export const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024;
/** Nor one that unpacks to more than this (a decompression bomb stops here). */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
/** Archives inside archives are unpacked this deep (a subchart's own dependencies); deeper, the outermost is not. */
export const MAX_ARCHIVE_DEPTH = 3;

/** What a chart archive holds: its top folder (the chart's name) and its files below it. */
export interface UnpackedChart {
  top: string;
  /** Text files, by path below the top folder. */
  files: Map<string, string>;
  /** Archives under a `charts/` folder inside it, by path below the top folder, to unpack in turn. */
  archives: Map<string, Uint8Array>;
}

const REGULAR = new Set(['File', 'OldFile', 'ContiguousFile']);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A chart archive's files; `failed` says why it could not be read as one. */
export async function unpackChartArchive(bytes: Uint8Array): Promise<UnpackedChart | { failed: string }> {
  if (bytes.length > MAX_ARCHIVE_BYTES) return { failed: `the archive is ${formatBytes(bytes.length)}, over the ${formatBytes(MAX_ARCHIVE_BYTES)} read` };
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    const message = error instanceof RangeError ? `it unpacks to more than ${formatBytes(MAX_UNPACKED_BYTES)}` : `not a gzip archive (${(error as Error).message})`;
    return { failed: message };
  }
  const entries: { path: string; type: string; data: Buffer }[] = [];
  let problem: string | null = null;
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => entries.push({ path: entry.path, type: entry.type, data: Buffer.concat(chunks) }));
  });
  const done = new Promise<void>((resolve) => {
    parser.on('error', (error: Error) => {
      problem ??= `not a tar archive (${error.message})`;
      resolve();
    });
    parser.on('end', () => resolve());
  });
  parser.end(tar);
  await done;
  if (problem) return { failed: problem };
  const unpacked: UnpackedChart = { top: '', files: new Map(), archives: new Map() };
  for (const { path, type, data } of entries) {
    if (type === 'Directory') continue;
    const shown = path.slice(0, 200);
    // Helm loads every entry as a file: a link or a device would be a file Warden cannot read as Helm does.
    if (!REGULAR.has(type)) return { failed: `it holds a ${type} (\`${shown}\`)` };
    const normal = posix.normalize(path.replace(/\\/g, '/'));
    if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) return { failed: `it holds a path outside its folder (\`${shown}\`)` };
    const [top, ...below] = normal.split('/');
    if (below.length === 0 || !top) return { failed: `it holds a file outside a chart folder (\`${shown}\`)` };
    if (unpacked.top !== '' && unpacked.top !== top) return { failed: `it holds more than one chart folder (\`${unpacked.top.slice(0, 200)}\`, \`${top.slice(0, 200)}\`)` };
    unpacked.top = top;
    const rel = below.join('/');
    if (unpacked.files.size + unpacked.archives.size >= MAX_CHART_FILES) return { failed: `it holds more than ${MAX_CHART_FILES} files` };
    if (isChartArchive(rel)) {
      unpacked.archives.set(rel, data);
      continue;
    }
    const text = data.length > MAX_FILE_BYTES ? null : decoded(data);
    // A file Helm renders or reads values from must be read whole; another (an icon under `files/`) is no template.
    if (text === null && parsedByHelm(rel)) return { failed: `\`${rel.slice(0, 200)}\` is ${data.length > MAX_FILE_BYTES ? `over ${formatBytes(MAX_FILE_BYTES)}` : 'not UTF-8 text'}, which Warden does not render` };
    if (text !== null) unpacked.files.set(rel, text);
  }
  if (unpacked.top === '') return { failed: 'it holds no files' };
  return unpacked;
}

/** Bytes as UTF-8 text, or null when they are not. */
function decoded(data: Uint8Array): string | null {
  try {
    return decoder.decode(data);
  } catch {
    return null;
  }
}

/** Whether Helm reads a chart file as a template, its values or its metadata (the rest only through `.Files`). */
export function parsedByHelm(rel: string): boolean {
  return /(^|\/)templates\//.test(rel) || /(^|\/)(Chart|values)\.ya?ml$/.test(rel) || /(^|\/)values\.schema\.json$/.test(rel);
}

/** Where the dependency archives of a chart's files unpack: each unpacked file by its would-be path, and each folder's archive. */
export interface UnpackedArchives {
  /** Text of each unpacked file, by repository path as if unpacked in place (`charts/model/charts/redis/values.yaml`). */
  files: Map<string, string>;
  /** Each unpacked folder (`charts/model/charts/redis`) → the archive it came from (`charts/model/charts/redis-18.0.0.tgz`). */
  folders: Map<string, string>;
  /** Archives that could not be unpacked, with why: their charts are left out, as an archive not read before. */
  failed: { file: string; reason: string }[];
}

/** A file's bytes (null: not there); it may reject, with why. */
export type ReadBytes = (path: string) => Promise<Uint8Array | null>;

/** A reader's archive reads, bounded; none when the reader reads text only (its charts' archives stay packed). */
export function archiveReader(reader: { readBytes?(path: string, maxBytes: number): Promise<Uint8Array | null> }): ReadBytes | undefined {
  return reader.readBytes ? (path) => reader.readBytes!(path, MAX_ARCHIVE_BYTES) : undefined;
}

/**
 * Unpack the archives under the `charts/` folders of a chart's files (repository paths) as Helm loads them, each
 * with the archives inside it. An archive whose folder is already there unpacked (a folder with its Chart.yaml) is
 * Helm's to refuse as a duplicate: left alone.
 */
export async function unpackArchives(paths: readonly string[], readBytes: ReadBytes): Promise<UnpackedArchives> {
  const result: UnpackedArchives = { files: new Map(), folders: new Map(), failed: [] };
  const present = new Set(paths);
  const archives = paths.filter(isChartArchive).sort();
  // Read at once: the App's reader sends these requests together.
  const read = await Promise.all(archives.map((file) => readBytes(file).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  for (const [i, file] of archives.entries()) {
    const data = read[i]!;
    if (data === null || data instanceof Error) {
      result.failed.push({ file, reason: data === null ? 'it could not be read' : data instanceof UnreadableFile ? data.reason : `it could not be read: ${data.message}` });
      continue;
    }
    const unpacked = await unpackWhole(data, 1);
    if ('failed' in unpacked) {
      result.failed.push({ file, reason: unpacked.failed });
      continue;
    }
    const folder = posix.join(posix.dirname(file), unpacked.top);
    const taken = result.folders.has(folder) || ['Chart.yaml', 'Chart.yml'].some((name) => present.has(`${folder}/${name}`) || result.files.has(`${folder}/${name}`));
    if (taken) continue;
    if (result.files.size + unpacked.files.size > MAX_CHART_FILES) {
      result.failed.push({ file, reason: `the chart's archives unpack to more than ${MAX_CHART_FILES} files` });
      continue;
    }
    result.folders.set(folder, file);
    for (const [rel, text] of unpacked.files) result.files.set(`${folder}/${rel}`, text);
  }
  return result;
}

/**
 * An archive with the archives inside it unpacked in place (each into the folder it holds, beside its own archive),
 * MAX_ARCHIVE_DEPTH deep; failed as a whole when one inside cannot be: what it leaves out is its chart's.
 */
async function unpackWhole(bytes: Uint8Array, depth: number): Promise<{ top: string; files: Map<string, string> } | { failed: string }> {
  const unpacked = await unpackChartArchive(bytes);
  if ('failed' in unpacked) return unpacked;
  const files = new Map(unpacked.files);
  for (const [rel, inner] of unpacked.archives) {
    if (depth >= MAX_ARCHIVE_DEPTH) return { failed: `\`${rel.slice(0, 200)}\` inside it is more than ${MAX_ARCHIVE_DEPTH} archives deep` };
    const nested = await unpackWhole(inner, depth + 1);
    if ('failed' in nested) return { failed: `\`${rel.slice(0, 200)}\` inside it cannot be unpacked: ${nested.failed}` };
    const folder = posix.join(posix.dirname(rel), nested.top);
    if (['Chart.yaml', 'Chart.yml'].some((name) => files.has(`${folder}/${name}`))) continue; // there unpacked already
    for (const [path, text] of nested.files) files.set(`${folder}/${path}`, text);
    if (files.size > MAX_CHART_FILES) return { failed: `it unpacks to more than ${MAX_CHART_FILES} files` };
  }
  return { top: unpacked.top, files };
}

/**
 * What a chart's archives add to its files (`paths`: repository paths), by chart-relative path: the files they
 * unpack to, and an empty stand-in for each archive not unpacked (none can be without `readBytes`), for the render
 * to say what it leaves out; with each unpacked folder's archive in the repository, and why any was not unpacked.
 */
export async function chartArchiveFiles(
  root: string,
  paths: readonly string[],
  readBytes: ReadBytes | undefined,
): Promise<{ files: Map<string, string>; folders: Record<string, string>; failed: { file: string; reason: string }[] }> {
  const unpacked = readBytes ? await unpackArchives(paths, readBytes) : { files: new Map<string, string>(), folders: new Map<string, string>(), failed: [] };
  const files = new Map([...unpacked.files].map(([path, text]) => [chartRelative(root, path), text]));
  const taken = new Set(unpacked.folders.values());
  for (const path of paths) if (isChartArchive(path) && !taken.has(path)) files.set(chartRelative(root, path), '');
  const folders = Object.fromEntries([...unpacked.folders].map(([folder, archive]) => [chartRelative(root, folder), archive]));
  return { files, folders, failed: unpacked.failed };
}
