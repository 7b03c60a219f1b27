// The command line carries the same combined, proven fixes as the App: the edits of one file never overlap, so a
// tool can apply them all at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../../src/fixes.js';
import type { Edit } from '../../src/model.js';
import { warden } from './helpers.js';

// One container that breaks eight rules at once, and nothing else: their fixes all land in the same securityContext.
const OPEN_CONTAINER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
  namespace: models
spec:
  selector:
    matchLabels: { app: triton }
  template:
    metadata:
      labels: { app: triton }
    spec:
      automountServiceAccountToken: false
      containers:
      - name: server
        image: nvcr.io/nvidia/tritonserver:24.01-py3@sha256:0000000000000000000000000000000000000000000000000000000000000000
        readinessProbe:
          httpGet: { path: /v2/health/ready, port: 8000 }
        livenessProbe:
          httpGet: { path: /v2/health/live, port: 8000 }
        resources:
          requests: { cpu: "4", memory: 16Gi }
          limits: { memory: 16Gi }
        securityContext:
          privileged: true
          allowPrivilegeEscalation: true
          runAsUser: 0
          readOnlyRootFilesystem: true
          capabilities:
            add: [SYS_ADMIN, NET_RAW]
          procMount: Unmasked
          seccompProfile:
            type: Unconfined
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: models
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const EIGHT_RULES = [
  'k8s/allow-privilege-escalation',
  'k8s/capabilities-baseline',
  'k8s/drop-all-capabilities',
  'k8s/privileged',
  'k8s/proc-mount',
  'k8s/run-as-non-root',
  'k8s/run-as-root-user',
  'k8s/seccomp-unconfined',
];

interface JsonFix { file: string; fingerprints: string[]; edits: Edit[] }
interface JsonFinding { ruleId: string; fingerprint: string; file: string; line: number; fix: { edits: Edit[] } | null }

// The same manifest as YAML and as a JSON List (read by content, fixed with JSON edits).
const AS_JSON = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: parseAllDocuments(OPEN_CONTAINER).map((d) => d.toJS() as unknown) }, null, 2)}\n`;

describe('warden scan --format json: fixes', () => {
  for (const [name, text, parses] of [
    ['serving.yaml', OPEN_CONTAINER, (t: string) => parseAllDocuments(t).every((d) => d.errors.length === 0)],
    ['serving.json', AS_JSON, (t: string) => Boolean(JSON.parse(t))],
  ] as const) {
    it(`${name}: eight findings in one container become non-overlapping edits that, applied together, parse and clear all eight`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'warden-fixes-'));
      const file = join(dir, name);
      writeFileSync(file, text);
      const out = JSON.parse((await warden(['scan', file, '--format', 'json'])).stdout) as { findings: JsonFinding[]; fixes: JsonFix[] };
      expect(out.findings.map((f) => f.ruleId).sort()).toEqual(EIGHT_RULES);
      for (const f of out.findings) expect(f.fix?.edits.length, f.ruleId).toBeGreaterThan(0);

      const edits = out.fixes.flatMap((f) => f.edits);
      const sorted = [...edits].sort((a, b) => a.startLine - b.startLine);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startLine).toBeGreaterThan(sorted[i - 1]!.endLine);
      // Every finding is covered by exactly one planned fix.
      const covered = out.fixes.flatMap((f) => f.fingerprints);
      expect(new Set(covered).size).toBe(covered.length);
      expect([...covered].sort()).toEqual(out.findings.map((f) => f.fingerprint).sort());

      const fixed = applyEdits(text, edits);
      expect(parses(fixed)).toBe(true);
      writeFileSync(file, fixed);
      const after = JSON.parse((await warden(['scan', file, '--format', 'json'])).stdout) as { findings: JsonFinding[] };
      expect(after.findings.map((f) => f.ruleId)).toEqual([]);
    });
  }
});
