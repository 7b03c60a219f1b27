// Rules for the App tests, made with the engine's own shapes: two whose fixes land in the same securityContext
// (so their comments must merge), beside the real k8s/privileged. The App runs the real RULES in production.
import { defineRule, type AnyRule } from '../../src/engine/define-rule.js';
import { fieldRequired } from '../../src/engine/shapes.js';
import privileged from '../../rules/k8s/privileged.js';

const docs = { why: 'test rule', fix: 'test fix' };

export const runAsNonRoot = defineRule({
  id: 'test/run-as-non-root',
  severity: 'high',
  title: 'Container may run as root',
  docs,
  references: {},
  fixable: true,
  scope: 'container',
  messages: { root: 'Container `{{name}}` may run as root. Set `runAsNonRoot: true`.' },
  check: fieldRequired({
    path: 'securityContext.runAsNonRoot',
    isGood: (value) => value === true,
    message: 'root',
    fix: () => ({ description: 'Set runAsNonRoot to true', ops: [{ op: 'set', path: 'securityContext.runAsNonRoot', value: true }] }),
  }),
});

export const noPrivilegeEscalation = defineRule({
  id: 'test/no-privilege-escalation',
  severity: 'medium',
  title: 'Privilege escalation allowed',
  docs,
  references: {},
  fixable: true,
  scope: 'container',
  messages: { escalation: 'Container `{{name}}` allows privilege escalation. Set `allowPrivilegeEscalation: false`.' },
  check: fieldRequired({
    path: 'securityContext.allowPrivilegeEscalation',
    isGood: (value) => value === false,
    message: 'escalation',
    fix: () => ({ description: 'Set allowPrivilegeEscalation to false', ops: [{ op: 'set', path: 'securityContext.allowPrivilegeEscalation', value: false }] }),
  }),
});

export const TEST_RULES: readonly AnyRule[] = [privileged, runAsNonRoot, noPrivilegeEscalation];
