// Objects Helm or Argo CD create only around an install or a sync, and delete again: not there to protect anything.
// Helm: a hook runs on the events it names (`helm.sh/hook`); with `hook-succeeded` or `hook-failed` in its
// `helm.sh/hook-delete-policy` it is deleted when it ends (without one, `before-hook-creation`: it stays until the
// hook runs again), and a test hook exists only while `helm test` runs. Argo CD: `argocd.argoproj.io/hook: Skip` is
// never applied, `SyncFail` and `PostDelete` only when a sync fails or the application is deleted, and
// `HookSucceeded`/`HookFailed` in `argocd.argoproj.io/hook-delete-policy` delete it when it ends.
import { isRecord } from './path.js';

const list = (value: unknown): string[] | null => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : null);

/**
 * Whether the object stays deployed once an install or sync is over. A hook counts only when it is created on install
 * (or sync) and not deleted when it ends: a hook run only on upgrade, rollback, delete or test may be absent, and so
 * may anything whose annotations Warden cannot read as a string.
 */
export function staysDeployed(body: Record<string, unknown>): boolean {
  const annotations = isRecord(body.metadata) && isRecord(body.metadata.annotations) ? body.metadata.annotations : {};
  const helmHook = annotations['helm.sh/hook'];
  if (helmHook !== undefined) {
    const events = list(helmHook);
    const deleted = annotations['helm.sh/hook-delete-policy'] === undefined ? [] : list(annotations['helm.sh/hook-delete-policy']);
    if (!events || !deleted || !events.some((event) => event === 'pre-install' || event === 'post-install')) return false;
    if (deleted.some((policy) => policy === 'hook-succeeded' || policy === 'hook-failed')) return false;
  }
  const argoHook = annotations['argocd.argoproj.io/hook'];
  if (argoHook !== undefined) {
    const phases = list(argoHook);
    const deleted = annotations['argocd.argoproj.io/hook-delete-policy'] === undefined ? [] : list(annotations['argocd.argoproj.io/hook-delete-policy']);
    if (!phases || !deleted || !phases.some((phase) => phase === 'PreSync' || phase === 'Sync' || phase === 'PostSync')) return false;
    if (deleted.some((policy) => policy === 'HookSucceeded' || policy === 'HookFailed')) return false;
  }
  return true;
}
