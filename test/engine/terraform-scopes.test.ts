// A worker evaluates each file of a job in its own call, against the declarations of all the job's files: a module
// folder's scope is built once per job and shared by its files (building it for each file made a change to every
// file of a large folder quadratic in the folder's files), and never given to a file the job does not hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleScopes } from '../../src/engine/terraform/evaluate.js';
import { evaluateTerraformOnce } from '../../src/engine/terraform/evaluate-once.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { fileDeclarations } from '../../src/engine/terraform/file-declarations.js';
import { initHcl } from '../../src/formats/hcl.js';
import { parseFile } from '../../src/formats/index.js';
import type { ParsedFile } from '../../src/model.js';

beforeAll(() => initHcl());

const file = (i: number, name = `bucket-${i}`) =>
  `variable "replicas_${i}" {\n  default = ${i}\n}\n\nlocals {\n  name_${i} = "${name}"\n}\n\nresource "aws_s3_bucket" "b${i}" {\n  bucket = local.name_${i}\n}\n`;

async function parsed(path: string, text: string): Promise<ParsedFile> {
  return (await parseFile(path, text))!;
}

describe("a folder's scope in a job", () => {
  it('is built once for the files the job holds, with every file of the folder in it', async () => {
    const files = await Promise.all([0, 1, 2].map((i) => parsed(`mod/f${i}.tf`, file(i))));
    const job = files.map((f) => fileDeclarations(f)!);
    const [first, second] = [moduleScopes([files[0]!], job), moduleScopes([files[1]!], job)];
    expect(first.scopes.get('mod')).toBe(second.scopes.get('mod'));
    expect(first.scopes.get('mod')!.local).toEqual({ name_0: 'bucket-0', name_1: 'bucket-1', name_2: 'bucket-2' });
    expect(first.scopes.get('mod')!.var).toEqual({ replicas_0: 0, replicas_1: 1, replicas_2: 2 });
    // Another job (the baseline's, say) gets its own.
    const other = files.map((f) => fileDeclarations(f)!);
    expect(moduleScopes([files[0]!], other).scopes.get('mod')).not.toBe(first.scopes.get('mod'));
  });

  it('a file the job does not hold is evaluated with its own declarations, never with the shared scope', async () => {
    const files = await Promise.all([0, 1].map((i) => parsed(`mod/f${i}.tf`, file(i))));
    const job = files.map((f) => fileDeclarations(f)!);
    const shared = moduleScopes([files[0]!], job).scopes.get('mod')!;
    const stranger = await parsed('mod/f9.tf', file(9, 'stranger'));
    const own = moduleScopes([stranger], job).scopes.get('mod')!;
    expect(own).not.toBe(shared);
    expect(own.local).toEqual({ name_0: 'bucket-0', name_1: 'bucket-1', name_9: 'stranger' });
    expect(shared.local).toEqual({ name_0: 'bucket-0', name_1: 'bucket-1' });
  });

  it('what file() reads is part of the scope: another reader builds it again', async () => {
    const text = 'locals {\n  policy = file("policy.json")\n}\n';
    const files = [await parsed('mod/main.tf', text)];
    const job = files.map((f) => fileDeclarations(f)!);
    const read = (content: string) => (path: string) => (path === 'mod/policy.json' ? content : undefined);
    const one = moduleScopes(files, job, [], new Map(), read('{"a": 1}')).scopes.get('mod')!;
    const two = moduleScopes(files, job, [], new Map(), read('{"b": 2}')).scopes.get('mod')!;
    expect([one.local.policy, two.local.policy]).toEqual(['{"a": 1}', '{"b": 2}']);
  });
});

describe("what a job's change touched", () => {
  it('is found once for the files whose touches the job knows; a file touching more gets its own, with them', async () => {
    const texts = [0, 1, 2].map((i) => file(i).replace('locals {\n', `locals {\n  copy_${i} = local.name_${i}\n`));
    const files = await Promise.all(texts.map((text, i) => parsed(`mod/f${i}.tf`, text)));
    // The change touched f0's local (its line 7), which f0's `copy_0` reads.
    const changed = new Map([[files[0]!.file, new Set([7])]]);
    const job = files.map((f) => fileDeclarations(f, changed.get(f.file))!);
    const touchedData = ['mod\0local.name_0'];
    const options = { config: DEFAULT_CONFIG, touchedData, declarations: job };
    const first = evaluateTerraformOnce([files[0]!], changed, options);
    const second = evaluateTerraformOnce([files[1]!], new Map(), options);
    expect(second).toBe(first);
    expect([...first].sort()).toEqual(['mod\0local.copy_0', 'mod\0local.name_0']);
    // A file the job's keys do not hold what it touches (its local's line 7 changed here only).
    const stranger = await parsed('mod/f2.tf', texts[2]!);
    const own = evaluateTerraformOnce([stranger], new Map([[stranger.file, new Set([7])]]), options);
    expect(own).not.toBe(first);
    expect([...own].sort()).toEqual(['mod\0local.copy_0', 'mod\0local.copy_2', 'mod\0local.name_0', 'mod\0local.name_2']);
  });
});
