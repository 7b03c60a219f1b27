// A Go text/template engine with Sprig's functions, in TypeScript: no Go, no helm binary.
import { builtins } from './builtins.js';
import { Budget, Executor, TemplateSet, type Func, type Limits, type Rendered } from './exec.js';
import { sprig } from './sprig.js';
import type { Val } from './trace.js';

export { Budget, Executor, TemplateSet, Traced, TemplateExecError, LimitError, UnknownFunctionError, FunctionError, DEFAULT_LIMITS } from './exec.js';
export type { Call, Func, Limits, Rendered, Where } from './exec.js';
export { TemplateSyntaxError } from './lexer.js';
export { GoStruct } from './values.js';
export * from './trace.js';

/** text/template's functions with Sprig's (Sprig's win where both exist, as in a FuncMap). */
export const standardFunctions: Record<string, Func> = { ...builtins, ...sprig };

/** Renders one template source on `data`: the simplest use, for tests and `tpl`-like callers. */
export function renderString(name: string, source: string, data: unknown, options: { funcs?: Record<string, Func>; limits?: Limits } = {}): Rendered {
  const set = new TemplateSet();
  set.add(name, source);
  const exec = new Executor(set, { ...standardFunctions, ...options.funcs }, new Budget(options.limits));
  const dot: Val = { v: data };
  return exec.execute(name, dot);
}
