// What a chart deploys that Warden does not render: a dependency `Chart.yaml` lists that is not unpacked under
// `charts/` (`helm dependency build` fetches it; Warden fetches nothing), or an archive there that was not unpacked. Like a kustomization's remote base, it is not
// reviewed where the change touches it (its `Chart.yaml` entry, or the values the chart gives it), and a note
// elsewhere: each such part is acknowledgeable with a suppression above its line.
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { Note } from '../model.js';
import { chartDependencies, chartFile } from './chart-file.js';
import type { UnfetchedDependency } from './helm.js';

/** A part of a chart file that was not reviewed, with why (`line`: what that line adds). */
export interface UnreviewedPart {
  file: string;
  reason: string;
  line?: number;
}

/** Lines of a YAML node: first and last, 1-based. */
function linesOf(node: Node | null | undefined, counter: LineCounter): [number, number] | null {
  if (!node?.range) return null;
  return [counter.linePos(node.range[0]).line, counter.linePos(Math.max(node.range[0], node.range[1] - 1)).line];
}

function touches(lines: [number, number] | null, changed: ReadonlySet<number> | null | undefined): boolean {
  if (lines === null || changed === undefined) return false;
  return changed === null || [...changed].some((line) => line >= lines[0] && line <= lines[1]);
}

/**
 * For each unfetched dependency: a part not reviewed at its `Chart.yaml` entry when the change touches that entry (or
 * its archive), and
 * at the top-level key of each values file the chart is rendered with whose lines under that key it touches (the
 * values the chart gives it); else a note. `changed` absent: a whole-file scan, where every line counts as touched.
 */
export function unfetchedParts(
  unfetched: readonly UnfetchedDependency[],
  dir: string,
  files: ReadonlyMap<string, string>,
  valuesFiles: readonly string[],
  changed: ReadonlyMap<string, ReadonlySet<number> | null> | undefined,
): { unreviewed: UnreviewedPart[]; notes: Note[] } {
  const unreviewed: UnreviewedPart[] = [];
  const notes: Note[] = [];
  if (unfetched.length === 0) return { unreviewed, notes };
  const parsed = (rel: string) => {
    const text = files.get(rel);
    if (text === undefined) return null;
    const counter = new LineCounter();
    return { doc: parseDocument(text, { lineCounter: counter, version: '1.1', uniqueKeys: false }), counter, file: chartFile(dir, rel) };
  };
  const metadataRel = files.has('Chart.yaml') ? 'Chart.yaml' : 'Chart.yml';
  const metadataFile = files.has(metadataRel) ? chartFile(dir, metadataRel) : null;
  const entries = chartDependencies(files.get(metadataRel) ?? '');
  const values = [...new Set([files.has('values.yaml') ? 'values.yaml' : 'values.yml', ...valuesFiles])].flatMap((rel) => parsed(rel) ?? []);
  const changedIn = (file: string) => (changed ? changed.get(file) : null);
  for (const dep of unfetched) {
    const local = dep.repository.startsWith('file://');
    const from = dep.repository ? `\`${dep.repository}\`` : 'no repository';
    const where = dep.why
      ? dep.why
      : dep.archive
      ? `is the archive \`${dep.archive}\`, which was not unpacked (a reader of text only, or the reason is noted)`
      : local
        ? 'is not under `charts/`, and its folder holds no chart Warden could read'
        : `is not under \`charts/\` (\`helm dependency build\` fetches it; Warden fetches nothing)`;
    const reason = `Helm: dependency \`${dep.name}\` (${from}) ${where}, so what it deploys with this chart's values is not rendered`;
    let parts = 0;
    // A change to its archive (a new one in its place) changes it as a change to its entry does.
    const archiveChanged = dep.archive !== undefined && (changed === undefined || changed.has(dep.archive));
    const lines = entries.find((entry) => entry.index === dep.index)?.lines ?? null;
    if (metadataFile && lines && (archiveChanged || touches(lines, changedIn(metadataFile)))) {
      unreviewed.push({ file: metadataFile, reason, line: lines[0] });
      parts++;
    } else if (archiveChanged && !lines) {
      // An archive no dependency lists (Helm installs it all the same): not reviewed where it is, the whole of it.
      unreviewed.push({ file: dep.archive!, reason });
      parts++;
    }
    for (const { doc, counter, file } of values) {
      if (!isMap(doc.contents)) continue;
      const pair = doc.contents.items.find((item) => isScalar(item.key) && String(item.key.value) === dep.key);
      const keyLines = linesOf(pair?.key as Node | undefined, counter);
      const valueLines = linesOf(pair?.value as Node | undefined, counter);
      const lines: [number, number] | null = keyLines && [keyLines[0], valueLines?.[1] ?? keyLines[1]];
      if (lines && touches(lines, changedIn(file))) {
        unreviewed.push({ file, reason: `the values under \`${dep.key}\` are for a dependency not rendered: ${reason}`, line: lines[0] });
        parts++;
      }
    }
    if (parts === 0) notes.push({ file: metadataFile ?? chartFile(dir, 'Chart.yaml'), message: reason });
  }
  return { unreviewed, notes };
}
