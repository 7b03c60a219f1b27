// What a cross-resource rule may look up: the kinds it declares, read from the rule in one place.
import { describe, expect, it } from 'vitest';
import { lookupsOf, visible } from '../../src/engine/visible.js';
import { parseFile } from '../../src/formats/index.js';
import type { RepositoryIndex } from '../../src/engine/repository.js';

describe('visible', () => {
  it('shows a rule only the kinds it declared (and native Terraform resources), the same index for the same rule', async () => {
    const yaml = await parseFile('a.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n');
    const tf = await parseFile('b.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n');
    const scanned = [...yaml!.resources, ...tf!.resources];
    const repository: RepositoryIndex = { resources: [], complete: true };
    const rule = { lookups: ['ServiceAccount'] };
    const seen = visible({ scanned, repository, lookups: lookupsOf(rule) });
    expect(seen.all.map((r) => r.kind)).toEqual(['ServiceAccount', 'aws_s3_bucket']);
    expect(seen.ofKind('Namespace')).toEqual([]);
    expect(visible({ scanned, repository, lookups: lookupsOf(rule) })).toBe(seen);
    expect(visible({ scanned, repository }).all.map((r) => r.kind)).toEqual(['aws_s3_bucket']);
  });
});
