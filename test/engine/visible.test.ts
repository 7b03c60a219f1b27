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

  it("a scanned file's version of a resource hides the repository's, whatever kind it now has; the repository's lists are shared by every evaluation its files do not change", async () => {
    const role = (kind: string) => `resource "kubernetes_manifest" "grant" {\n  manifest = {\n    apiVersion = "rbac.authorization.k8s.io/v1"\n    kind       = "${kind}"\n    metadata = {\n      name      = "grant"\n      namespace = "serving"\n    }\n  }\n}\n`;
    const before = await parseFile('rbac.tf', role('Role'));
    const after = await parseFile('rbac.tf', role('ClusterRole'));
    const namespace = await parseFile('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: serving\n');
    const other = await parseFile('other.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n');
    const repository: RepositoryIndex = { resources: [...before!.resources, ...namespace!.resources], complete: true };
    const lookups = lookupsOf({ lookups: ['Role', 'ClusterRole', 'Namespace'] });
    const changed = visible({ scanned: after!.resources, repository, lookups });
    expect(changed.ofKind('Role')).toEqual([]);
    expect(changed.ofKind('ClusterRole').map((r) => r.file)).toEqual(['rbac.tf']);
    expect(changed.ofKind('Role', 'ClusterRole', 'Namespace').map((r) => `${r.kind} ${r.file}`)).toEqual(['ClusterRole rbac.tf', 'Namespace ns.yaml']);
    const elsewhere = visible({ scanned: other!.resources, repository, lookups });
    const nothing = visible({ scanned: [], repository, lookups });
    expect(elsewhere.ofKind('Role').map((r) => r.file)).toEqual(['rbac.tf']);
    expect(elsewhere.ofKind('Namespace')).toBe(nothing.ofKind('Namespace'));
    expect(elsewhere.placers()).toBe(nothing.placers());
    expect(changed.ofKind('Namespace')).toBe(nothing.ofKind('Namespace'));
  });
});
