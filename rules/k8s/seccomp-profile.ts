import { defineRule } from '../../src/engine/define-rule.js';
import { getIn } from '../../src/engine/path.js';
import { ruleIsOff } from '../../src/engine/shapes.js';

const GOOD = new Set(['RuntimeDefault', 'Localhost']);
const unknown = (value: unknown) => typeof value === 'string' && value.includes('${');
const TYPE = ['securityContext', 'seccompProfile', 'type'];

export default defineRule({
  id: 'k8s/seccomp-profile',
  severity: 'medium',
  title: 'No seccomp profile',
  level: 'restricted',
  fixable: true,
  scope: 'podSpec',
  docs: {
    why:
      'Without a seccomp profile a container runs with every system call allowed (Kubernetes does not apply the ' +
      'runtime\'s default unless asked). `RuntimeDefault` blocks the rarely needed system calls that most kernel ' +
      'exploits and container escapes use, at no cost to an inference server.',
    fix:
      'Set `securityContext.seccompProfile.type: RuntimeDefault` once at pod level (containers inherit it), or ' +
      '`Localhost` with a profile you ship. A container that sets its own type must use one of those two. Windows ' +
      'pods are exempt.',
  },
  references: {
    pss: 'Restricted: Seccomp',
    cis: 'CIS Kubernetes Benchmark 5.7.2 (ensure that the seccomp profile is set to docker/default)',
    nist: 'NIST SP 800-190 4.4.3 (insecure container runtime configurations), 4.5.2 (shared kernel)',
    checkov: 'CKV_K8S_31',
    kics: 'f377b83e-bd07-4f48-a591-60c82b14a78b, 455f2e0c-686d-4fcb-8b5f-3f953f12c43c',
  },
  messages: {
    podMissing:
      'No seccomp profile applies to {{containers}} of {{kind}} `{{name}}`: neither the pod nor the container sets one. ' +
      'Set the pod\'s `securityContext.seccompProfile.type: RuntimeDefault`.',
    podBad: 'The pod of {{kind}} `{{name}}` sets `seccompProfile.type: {{value}}`. Set it to `RuntimeDefault` (or `Localhost`).',
    containerBad: 'Container `{{container}}` sets `seccompProfile.type: {{value}}`. Set it to `RuntimeDefault` (or `Localhost`).',
  },
  check(target, ctx) {
    if (target.pod.windows) return;
    // `Unconfined` is a high-severity finding of k8s/seccomp-unconfined, with the same fix: say it once.
    const reportedElsewhere = (value: unknown) => value === 'Unconfined' && !ruleIsOff(ctx.config, 'k8s/seccomp-unconfined');
    const data = { kind: target.resource.kind, name: target.resource.name };
    const fix = { description: 'Set seccompProfile.type to RuntimeDefault', ops: [{ op: 'set' as const, path: TYPE, value: 'RuntimeDefault' }] };
    const pod = getIn(target.pod.spec, TYPE);
    if (unknown(pod)) return;
    const podGood = typeof pod === 'string' && GOOD.has(pod);
    if (pod !== undefined && !podGood && !reportedElsewhere(pod)) {
      ctx.report({ message: 'podBad', at: TYPE, data: { ...data, value: String(pod) }, fix });
    }
    const uncovered: string[] = [];
    for (const container of target.pod.containers) {
      const own = getIn(container.container, TYPE);
      if (own === undefined) {
        if (!podGood) uncovered.push(container.name);
        continue;
      }
      if (unknown(own) || (typeof own === 'string' && GOOD.has(own)) || reportedElsewhere(own)) continue;
      ctx.report({
        message: 'containerBad',
        base: container.path,
        at: TYPE,
        data: { ...data, container: container.name, value: String(own) },
        fix: { ...fix, ops: [{ ...fix.ops[0]!, base: container.path }] },
      });
    }
    // Containers without their own profile inherit the pod's: one finding, fixed once at pod level. A pod
    // type that is set but wrong is already reported above (or by k8s/seccomp-unconfined), with the same fix.
    if (uncovered.length > 0 && pod === undefined) {
      const containers = uncovered.length === 1 ? `container \`${uncovered[0]}\`` : `containers ${uncovered.map((c) => `\`${c}\``).join(', ')}`;
      ctx.report({ message: 'podMissing', at: TYPE, data: { ...data, containers }, fix });
    }
  },
});
