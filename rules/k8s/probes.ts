import picomatch from 'picomatch';
import { defineRule } from '../../src/engine/define-rule.js';
import { isRecord } from '../../src/engine/path.js';
import { apiGroup } from './support/k8s.js';

/** Kinds whose pods run until replaced: a serving container there must say when it is ready and alive. */
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'InferenceService', 'ServingRuntime', 'ClusterServingRuntime', 'Service', 'Configuration']);

export default defineRule({
  id: 'k8s/probes',
  severity: 'low',
  title: 'Serving container without readiness and liveness probes',
  fixable: false,
  scope: 'container',
  docs: {
    why:
      'A model server takes seconds to minutes to load its weights. Without a readiness probe it receives traffic ' +
      'before the model is loaded and answers errors; without a liveness probe a server wedged on a GPU error or a ' +
      'deadlocked worker keeps its endpoint and silently fails requests until someone restarts it.',
    fix:
      'Add a `readinessProbe` on the server\'s ready endpoint (KServe/Triton: `/v2/health/ready`, TorchServe: ' +
      '`/ping`, TGI/vLLM: `/health`) and a `livenessProbe` on its live endpoint, with a `startupProbe` or a long ' +
      '`initialDelaySeconds` for slow model loads. Which containers count as serving containers is ' +
      '`probes.serving_containers` (name globs) in `.github/warden.yml`; by default every app container of a ' +
      'long-running workload. For an InferenceService using a model format, probes belong to its ServingRuntime; ' +
      'a Knative Service gets a default readiness probe, so only liveness is asked there.',
  },
  references: {
    cis: 'CIS Kubernetes 5.7 (general policies)',
    nist: 'NIST SP 800-190 4.4 (container risks: availability)',
    checkov: 'CKV_K8S_8, CKV_K8S_9',
    kics: 'ade74944-a674-4e00-859e-c6eab5bde441, a659f3b5-9bf0-438a-bd9a-7d3a6427f1e3',
    kubeLinter: 'no-liveness-probe, no-readiness-probe',
  },
  messages: {
    missing: 'Serving container `{{name}}` has no {{missing}}: traffic can reach it before the model is loaded, and a wedged server is never restarted. Add them.',
  },
  check: (target, ctx) => {
    const resource = target.resource;
    if (target.container.list !== 'containers') return;
    // A bare Pod is long-running unless it is told not to restart.
    const restart = resource.kind === 'Pod' ? target.pod.spec.restartPolicy : undefined;
    if (!LONG_RUNNING.has(resource.kind) && !(resource.kind === 'Pod' && (restart === undefined || restart === 'Always'))) return;
    const knative = apiGroup(resource) === 'serving.knative.dev';
    if ((resource.kind === 'Service' || resource.kind === 'Configuration') && !knative) return;
    // A model-format container (`model`, `sklearn`, …) is merged with its ServingRuntime, which holds the probes.
    if (resource.kind === 'InferenceService' && typeof target.path[target.path.length - 1] === 'string') return;
    const globs = ctx.config.probes.serving_containers;
    if (globs.length > 0 && !picomatch.isMatch(target.container.name, globs)) return;
    const has = (key: string) => isRecord(target.node[key]);
    const missing = [];
    if (!has('readinessProbe') && !knative) missing.push('readinessProbe');
    if (!has('livenessProbe')) missing.push('livenessProbe');
    if (missing.length === 0) return;
    ctx.report({ message: 'missing', data: { name: target.container.name, missing: missing.join(' and no ') } });
  },
});
