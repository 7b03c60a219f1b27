// The scan reads repository paths and names them as its arguments do, whether they are absolute, relative or reach
// out with `../`; outside git, it lists only the folder scanned (or the chart above it).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { argumentNames, aroundReader, locateRepository } from '../../src/repository/as-given.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'warden-as-given-'));
  mkdirSync(join(root, 'apps', 'chart', 'templates'), { recursive: true });
  mkdirSync(join(root, 'base'));
  writeFileSync(join(root, 'apps', 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 1.0.0\n');
  writeFileSync(join(root, 'apps', 'chart', 'templates', '_helpers.tpl'), '{{- define "x" -}}x{{- end -}}\n');
  writeFileSync(join(root, 'base', 'kustomization.yaml'), 'resources: []\n');
});

describe('argumentNames', () => {
  it('names files below an absolute argument absolutely, and the others too when every argument is absolute', () => {
    const names = argumentNames(root, [join(root, 'apps')], '/');
    expect(['apps/chart/Chart.yaml', 'base/kustomization.yaml'].map(names.named)).toEqual([join(root, 'apps', 'chart', 'Chart.yaml'), join(root, 'base', 'kustomization.yaml')]);
    expect(names.inRepository(join(root, 'base', 'kustomization.yaml'))).toBe('base/kustomization.yaml');
  });

  it('names files below a relative argument as the argument reaches them, and the others from the working folder', () => {
    const names = argumentNames(root, ['../apps/chart'], join(root, 'apps'));
    expect(['apps/chart/Chart.yaml', 'base/kustomization.yaml'].map(names.named)).toEqual(['../apps/chart/Chart.yaml', '../base/kustomization.yaml']);
    expect(names.inRepository('chart/Chart.yaml')).toBe('apps/chart/Chart.yaml');
    expect(names.inRepository('..')).toBe('.');
  });

  it('places nothing outside its root in it', () => {
    const names = argumentNames(join(root, 'apps'), ['chart'], join(root, 'apps'));
    expect(names.inRepository('../base/kustomization.yaml')).toBeNull();
    expect(names.inRepository(join(root, 'base', 'kustomization.yaml'))).toBeNull();
  });

  it('names a file named as an argument as given, and a file below two arguments from the nearer', () => {
    const names = argumentNames(root, ['./base/kustomization.yaml', 'apps', 'apps/chart'], root);
    expect(['apps/chart/Chart.yaml', 'base/kustomization.yaml'].map(names.named)).toEqual(['apps/chart/Chart.yaml', './base/kustomization.yaml']);
    const many = argumentNames(root, [...Array.from({ length: 5000 }, (_, i) => `k8s/f-${i}.yaml`), 'base'], root);
    expect(['apps/chart/Chart.yaml', 'base/kustomization.yaml'].map(many.named)).toEqual(['apps/chart/Chart.yaml', 'base/kustomization.yaml']);
  });
});

describe('locateRepository outside git', () => {
  it('lists the folder scanned, not the working folder above it, and still reads beside it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'warden-locate-'));
    mkdirSync(join(cwd, 'deploy', 'overlays', 'prod'), { recursive: true });
    mkdirSync(join(cwd, 'deploy', 'base'), { recursive: true });
    mkdirSync(join(cwd, 'unrelated'));
    writeFileSync(join(cwd, 'deploy', 'overlays', 'prod', 'kustomization.yaml'), 'resources: [../../base]\n');
    writeFileSync(join(cwd, 'deploy', 'base', 'kustomization.yaml'), 'resources: []\n');
    writeFileSync(join(cwd, 'unrelated', 'x.yaml'), 'a: 1\n');
    const located = await locateRepository(['deploy/overlays/prod'], cwd);
    expect(located).toEqual({ root: 'deploy/overlays/prod', around: cwd, listFrom: 'deploy/overlays/prod', inGit: false });
    const reader = aroundReader(located, DEFAULT_CONFIG, cwd);
    expect(await reader.paths()).toEqual(['deploy/overlays/prod/kustomization.yaml']);
    expect(await reader.read('deploy/base/kustomization.yaml')).toBe('resources: []\n');
    expect(await reader.list!('deploy/base')).toEqual(['deploy/base/kustomization.yaml']);
  });

  it('lists the chart a template scanned alone belongs to', async () => {
    const cwd = join(root, 'apps');
    const located = await locateRepository(['chart/templates/_helpers.tpl'], cwd);
    expect(located.listFrom).toBe(join(root, 'apps', 'chart'));
    const reader = aroundReader(located, DEFAULT_CONFIG, cwd);
    expect(await reader.paths()).toEqual(['chart/Chart.yaml']);
  });

  it('takes several arguments to the folder holding them all when it is below the working folder', async () => {
    expect((await locateRepository(['apps/chart/Chart.yaml', 'apps/chart/templates'], root)).root).toBe('apps/chart');
    expect((await locateRepository([join(root, 'apps'), join(root, 'base')], join(root, 'apps'))).root).toBe(join(root, 'apps'));
  });
});
