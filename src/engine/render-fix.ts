// A fix's ops rendered by the resource's format into line edits of its file.
import type { Edit, EditOp, ParsedFile, Resource } from '../model.js';
import { lineEdit, spliceEdit } from './edits.js';

/** Render a fix's ops into line edits against the file text; none when the format cannot write them. */
export function renderFix(resource: Resource, text: string, ops: readonly EditOp[]): Edit[] {
  if (resource.source.render) return resource.source.render(ops);
  // The writers insert `\n`: a file written with CRLF throughout is edited as LF and its endings restored,
  // so inserted lines match the file's own.
  const crlf = usesCrlf(text);
  const splice = crlf ? null : resource.source.splice?.(text, ops);
  if (splice) {
    const edit = spliceEdit(resource.file, text, splice);
    return edit ? [edit] : [];
  }
  const after = resource.source.apply(crlf ? text.replace(/\r\n/g, '\n') : text, ops);
  const edit = lineEdit(resource.file, text, crlf ? after.replace(/\n/g, '\r\n') : after);
  return edit ? [edit] : [];
}

/** Whether every line break of the text is CRLF. */
export function usesCrlf(text: string): boolean {
  const first = text.indexOf('\n');
  return first > 0 && text[first - 1] === '\r' && !/(^|[^\r])\n/.test(text);
}

/** A render asked of a file: ops against one of its resources. */
export interface RenderAsk {
  path: string;
  text: string;
  resource: string;
  ops: readonly EditOp[];
}

/** Renders grouped by file (and its text), each group with the places its renders hold in the list: one parse each. */
export function rendersByFile(renders: readonly RenderAsk[]): { path: string; text: string; indexes: number[] }[] {
  const byFile = new Map<string, { path: string; text: string; indexes: number[] }>();
  renders.forEach(({ path, text }, i) => {
    const key = `${path}\0${text}`;
    (byFile.get(key) ?? byFile.set(key, { path, text, indexes: [] }).get(key)!).indexes.push(i);
  });
  return [...byFile.values()];
}

/** Renders on one parsed file: each its edit, or null (a resource the file lacks, ops its writer cannot apply). */
export function renderOnParsed(parsed: ParsedFile | null, renders: readonly { resource: string; ops: readonly EditOp[] }[]): (Edit | null)[] {
  const byId = new Map(parsed?.resources.map((r) => [r.id, r]));
  return renders.map(({ resource, ops }) => {
    const found = byId.get(resource);
    try {
      return found ? (renderFix(found, parsed!.text, ops)[0] ?? null) : null;
    } catch {
      return null;
    }
  });
}
