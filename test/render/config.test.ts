// The `helm` key of .github/warden.yml: values files per chart folder.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from '../../src/config.js';
import { mayBelongToChart } from '../../src/render/charts.js';

describe('config helm.charts', () => {
  it('defaults to no chart; a chart folder is named without ./ or a trailing slash', () => {
    expect(resolveConfig({}).helm).toEqual({ charts: {} });
    expect(resolveConfig({ helm: { charts: { './charts/model-server/': { values: ['values-prod.yaml'] } } } }).helm).toEqual({
      charts: { 'charts/model-server': { values: ['values-prod.yaml'] } },
    });
  });

  it('a values file may be outside its chart folder, never outside the repository', () => {
    expect(resolveConfig({ helm: { charts: { 'charts/model': { values: ['./values-prod.yaml', '../../envs/prod/values.yaml', '../model/values-gpu.yaml'] } } } }).helm.charts).toEqual({
      'charts/model': { values: ['values-prod.yaml', '../../envs/prod/values.yaml', 'values-gpu.yaml'] },
    });
    expect(() => resolveConfig({ helm: { charts: { 'charts/model': { values: ['../../../values.yaml'] } } } })).toThrow(/`helm\.charts\.charts\/model\.values` names `\.\.\/\.\.\/\.\.\/values\.yaml`, which is outside the repository/);
    expect(() => resolveConfig({ helm: { charts: { 'charts/model': { values: ['/etc/values.yaml'] } } } })).toThrow(ConfigError);
    expect(mayBelongToChart('envs/prod/values.yaml', resolveConfig({ helm: { charts: { 'charts/model': { values: ['../../envs/prod/values.yaml'] } } } }))).toBe(true);
  });

  it('names the key of a mistake', () => {
    expect(() => resolveConfig({ helm: { charts: { 'charts/x': { valuez: [] } } } })).toThrow(ConfigError);
    expect(() => resolveConfig({ helm: { charts: { 'charts/x': { valuez: [] } } } })).toThrow(/helm\.charts\.charts\/x\.valuez/);
    expect(() => resolveConfig({ helm: { charts: { 'charts/x': { values: [''] } } } })).toThrow(/helm\.charts\.charts\/x\.values/);
  });

  it('only files that may be part of a chart send Warden looking for one', () => {
    for (const path of ['c/templates/d.yaml', 'c/_helpers.tpl', 'c/Chart.yaml', 'c/values.yaml', 'c/values-prod.yaml', 'c/charts/sub/values.yaml', 'c/.helmignore']) {
      expect(mayBelongToChart(path, DEFAULT_CONFIG), path).toBe(true);
    }
    for (const path of ['k8s/deployment.yaml', 'terraform/main.tf', 'c/files/banner.txt']) expect(mayBelongToChart(path, DEFAULT_CONFIG), path).toBe(false);
    expect(mayBelongToChart('c/files/banner.txt', resolveConfig({ helm: { charts: { c: { values: [] } } } }))).toBe(true);
  });
});
