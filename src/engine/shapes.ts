// Reusable rule shapes: most rules are one call of these.
import type { Path } from '../model.js';
import type { ContainerTarget, FixSpec, RuleContext, Scope, Target, TargetOf } from './define-rule.js';
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

/** Flag the items of the list at `path` for which `isBad` holds; the fix (when asked) removes them. */
export function listExcludes<S extends Scope, M extends string>(shape: {
  path: string | Path;
  message: M;
  isBad: (item: unknown, target: TargetOf<S>) => boolean;
  fix?: { description: (items: unknown[]) => string };
}): Check<S, M> {
  const rel = toPath(shape.path);
  return (target, ctx) => {
    const list = getIn(target.node, rel);
    if (!Array.isArray(list)) return;
    const bad = list.map((item, i) => ({ item, i })).filter(({ item }) => shape.isBad(item, target));
    if (bad.length === 0) return;
    const fix: FixSpec | undefined = shape.fix && {
      description: shape.fix.description(bad.map((b) => b.item)),
      // Remove from the end so earlier indices stay valid; an emptied list is removed whole.
      ops:
        bad.length === list.length
          ? [{ op: 'remove', path: rel }]
          : [...bad].reverse().map(({ i }) => ({ op: 'remove' as const, path: joinPath(rel, [i]) })),
    };
    const items = bad.map((b) => (typeof b.item === 'object' ? JSON.stringify(b.item) : String(b.item))).join(', ');
    ctx.report({ message: shape.message, at: bad.length === 1 ? joinPath(rel, [bad[0]!.i]) : rel, data: { ...targetData(target), items }, fix });
  };
}

/** A container's security setting, falling back to the pod's, as the kubelet resolves it. */
export function effectiveSecurity(target: ContainerTarget, field: string | Path): { value: unknown; level: 'container' | 'pod' | null } {
  const rel = toPath(field);
  const own = getIn(target.container.container, ['securityContext', ...rel]);
  if (own !== undefined) return { value: own, level: 'container' };
  const pod = getIn(target.pod.spec, ['securityContext', ...rel]);
  if (pod !== undefined) return { value: pod, level: 'pod' };
  return { value: undefined, level: null };
}

/** A Terraform expression hcl2json could not resolve (`${var.x}`): unknown, never judged insecure. */
export function isUnknown(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}
