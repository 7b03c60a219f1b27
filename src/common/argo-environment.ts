// Argo CD's build environment: what it puts into the values files a Helm source lists and into its parameters'
// values before Helm reads them (`$ARGOCD_APP_NAME`, `${ARGOCD_APP_NAMESPACE}`; `$$` a `$`; an unknown name,
// nothing). Warden puts in what the Application says; a variable it does not know makes what names it not followed.
import { ownValue } from './own-key.js';

/**
 * What Argo CD gives the build (`$ARGOCD_APP_NAME`, `$ARGOCD_APP_NAMESPACE`, the source's path and revision), as far
 * as the Application says it.
 */
export type BuildEnvironment = Readonly<Record<string, string>>;

/**
 * The build environment of an Application named `name` in the namespace `namespace`, deploying to `destination`,
 * from `source`. Argo CD names an Application outside its own namespace (`argocd`) with that namespace too: its
 * name is then not known.
 */
export function buildEnvironment(name: unknown, namespace: unknown, destination: unknown, source: Record<string, unknown>): BuildEnvironment {
  return {
    ...(typeof name === 'string' && !name.includes('{{') && (namespace === undefined || namespace === 'argocd') ? { ARGOCD_APP_NAME: name } : {}),
    ...(typeof destination === 'string' && !destination.includes('{{') ? { ARGOCD_APP_NAMESPACE: destination } : {}),
    ...(typeof source.path === 'string' ? { ARGOCD_APP_SOURCE_PATH: source.path } : {}),
    ARGOCD_APP_SOURCE_TARGET_REVISION: typeof source.targetRevision === 'string' ? source.targetRevision : '',
  };
}

/** A variable as Argo CD reads one (`$NAME`, `${NAME}`), or `$$`, a `$`. */
const VARIABLE = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** `text` with the build environment's variables put in; null when one is not known. */
export function putIn(text: string | null, environment: BuildEnvironment): string | null {
  if (text === null) return null;
  let unknown = false;
  const put = text.replace(VARIABLE, (whole, _, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const value = ownValue(environment, (braced ?? bare)!);
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  // A `$` Argo CD reads otherwise (`$1`, `${}`), or a variable it would put in that Warden does not know.
  return unknown || /\$(?!\$)/.test(text.replace(VARIABLE, '')) ? null : put;
}
