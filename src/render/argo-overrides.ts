// Argo CD's parameter overrides kept in git, in the folder of the chart an Application installs: Argo CD merges
// `.argocd-source.yaml`, then `.argocd-source-<application>.yaml`, into the Application's source (a JSON merge
// patch each; what an image updater writes back is `helm.parameters`). Followed when every one there sets only
// `helm.parameters`: a merge patch replaces a list whole, so the last one's parameters are those Argo CD passes, over
// the source's values files, in place of any the Application sets itself. Anything else an override sets (values,
// another tool's settings) is not followed: the install is not rendered, and fails closed. (Argo CD reads no `.yml`
// one: such a file is nothing.)
import { isRecord } from '../common/path.js';
import { readYamlDocuments } from '../formats/yaml-documents.js';
import { argoOverrides } from './gitops-installs.js';
import { inlineValuesText } from './inline-values.js';

/** The chart-relative override files Argo CD reads for an Application, in the order it merges them. */
function overrideFiles(application: string): string[] {
  return ['.argocd-source.yaml', `.argocd-source-${application}.yaml`];
}

/**
 * The parameters the overrides in a chart's folder set for `application` (its name; `*`, any Application an
 * ApplicationSet makes: not followed), read as a values file where they are written at head and at base: under the
 * chart-relative path of the last override, which holds them at head (at base, what that revision's overrides set,
 * or nothing). Null when there is no override for it; `unread`, one of them, when they are not followed.
 */
export function parameterOverrides(files: { head: ReadonlyMap<string, string>; base: ReadonlyMap<string, string> }, application: string): { rel: string; head: string; base: string } | { unread: string } | null {
  const any = argoOverrides(files.head.keys(), application);
  if (any === null) return null;
  const unread = { unread: any };
  if (application === '*') return unread;
  const read = (texts: ReadonlyMap<string, string>) => {
    const present = overrideFiles(application).filter((rel) => texts.has(rel));
    if (!present.every((rel) => onlyParameters(texts.get(rel)!))) return null;
    const last = present.at(-1);
    return last === undefined ? { rel: null, values: '' } : { rel: last, values: inlineValuesText(texts.get(last)!, { path: ['helm', 'parameters'], form: 'parameters' }) };
  };
  const head = read(files.head);
  if (head?.rel == null || head.values === null) return unread;
  // At base, what Argo CD merged then; none read, no parameters (what the change's render has is then all new).
  const base = read(files.base);
  return { rel: head.rel, head: head.values, base: base?.values ?? '' };
}

/** Whether an override file sets `helm.parameters` and nothing else. */
function onlyParameters(text: string): boolean {
  const read = readYamlDocuments(text);
  if (read.errors.length > 0 || read.values.length !== 1) return false;
  const [override] = read.values;
  return isRecord(override) && Object.keys(override).join() === 'helm' && isRecord(override.helm) && Object.keys(override.helm).join() === 'parameters' && Array.isArray(override.helm.parameters);
}
