// Provenance: where a rendered character came from. A value read from a values file knows its
// file, line and key path; template text knows its file and line. Strings built from several
// sources carry spans (offset ranges of the text), which string functions shift as they edit.

export type Origin =
  | { kind: 'template'; file: string; line: number }
  /** `blockLine`: the value is a literal block (`key: |`) whose text starts on that line, each of its lines on the next. */
  | { kind: 'values'; file: string; line: number; path: (string | number)[]; blockLine?: number };

/** `origin` produced text[start, end). Spans may nest; the innermost one is the most precise. */
export interface Span { start: number; end: number; origin: Origin }

/** A value with what is known of its origin: `origin` for the whole, `spans` inside a string. */
export interface Val { v: unknown; origin?: Origin; spans?: Span[] }

const childOrigins = new WeakMap<object, Map<string | number, Origin>>();

/** The origin of `container[key]` (a values key, or whatever was stored there by dict/set/merge). */
export function originOf(container: unknown, key: string | number): Origin | undefined {
  return typeof container === 'object' && container !== null ? childOrigins.get(container)?.get(key) : undefined;
}

export function setOrigin(container: object, key: string | number, origin: Origin | undefined): void {
  let map = childOrigins.get(container);
  if (!origin) {
    map?.delete(key);
    return;
  }
  if (!map) childOrigins.set(container, (map = new Map()));
  map.set(key, origin);
}

/** Spans of `val` as a string of its printed text, the whole-value origin outermost. */
export function spansOf(val: Val, length: number): Span[] {
  const spans: Span[] = [];
  if (val.origin && length > 0) spans.push({ start: 0, end: length, origin: val.origin });
  if (val.spans) spans.push(...val.spans);
  return spans;
}

export function shiftSpans(spans: Span[], by: number): Span[] {
  return by === 0 ? spans : spans.map((s) => ({ ...s, start: s.start + by, end: s.end + by }));
}

/**
 * Spans after an edit that inserts text at given offsets (ascending) of the original:
 * each span keeps covering the characters it covered.
 */
export function spansAfterInserts(spans: Span[], inserts: { at: number; length: number }[]): Span[] {
  if (inserts.length === 0) return spans;
  const shift = (offset: number, isEnd: boolean): number => {
    let added = 0;
    for (const ins of inserts) {
      if (ins.at < offset || (ins.at === offset && !isEnd)) added += ins.length;
      else break;
    }
    return offset + added;
  };
  return spans.map((s) => ({ ...s, start: shift(s.start, false), end: shift(s.end, true) }));
}

/** Spans restricted to text[from, to) and re-based to `from`. */
export function sliceSpans(spans: Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end > start) out.push({ start: start - from, end: end - from, origin: s.origin });
  }
  return out;
}

/** The innermost span containing `offset`; ties go to the span recorded last. */
export function originAt(spans: Span[], offset: number): Origin | undefined {
  let best: Span | undefined;
  for (const s of spans) {
    if (s.start <= offset && offset < s.end && (!best || s.end - s.start <= best.end - best.start)) best = s;
  }
  return best?.origin;
}
