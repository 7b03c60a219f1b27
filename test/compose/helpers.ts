// Compose a Kustomize layout held in memory and run rules on what it deploys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { composeChanged } from '../../src/compose/index.js';
import { inflateChart } from '../../src/render/kustomize-charts.js';
import type { AnyRule } from '../../src/engine/define-rule.js';
import { applyEdits } from '../../src/engine/edits.js';
import { evaluate } from '../../src/engine/run.js';
import type { Finding } from '../../src/model.js';
import { RULES } from '../../rules/index.js';

/** The hardened Triton Deployment (zero findings from every rule), without a namespace: overlays give it one. */
export const HARDENED_DEPLOYMENT = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hardened', 'deployment.yaml'), 'utf8').replace('  namespace: models\n', '');

/** A Deployment with no hardening at all, without a namespace: what a build deploys is judged, or not reviewed. */
export const PLAIN_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: server
        image: nvcr.io/nvidia/tritonserver:24.05-py3
`;

/** An overlay's strategic-merge patch of that Deployment: an env entry, and whatever `more` adds to the container. */
export function envPatch(more = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      containers:
      - name: triton
        env:
        - name: LOG_VERBOSE
          value: "1"
${more}`;
}

/**
 * A chart `server` in folder `dir`: a Deployment named for the release (line 4), noting the release's namespace, whose
 * container (line 11) prints the values' `image` (line 12) and `securityContext` (line 13).
 */
export function localChart(dir: string): Record<string, string> {
  return {
    [`${dir}/Chart.yaml`]: 'apiVersion: v2\nname: server\nversion: 1.0.0\n',
    [`${dir}/values.yaml`]: 'image: nvcr.io/nvidia/tritonserver:24.05-py3\nsecurityContext: {}\n',
    [`${dir}/templates/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-server
  annotations:
    installed-in: {{ .Release.Namespace }}
spec:
  template:
    spec:
      containers:
      - name: server
        image: {{ .Values.image }}
        securityContext:
          {{- toYaml .Values.securityContext | nindent 10 }}
`,
  };
}

export function memoryRead(files: Record<string, string>) {
  return async (path: string) => files[path] ?? null;
}

/** Every root of the layout composed, every file counted as changed (as `warden scan` sees it). */
export async function compose(files: Record<string, string>, changed: Iterable<string> = Object.keys(files)) {
  return composeChanged(Object.keys(files), new Set(changed), memoryRead(files), new Map(), inflateChart);
}

export async function composedFindings(files: Record<string, string>, rules: readonly AnyRule[] = RULES, options: { changed?: Record<string, number[] | null> } = {}) {
  const composed = await compose(files, options.changed ? Object.keys(options.changed) : Object.keys(files));
  const changedOf = new Map(Object.entries(options.changed ?? Object.fromEntries(Object.keys(files).map((f) => [f, null]))).map(([f, lines]) => [f, lines && new Set(lines)]));
  const { findings } = evaluate(composed.files, changedOf, { config: resolveConfig({}), rules });
  return { findings, composed };
}

/**
 * Prove a finding's fix on the composed output, as the rule tester does for one file: its edits applied (in
 * the files they name), the layout composed again no longer has the finding, and the same ops rendered on
 * the new composition change nothing. Returns the files after the fix.
 */
export async function proveFix(files: Record<string, string>, finding: Finding, rules: readonly AnyRule[] = RULES): Promise<Record<string, string>> {
  expect(finding.fix?.edits.length, `a fix is offered for ${finding.ruleId}`).toBeGreaterThan(0);
  const after = { ...files };
  for (const edit of finding.fix!.edits) after[edit.file] = applyEdits(after[edit.file]!, [edit]);
  const again = await composedFindings(after, rules);
  expect(again.findings.map((f) => f.fingerprint)).not.toContain(finding.fingerprint);
  const resource = again.composed.files.flatMap((f) => f.resources).find((r) => r.id === finding.resource);
  expect(resource, `${finding.resource} is still composed`).toBeDefined();
  expect(resource!.source.render!(finding.fix!.ops), 'applying the fix twice changes nothing').toEqual([]);
  return after;
}
