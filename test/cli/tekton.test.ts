// A Tekton Task scanned from the command line: its steps (over their stepTemplate) and sidecars are judged by the
// pod rules, each finding where the field is written, and a step naming a StepAction is not reviewed.
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
});
