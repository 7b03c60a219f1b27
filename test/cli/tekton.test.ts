// A Tekton Task scanned from the command line: its steps (over their stepTemplate) and sidecars are judged by the
// pod rules, each finding where the field is written, and a step naming a StepAction is not reviewed; a StepAction is
// judged as the container of the steps that name it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warden } from './helpers.js';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build
  namespace: ci
spec:
  stepTemplate:
    securityContext:
      privileged: true
  steps:
  - name: compile
    image: golang:1.22
  - name: push
    image: gcr.io/kaniko-project/executor:latest
    securityContext:
      privileged: false
  - name: scan
    ref:
      name: trivy-scan
`;

const STEP_ACTION = `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata:
  name: kaniko-build
  namespace: ci
spec:
  image: gcr.io/kaniko-project/executor:latest
  command: [/kaniko/executor]
  securityContext:
    privileged: true
`;

interface Out { findings: { ruleId: string; line: number; message: string }[] }

describe('warden scan: a Tekton Task', () => {
  it('judges its steps where their fields are written and says what a StepAction runs is not reviewed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tekton-'));
    writeFileSync(join(dir, 'task.yaml'), TASK);
    const { code, stdout } = await warden(['scan', 'task.yaml', '--format', 'json'], dir);
    const findings = (JSON.parse(stdout) as Out).findings;
    const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.line);
    // The stepTemplate's `privileged: true` reaches `compile` (and `scan`), not `push`, which sets its own.
    expect(at('k8s/privileged')).toEqual([9]);
    expect(at('k8s/image-tag-pinned')).toEqual([14]);
    expect(at('warden/not-reviewed')).toEqual([18]);
    expect(findings.find((f) => f.ruleId === 'warden/not-reviewed')?.message).toContain('StepAction');
    expect(code).not.toBe(0);
  });

  it('judges a StepAction as the container of the steps that name it, a template that runs no pod of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tekton-'));
    writeFileSync(join(dir, 'step-action.yaml'), STEP_ACTION);
    const { stdout } = await warden(['scan', 'step-action.yaml', '--format', 'json'], dir);
    const findings = (JSON.parse(stdout) as Out).findings;
    expect(findings.filter((f) => f.ruleId === 'k8s/privileged').map((f) => f.line)).toEqual([10]);
    expect(findings.filter((f) => f.ruleId === 'k8s/image-tag-pinned').map((f) => f.line)).toEqual([7]);
    // No pod of its own: its namespace needs no network policy for it, and its step's resources are its Task's.
    expect(findings.map((f) => f.ruleId)).not.toContain('k8s/network-policy-missing');
    expect(findings.map((f) => f.ruleId)).not.toContain('k8s/resource-limits');
  });
});
