// Helm values with provenance: each key of a values file knows its file and line, and merging
// (values files given with -f, then the chart's defaults, then subchart scoping) keeps, for every
// key, the origin of the source that won, as Helm's coalescing decides the winner.
import { isAlias, isMap as isYamlMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { originOf, setOrigin, type Origin } from './gotemplate/index.js';
import { deepCopy, isMap } from './gotemplate/values.js';
import { MAX_NESTING } from '../engine/limits.js';
import { GO_YAML_INTEGERS } from '../formats/go-yaml-tags.js';
import { ownValue, setOwn } from '../common/own-key.js';

export type Values = Record<string, unknown>;

export class ValuesError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ValuesError';
  }
}

/** Parses a values file (YAML 1.1, as Helm's go-yaml reads it) into plain data whose keys carry their origin. */
export function loadValues(file: string, text: string): Values {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', customTags: [GO_YAML_INTEGERS], uniqueKeys: false, lineCounter });
  const first = doc.errors[0];
  if (first) throw new ValuesError(file, lineCounter.linePos(first.pos[0]).line, first.message.split('\n')[0]!);
  const lineOf = (node: YamlNode | null | undefined, fallback: number): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  // A literal block's text is the file's lines below its `|` as they are: what `tpl` renders of it is at those lines.
  const block = (node: unknown): { blockLine?: number } =>
    isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range ? { blockLine: lineOf(node, 1) + 1 } : {};

  let aliases = 0;
  const build = (node: unknown, path: (string | number)[], depth: number): unknown => {
    if (depth > MAX_NESTING) throw new ValuesError(file, 1, `values nested more than ${MAX_NESTING} deep`);
    if (isAlias(node)) {
      // Bounded as the yaml package bounds aliases, so an alias bomb is an error, not a hang.
      if (++aliases > 100) throw new ValuesError(file, lineOf(node, 1), 'more than 100 aliases');
      return build(node.resolve(doc), path, depth + 1);
    }
    if (isYamlMap(node)) {
      const out: Values = {};
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (isMergeKey(keyNode)) {
          // YAML 1.1 merge key: the keys of the map (or of each map of a list, the first one's first), unless this map sets them.
          const merged = build(pair.value, path, depth + 1);
          for (const from of Array.isArray(merged) ? merged : [merged]) {
            for (const [k, v] of Object.entries(isMap(from) ? from : {})) {
              if (Object.hasOwn(out, k)) continue;
              setOwn(out, k, v);
              setOrigin(out, k, originOf(from, k));
            }
          }
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        setOwn(out, key, build(pair.value, [...path, key], depth + 1));
        setOrigin(out, key, { kind: 'values', file, line: lineOf(keyNode, 1), path: [...path, key], ...block(pair.value) });
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        out.push(build(item, [...path, i], depth + 1));
        setOrigin(out, i, { kind: 'values', file, line: lineOf(item as YamlNode, 1), path: [...path, i], ...block(item) });
      });
      return out;
    }
    if (isScalar(node)) {
      // go-yaml decodes timestamps into interface{} as strings; the yaml package would make Dates.
      return node.value instanceof Date ? String(node.source) : (node.value ?? null);
    }
    return null;
  };
  const root = build(doc.contents, [], 0);
  if (root === null) return {};
  if (!isMap(root)) throw new ValuesError(file, 1, 'a values file must be a map');
  return root;
}

/** A plain `<<` key, which go-yaml reads as YAML 1.1's merge key: the yaml package gives its value as a symbol (a quoted `"<<"` is a key). */
function isMergeKey(node: YamlNode | null): boolean {
  return isScalar(node) && typeof node.value === 'symbol' && node.value.description === '<<';
}

/**
 * Merges values files given in order (Helm's `-f a -f b`): later keys override earlier ones; maps merge
 * key by key. The result is new data; each key keeps the origin of the file that set it last.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out = deepCopy(base);
  for (const [key, value] of Object.entries(override)) {
    const current = ownValue(out, key);
    setOwn(out, key, isMap(current) && isMap(value) ? mergeValues(current, value) : deepCopy(value));
    setOrigin(out, key, originOf(override, key));
  }
  return out;
}

/**
 * Helm's coalescing of user values over a chart's defaults: a user key wins, maps merge, and a user
 * `null` deletes the default key. `global` is merged likewise.
 */
export function coalesce(user: Values, defaults: Values): Values {
  const out = deepCopy(user);
  for (const [key, value] of Object.entries(defaults)) {
    if (!Object.hasOwn(out, key)) {
      setOwn(out, key, deepCopy(value));
      setOrigin(out, key, originOf(defaults, key));
    } else if (out[key] === null || out[key] === undefined) {
      delete out[key];
      setOrigin(out, key, undefined);
    } else if (isMap(out[key]) && isMap(value)) {
      setOwn(out, key, coalesce(out[key] as Values, value));
      setOrigin(out, key, originOf(user, key));
    }
  }
  // A null the user set with no default to delete is still removed, as Helm does.
  for (const key of Object.keys(out)) if (out[key] === null && !Object.hasOwn(defaults, key)) delete out[key];
  return out;
}

/** The values a subchart sees: its defaults under the parent's `<name>:` section, and the parent's globals. */
export function subchartValues(parent: Values, name: string, defaults: Values): Values {
  const own = ownValue(parent, name);
  const section = isMap(own) ? own : {};
  const scoped = deepCopy(section);
  const parentGlobal = isMap(parent.global) ? (parent.global as Values) : {};
  const ownGlobal = isMap(scoped.global) ? (scoped.global as Values) : {};
  scoped.global = mergeValues(ownGlobal, parentGlobal);
  setOrigin(scoped, 'global', originOf(parent, 'global') ?? originOf(section, 'global'));
  return coalesce(scoped, defaults);
}

/** The origin of a key path in merged values, if it came from a values file. */
export function valuesOrigin(values: Values, path: (string | number)[]): Origin | undefined {
  let container: unknown = values;
  let origin: Origin | undefined;
  for (const key of path) {
    if (!(isMap(container) || Array.isArray(container))) return undefined;
    origin = originOf(container, key);
    container = Array.isArray(container) ? container[key as number] : ownValue(container as Values, String(key));
  }
  return origin;
}
