import { defineRule, type RelativeOp } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
// Extended resources for accelerators: the scheduler needs a limit, and requests must equal it.
import { GPU_RESOURCES } from './support/k8s.js';

/** Placeholders, used only when config gives no values: the fix is then offered as unsafe. */
const PLACEHOLDER = { cpu_request: '500m', memory_request: '1Gi', memory_limit: '1Gi' };

function present(map: unknown, key: string): boolean {
  const value = isRecord(map) ? map[key] : undefined;
  return value !== undefined && value !== null && value !== '';
}

export default defineRule({
  id: 'k8s/resource-limits',
  severity: 'medium',
  title: 'Container without resource requests and limits',
  fixable: true,
  scope: 'container',
  docs: {
    why:
      'A model server without a memory limit can grow until the node runs out of memory and the kubelet evicts ' +
      'its neighbours; without requests the scheduler packs it onto nodes that cannot hold the model, and a ' +
      'flood of inference requests becomes a denial of service for the whole node. A GPU requested without a ' +
      'limit is rejected or mis-scheduled: extended resources must be set as limits.',
    fix:
      'Give every container `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` ' +
      '(size memory to the loaded model plus its working set), and put any GPU (`nvidia.com/gpu`, `amd.com/gpu`) ' +
      'under `resources.limits`. A CPU limit is optional: it throttles latency-sensitive servers. Defaults for the ' +
      'suggested change come from `resources.defaults` in `.github/warden.yml`; without them the suggestion holds ' +
      'placeholders that must be sized before merging. A limit counts as the request when the request is unset, ' +
      'as the API server defaults it.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies: resource limits)',
    nist: 'NIST SP 800-190 4.4.2 (unbounded network access / resource abuse)',
    checkov: 'CKV_K8S_10, CKV_K8S_11, CKV_K8S_12, CKV_K8S_13',
    kics: 'ca469dd4-c736-448f-8ac1-30a642705e0a, b14d1bc4-a208-45db-92f0-e21f8e2588e9, 229588ef-8fde-40c8-8756-f4f2b5825ded',
    kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
  },
  messages: {
    missing: 'Container `{{name}}` has no {{missing}}. Set them under `resources` so the scheduler and the kubelet can bound the model server.',
    gpu: 'Container `{{name}}` requests `{{gpu}}` without a limit: accelerators must be set under `resources.limits` (equal to the request).',
  },
  check: (target, ctx) => {
    // Ephemeral containers cannot carry resources.
    if (target.container.list === 'ephemeralContainers') return;
    const container = target.node;
    const resources = isRecord(container.resources) ? container.resources : {};
    const requests = resources.requests;
    const limits = resources.limits;
    const defaults = ctx.config.resources.defaults;
    const ops: RelativeOp[] = [];
    const missing: string[] = [];
    let placeholder = false;
    const pick = (key: keyof typeof PLACEHOLDER) => {
      const value = defaults[key];
      if (value) return value;
      placeholder = true;
      return PLACEHOLDER[key];
    };
    // The API server copies a limit into an unset request: a limit alone is enough.
    if (!present(requests, 'cpu') && !present(limits, 'cpu')) {
      missing.push('CPU request');
      ops.push({ op: 'set', path: ['resources', 'requests', 'cpu'], value: pick('cpu_request') });
    }
    let request: unknown = isRecord(requests) ? requests.memory : undefined;
    if (!present(requests, 'memory') && !present(limits, 'memory')) {
      missing.push('memory request');
      request = pick('memory_request');
      ops.push({ op: 'set', path: ['resources', 'requests', 'memory'], value: request });
    }
    if (!present(limits, 'memory')) {
      missing.push('memory limit');
      // Limit = request gives the model server Guaranteed memory (not the first evicted), and is never below it.
      const value = defaults.memory_limit ?? (typeof request === 'string' || typeof request === 'number' ? request : pick('memory_limit'));
      ops.push({ op: 'set', path: ['resources', 'limits', 'memory'], value });
    }
    if (missing.length > 0) {
      const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} or ${missing[missing.length - 1]}`;
      ctx.report({
        message: 'missing',
        at: 'resources',
        data: { name: target.container.name, missing: list },
        fix: {
          description: placeholder
            ? 'Add resource requests and a memory limit (placeholder values: size them to the model before merging)'
            : 'Add resource requests and a memory limit from the configured defaults',
          applicability: placeholder ? 'unsafe' : 'safe',
          ops,
        },
      });
    }
    if (isRecord(requests)) {
      // Only the GPU requests are read: a CPU request's value says nothing of a GPU's limit.
      for (const name of Object.keys(requests).filter((resource) => GPU_RESOURCES.test(resource))) {
        if (present(limits, name)) continue;
        const value = requests[name];
        ctx.report({
          message: 'gpu',
          at: ['resources', 'requests', name],
          data: { name: target.container.name, gpu: name },
          fix: { description: `Set the ${name} limit equal to its request`, ops: [{ op: 'set', path: ['resources', 'limits', name], value }] },
        });
      }
    }
  },
});
