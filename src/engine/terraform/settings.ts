// The most common cloud rule: one attribute with a provider default, judged when known, never when unknown.
import type { Path, Resource } from '../../model.js';
import type { FixSpec, RuleContext } from '../define-rule.js';
import { isUnknown } from '../shapes.js';
import { attr, hasDynamic } from './values.js';

export interface SettingShape<M extends string> {
  /** Native path: attribute names and block indices, `['vpc_config', 0, 'endpoint_public_access']`. */
  path: Path;
  message: M;
  /** Whether a known value (or the provider's default, when absent) is insecure. */
  bad: (value: unknown) => boolean;
  /** The provider's default when the attribute is absent; leave out when absence is itself the finding. */
  defaultValue?: unknown;
  /** Skip resources this does not apply to. */
  when?: (body: Record<string, unknown>) => boolean;
  fix?: { description: string; value: unknown; applicability?: 'safe' | 'unsafe'; extra?: FixSpec['ops'] };
}

/** `state` for messages: what the file says, or that it says nothing and what the provider then does. */
export function describeSetting(path: Path, value: unknown, defaultValue?: unknown): string {
  const name = String(path[path.length - 1]);
  if (value === undefined) {
    return defaultValue === undefined ? `\`${name}\` is not set` : `\`${name}\` is not set, and the provider's default is ${JSON.stringify(defaultValue)}`;
  }
  return `\`${name} = ${JSON.stringify(value)}\``;
}

/** A check for one attribute: unknown values are never judged; an absent one is judged by the provider default. */
export function setting<M extends string>(shape: SettingShape<M>) {
  return (target: { resource: Resource; node: Record<string, unknown> }, ctx: Pick<RuleContext<M>, 'report'>): void => {
    if (shape.when && !shape.when(target.node)) return;
    // Inside a dynamic block the value is generated at plan time.
    const parent = shape.path.slice(0, -1).find((seg) => typeof seg === 'string');
    if (parent !== undefined && hasDynamic(target.node, String(parent)) && attr(target.node, shape.path) === undefined) return;
    const value = attr(target.node, shape.path);
    if (value !== undefined && isUnknown(value)) return;
    const judged = value === undefined ? shape.defaultValue : value;
    if (!(value === undefined && shape.defaultValue === undefined) && !shape.bad(judged)) return;
    ctx.report({
      message: shape.message,
      at: shape.path,
      data: { name: target.resource.name, state: describeSetting(shape.path, value, shape.defaultValue) },
      fix: shape.fix && {
        description: shape.fix.description,
        applicability: shape.fix.applicability ?? 'safe',
        ops: [...(shape.fix.extra ?? []), { op: 'set', path: shape.path, value: shape.fix.value }],
      },
    });
  };
}
