// Interning what crosses from the workers keeps one copy of each string (not observable from JavaScript, where equal
// strings are the same value: the bench's memory shows it) and must change nothing of what it interns.
import { describe, expect, it } from 'vitest';
import { Interner } from '../../src/worker/intern.js';
import type { PlainResource } from '../../src/worker/transfer.js';

const resource = (name: string): PlainResource => ({
  id: `aws_s3_bucket.${name}`,
  kind: 'aws_s3_bucket',
  name,
  terraform: { block: 'resource', type: 'aws_s3_bucket', name },
  file: 'main.tf',
  format: 'hcl',
  range: { startLine: 1, endLine: 9 },
  body: {
    bucket: `${name}-models`,
    tags: [{ team: 'ml-platform', cost: 3, owners: ['a', 'b', null, { on: true }] }],
    force_destroy: false,
    policy: null,
    lifecycle_rule: [[['nested', 1]]],
  },
});

describe('the interner', () => {
  it('leaves every field and body value of a resource as it was, at any depth', () => {
    const interner = new Interner();
    for (const name of ['models', 'weights', 'models']) {
      const r = structuredClone(resource(name));
      expect(interner.resource(r)).toEqual(resource(name));
    }
    const namespaced: PlainResource = { ...resource('x'), kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'serving' };
    delete (namespaced as { terraform?: unknown }).terraform;
    expect(interner.resource(structuredClone(namespaced))).toEqual(namespaced);
  });
});
