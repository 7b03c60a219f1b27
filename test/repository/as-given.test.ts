// The scan's reader names the repository's files as the scan's arguments name them: a file listed and the same
// file scanned are one path, whether the arguments are absolute, relative or reach out with `../`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { argumentsReader, locateRepository } from '../../src/repository/as-given.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'warden-as-given-'));
  mkdirSync(join(root, 'apps', 'chart', 'templates'), { recursive: true });
  mkdirSync(join(root, 'base'));
  writeFileSync(join(root, 'apps', 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 1.0.0\n');
  writeFileSync(join(root, 'apps', 'chart', 'templates', '_helpers.tpl'), '{{- define "x" -}}x{{- end -}}\n');
  writeFileSync(join(root, 'base', 'kustomization.yaml'), 'resources: []\n');
});

describe('argumentsReader', () => {
  it('names files below an absolute argument absolutely, and the others too when every argument is absolute', async () => {
    const reader = argumentsReader(root, DEFAULT_CONFIG, [join(root, 'apps')], '/');
    expect(await reader.paths()).toEqual([join(root, 'apps', 'chart', 'Chart.yaml'), join(root, 'base', 'kustomization.yaml')]);
    expect(await reader.list!(join(root, 'apps', 'chart'))).toEqual([join(root, 'apps', 'chart', 'Chart.yaml'), join(root, 'apps', 'chart', 'templates', '_helpers.tpl')]);
    expect(await reader.read(join(root, 'base', 'kustomization.yaml'))).toBe('resources: []\n');
  });

  it('names files below a relative argument as the argument reaches them, and the others from the working folder', async () => {
    const cwd = join(root, 'apps');
    const reader = argumentsReader(root, DEFAULT_CONFIG, ['../apps/chart'], cwd);
    expect(await reader.paths()).toEqual(['../apps/chart/Chart.yaml', '../base/kustomization.yaml']);
    expect(await reader.list!('../apps/chart/templates')).toEqual(['../apps/chart/templates/_helpers.tpl']);
    expect(await reader.read('../base/kustomization.yaml')).toBe('resources: []\n');
    expect(await reader.read('chart/Chart.yaml')).toContain('name: chart');
  });

  it('reads nothing outside its root', async () => {
    const reader = argumentsReader(join(root, 'apps'), DEFAULT_CONFIG, ['chart'], join(root, 'apps'));
    expect(await reader.read('../base/kustomization.yaml')).toBeNull();
    expect(await reader.read(join(root, 'base', 'kustomization.yaml'))).toBeNull();
    expect(await reader.list!('..')).toEqual([]);
    expect(await reader.paths()).toEqual(['chart/Chart.yaml']);
  });

  it('names a file named as an argument as given, and a file below two arguments from the nearer', async () => {
    const cwd = root;
    const reader = argumentsReader(root, DEFAULT_CONFIG, ['./base/kustomization.yaml', 'apps', 'apps/chart'], cwd);
    expect(await reader.paths()).toEqual(['apps/chart/Chart.yaml', './base/kustomization.yaml']);
    const many = argumentsReader(root, DEFAULT_CONFIG, [...Array.from({ length: 5000 }, (_, i) => `k8s/f-${i}.yaml`), 'base'], cwd);
    expect(await many.paths()).toEqual(['apps/chart/Chart.yaml', 'base/kustomization.yaml']);
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
    const reader = argumentsReader(located.around, DEFAULT_CONFIG, ['deploy/overlays/prod'], cwd, located.listFrom);
    expect(await reader.paths()).toEqual(['deploy/overlays/prod/kustomization.yaml']);
    expect(await reader.read('deploy/base/kustomization.yaml')).toBe('resources: []\n');
    expect(await reader.list!('deploy/base')).toEqual(['deploy/base/kustomization.yaml']);
  });

  it('lists the chart a template scanned alone belongs to', async () => {
    const cwd = join(root, 'apps');
    const located = await locateRepository(['chart/templates/_helpers.tpl'], cwd);
    expect(located.listFrom).toBe(join(root, 'apps', 'chart'));
    const reader = argumentsReader(located.around, DEFAULT_CONFIG, ['chart/templates/_helpers.tpl'], cwd, located.listFrom);
    expect(await reader.paths()).toEqual(['chart/Chart.yaml']);
  });

  it('takes several arguments to the folder holding them all when it is below the working folder', async () => {
    expect((await locateRepository(['apps/chart/Chart.yaml', 'apps/chart/templates'], root)).root).toBe('apps/chart');
    expect((await locateRepository([join(root, 'apps'), join(root, 'base')], join(root, 'apps'))).root).toBe(join(root, 'apps'));
  });
});
