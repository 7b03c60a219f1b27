// The command line carries the same combined, proven fixes as the App: the edits of one file never overlap, so a
// tool can apply them all at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/fixes.js';
import type { Edit } from '../../src/model.js';
import { warden } from './helpers.js';

// One container that breaks many rules at once: their fixes all land in the same securityContext.
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
      containers:
      - name: server
        image: nvcr.io/nvidia/tritonserver:24.01-py3@sha256:0000000000000000000000000000000000000000000000000000000000000000
        securityContext:
          privileged: true
          allowPrivilegeEscalation: true
          runAsUser: 0
          capabilities:
            add: [SYS_ADMIN, NET_RAW]
          procMount: Unmasked
          seccompProfile:
            type: Unconfined
`;

interface JsonFix { file: string; fingerprints: string[]; edits: Edit[] }
interface JsonFinding { ruleId: string; fingerprint: string; file: string; fix: { edits: Edit[] } | null }

describe('warden scan --format json: fixes', () => {
  it('combines overlapping fixes into non-overlapping edits that, applied together, parse and clear every finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-fixes-'));
    const file = join(dir, 'serving.yaml');
    writeFileSync(file, OPEN_CONTAINER);
    const out = JSON.parse((await warden(['scan', file, '--format', 'json'])).stdout) as { findings: JsonFinding[]; fixes: JsonFix[] };
    const fixable = out.findings.filter((f) => f.fix && f.fix.edits.length > 0);
    expect(fixable.length).toBeGreaterThanOrEqual(8);

    const edits = out.fixes.flatMap((f) => f.edits);
    const sorted = [...edits].sort((a, b) => a.startLine - b.startLine);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startLine).toBeGreaterThan(sorted[i - 1]!.endLine);
    // Every fixable finding is covered by exactly one planned fix.
    const covered = out.fixes.flatMap((f) => f.fingerprints);
    expect(new Set(covered).size).toBe(covered.length);
    for (const f of fixable) expect(covered).toContain(f.fingerprint);

    writeFileSync(file, applyEdits(OPEN_CONTAINER, edits));
    const after = JSON.parse((await warden(['scan', file, '--format', 'json'])).stdout) as { findings: JsonFinding[] };
    expect(after.findings.filter((f) => f.ruleId === 'warden/parse-error')).toEqual([]);
    const left = new Set(after.findings.map((f) => f.fingerprint));
    for (const f of fixable) expect(left.has(f.fingerprint), f.ruleId).toBe(false);
  });
});
