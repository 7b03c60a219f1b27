// Shared pieces of the hostile-input tests: a healthy file reviewed beside each hostile one, and a review call.
import { expect } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Finding } from '../../src/model.js';
import { review, type ChangedFile, type ReviewResult } from '../../src/review.js';

/** A pod with a known finding: the proof that the rest of the change is still reviewed. */
export const HEALTHY_PATH = 'k8s/healthy.yaml';
export const HEALTHY = `apiVersion: v1
kind: Pod
metadata:
  name: healthy
  namespace: serving
spec:
  containers:
    - name: server
      image: registry.example/triton:1.0
      securityContext:
        privileged: true
`;

/** A Terraform file with a known finding (a SageMaker notebook with root access). */
export const HEALTHY_TF_PATH = 'tf/healthy.tf';
export const HEALTHY_TF = `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  root_access   = "Enabled"
}
`;

export async function reviewWith(hostile: ChangedFile[]): Promise<ReviewResult> {
  return review({
    files: [...hostile, { path: HEALTHY_PATH, headText: HEALTHY }, { path: HEALTHY_TF_PATH, headText: HEALTHY_TF }],
    config: DEFAULT_CONFIG,
  });
}

/** The healthy files were reviewed: their known findings are there. */
export function expectHealthyReviewed(result: ReviewResult): void {
  const rules = (file: string) => result.findings.filter((f) => f.file === file).map((f) => f.ruleId);
  expect(rules(HEALTHY_PATH)).toContain('k8s/privileged');
  expect(rules(HEALTHY_TF_PATH).length).toBeGreaterThan(0);
}

export function parseErrorsOf(result: ReviewResult, file: string): Finding[] {
  return result.findings.filter((f) => f.file === file && f.ruleId === 'warden/parse-error');
}

/** Notes and skipped-file errors about one file. */
export function notesOf(result: ReviewResult, file: string): string[] {
  return [...result.errors, ...result.notes].filter((n) => n.file === file).map((n) => n.message);
}

/** The reason of the warden/not-reviewed finding on one file, or null when it was reviewed. */
export function notReviewedOf(result: ReviewResult, file: string): string | null {
  const found = result.findings.filter((f) => f.file === file && f.ruleId === 'warden/not-reviewed');
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.message.replace(/^Warden could not review this file, so nothing in it was checked: /, '') ?? null;
}

/** The file was not reviewed, and so the gate fails. */
export function expectNotReviewed(result: ReviewResult, file: string, reason: RegExp): void {
  expect(notReviewedOf(result, file)).toMatch(reason);
  expect(result.gating.some((f) => f.file === file && f.ruleId === 'warden/not-reviewed')).toBe(true);
}
