// Reusable rule shapes: most rules are one call of these.
import type { Applicability, Path } from '../model.js';
import type { Config } from '../config.js';
import type { FixSpec, PodSpecTarget, RuleContext, Scope, Target, TargetOf } from './define-rule.js';
import { getIn, joinPath, toPath } from './path.js';

type Check<S extends Scope, M extends string> = (target: TargetOf<S>, ctx: RuleContext<M>) => void;
type Data = Record<string, string | number>;

/** Data every message may use: `{{name}}` is the container's name, or the resource's. */
export function targetData(target: Target): Data {
  return { name: target.scope === 'container' ? target.container.name : target.resource.name, kind: target.resource.kind };
}

interface FieldShape<S extends Scope, M extends string> {
  path: string | Path;
  message: M;
  data?: (value: unknown, target: TargetOf<S>) => Data;
  fix?: (value: unknown, target: TargetOf<S>) => FixSpec | undefined;
}

/** Flag the value at `path` when `isBad(value)` holds; report at that path, with an optional fix. */
export function fieldIs<S extends Scope, M extends string>(
  shape: FieldShape<S, M> & { isBad: (value: unknown, target: TargetOf<S>) => boolean },
): Check<S, M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    const value = getIn(target.node, rel);
    if (value === undefined || !shape.isBad(value, target)) return;
    ctx.report({
      message: shape.message,
      at: rel,
      data: { ...targetData(target), value: String(value), ...shape.data?.(value, target) },
      fix: shape.fix?.(value, target),
    });
  };
}

/** Flag when the value at `path` is absent or not `isGood`; report at that path (or its nearest parent). */
export function fieldRequired<S extends Scope, M extends string>(
  shape: FieldShape<S, M> & { isGood: (value: unknown, target: TargetOf<S>) => boolean },
): Check<S, M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    const value = getIn(target.node, rel);
    if (value !== undefined && shape.isGood(value, target)) return;
    ctx.report({
      message: shape.message,
      at: rel,
      data: { ...targetData(target), value: String(value), ...shape.data?.(value, target) },
      fix: shape.fix?.(value, target),
    });
  };
}

/** Flag the items of the list at `path` for which `isBad` holds; the fix (when asked) leaves the list without them. */
export function listExcludes<S extends Scope, M extends string>(shape: {
  path: string | Path;
  message: M;
  isBad: (item: unknown, target: TargetOf<S>) => boolean;
  fix?: { description: (items: unknown[]) => string; applicability?: Applicability };
  /** How an item reads in the message (`{{items}}`); default: the value, or its JSON. */
  label?: (item: unknown) => string;
}): Check<S, M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    const list = getIn(target.node, rel);
    if (!Array.isArray(list)) return;
    const bad = list.map((item, i) => ({ item, i })).filter(({ item }) => shape.isBad(item, target));
    if (bad.length === 0) return;
    // The list is set to what remains (or removed when nothing does), not trimmed by index: index removals
    // are not idempotent (applied twice, they remove the next items) and go stale when another fix edits the list.
    const kept = list.filter((item) => !bad.some((b) => b.item === item));
    const fix: FixSpec | undefined = shape.fix && {
      description: shape.fix.description(bad.map((b) => b.item)),
      applicability: shape.fix.applicability,
      ops: kept.length === 0 ? [{ op: 'remove', path: rel }] : [{ op: 'set', path: rel, value: kept }],
    };
    const label = shape.label ?? ((item: unknown) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
    const items = bad.map((b) => label(b.item)).join(', ');
    ctx.report({ message: shape.message, at: bad.length === 1 ? joinPath(rel, [bad[0]!.i]) : rel, data: { ...targetData(target), items }, fix });
  };
}

/** A Terraform expression hcl2json could not resolve (`${var.x}`): unknown, never judged insecure. */
export function isUnknown(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** Whether the config turns a rule off (rules that defer overlapping findings to another rule ask this). */
export function ruleIsOff(config: Config, id: string): boolean {
  return config.rules[id] === 'off';
}

/** One security context of a pod spec: the pod's own, or a container's. */
export interface SecurityContextRef {
  level: 'pod' | 'container';
  /** Absolute path of the pod spec or container that holds `securityContext`. */
  base: Path;
  /** The settings found there (empty when absent). */
  context: Record<string, unknown>;
  /** Message data: `{{who}}` reads "Container `x`" or "The pod spec". */
  who: string;
}

/** The pod-level security context and every container's, in document order (pod first). */
export function securityContexts(target: PodSpecTarget): SecurityContextRef[] {
  const asRecord = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  return [
    { level: 'pod' as const, base: target.pod.path, context: asRecord(target.pod.spec.securityContext), who: 'The pod spec' },
    ...target.pod.containers.map((c) => ({
      level: 'container' as const,
      base: c.path,
      context: asRecord(c.container.securityContext),
      who: `Container \`${c.name}\``,
    })),
  ];
}

/**
 * Flag a `securityContext` field wherever a pod spec sets it: at pod level and on every container
 * (`containers`, `initContainers`, `ephemeralContainers`). Reports at the field; the fix is relative to
 * the security context that holds it, so it edits that one place.
 */
export function securityFieldIs<M extends string>(shape: {
  /** Relative to `securityContext`. */
  path: string | Path;
  isBad: (value: unknown, where: SecurityContextRef, target: PodSpecTarget) => boolean;
  message: M | ((value: unknown, where: SecurityContextRef) => M);
  data?: (value: unknown, where: SecurityContextRef) => Data;
  fix?: (value: unknown, where: SecurityContextRef) => FixSpec | undefined;
}): Check<'podSpec', M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    for (const where of securityContexts(target)) {
      const value = getIn(where.context, rel);
      if (value === undefined || !shape.isBad(value, where, target)) continue;
      const fix = shape.fix?.(value, where);
      ctx.report({
        message: typeof shape.message === 'function' ? shape.message(value, where) : shape.message,
        base: where.base,
        at: ['securityContext', ...rel],
        data: { ...targetData(target), who: where.who, value: String(value), ...shape.data?.(value, where) },
        fix: fix && { ...fix, ops: fix.ops.map((op) => ({ ...op, base: op.base ?? where.base })) },
      });
    }
  };
}

/**
 * Flag items of the list at `path` one by one: `match` returns null for a good item, or where in the
 * item the finding sits (relative to the item), extra message data, an optional fix, and the message when it is
 * not the shape's.
 */
export function eachItem<S extends Scope, M extends string>(shape: {
  path: string | Path;
  message: M;
  match: (item: unknown, index: number, target: TargetOf<S>) => { at?: string | Path; data?: Data; fix?: FixSpec; message?: M } | null;
}): Check<S, M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    const list = getIn(target.node, rel);
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const hit = shape.match(item, i, target);
      if (!hit) return;
      const at = joinPath(joinPath(rel, [i]), hit.at ?? []);
      ctx.report({ message: hit.message ?? shape.message, at, data: { ...targetData(target), index: i, ...hit.data }, fix: hit.fix });
    });
  };
}
