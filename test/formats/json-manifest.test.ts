// Kubernetes manifests in JSON (`.json` files, and `.yaml` files whose text is JSON): recognised by content,
// reviewed like YAML ones, and fixed with edits that keep the file JSON (its indentation and line ends too). The rule-tester cases prove each fix: the output parses (as JSON:
// the format reports invalid JSON as a parse error), the rule no longer fires, and a second application changes nothing.
import { describe, expect, it } from 'vitest';
import dropAllCapabilities from '../../rules/k8s/drop-all-capabilities.js';
import privileged from '../../rules/k8s/privileged.js';
import { fileKind, parseFile } from '../../src/formats/index.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { renderFix } from '../../src/engine/render-fix.js';
import { scanFiles } from '../../src/engine/run.js';
import { RULES } from '../../rules/index.js';
import { ruleTester } from '../rule-tester.js';
import { replaced } from '../rules/pss/helpers.js';

const LIST = `{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "apps/v1",
      "kind": "Deployment",
      "metadata": { "name": "tgi", "namespace": "models" },
      "spec": {
        "template": {
          "spec": {
            "containers": [
              {
                "name": "tgi",
                "image": "ghcr.io/huggingface/text-generation-inference:2.0",
                "securityContext": {
                  "privileged": true,
                  "capabilities": { "drop": ["NET_RAW"] }
                }
              }
            ]
          }
        }
      }
    },
    {
      "apiVersion": "v1",
      "kind": "Service",
      "metadata": { "name": "tgi", "namespace": "models" },
      "spec": { "ports": [{ "port": 80 }] }
    },
    {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": { "name": "envoy", "namespace": "models" },
      "spec": {
        "containers": [
          { "name": "envoy", "image": "envoyproxy/envoy:v1.30" }
        ]
      }
    }
  ]
}
`;

// Tabs and CRLF line ends, as an editor on Windows writes them: a fix keeps both.
const TABBED_POD = ['{', '\t"apiVersion": "v1",', '\t"kind": "Pod",', '\t"metadata": {', '\t\t"name": "debug"', '\t},', '\t"spec": {', '\t\t"containers": [', '\t\t\t{', '\t\t\t\t"name": "shell",', '\t\t\t\t"image": "busybox:1.36",', '\t\t\t\t"securityContext": {', '\t\t\t\t\t"privileged": true', '\t\t\t\t}', '\t\t\t}', '\t\t]', '\t}', '}', ''].join('\r\n');

ruleTester(dropAllCapabilities, {
  valid: [
    {
      name: 'a JSON Pod that drops ALL',
      file: 'pod.json',
      code: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x:1","securityContext":{"capabilities":{"drop":["ALL"]}}}]}}\n',
    },
  ],
  invalid: [
    {
      name: 'a JSON List: ALL appended to an existing drop list, a securityContext added where there is none',
      file: 'list.json',
      code: LIST,
      errors: [{ line: 18 }, { line: 38 }],
      // jsonc-parser lays out the object it inserts into, one member a line, in the file's own indentation.
      output: replaced(
        LIST,
        [
          '"capabilities": { "drop": ["NET_RAW"] }',
          '"capabilities": {\n                    "drop": [\n                      "NET_RAW",\n                      "ALL"\n                    ]\n                  }',
        ],
        [
          '{ "name": "envoy", "image": "envoyproxy/envoy:v1.30" }',
          '{\n            "name": "envoy",\n            "image": "envoyproxy/envoy:v1.30",\n            "securityContext": {\n              "capabilities": {\n                "drop": [\n                  "ALL"\n                ]\n              }\n            }\n          }',
        ],
      ),
    },
  ],
});

// A `.yaml` file holding JSON: Kubernetes reads it as JSON, and so is it read and fixed (the YAML writer would turn
// the object it inserts into into YAML flow style).
const POD_IN_YAML = `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": { "name": "envoy", "namespace": "models" },
  "spec": {
    "containers": [
      { "name": "envoy", "image": "envoyproxy/envoy:v1.30" }
    ]
  }
}
`;

ruleTester(dropAllCapabilities, {
  valid: [],
  invalid: [
    {
      name: 'a `.yaml` file holding JSON gets a JSON fix',
      file: 'k8s/envoy.yaml',
      code: POD_IN_YAML,
      errors: [{ line: 7 }],
      output: replaced(POD_IN_YAML, [
        '{ "name": "envoy", "image": "envoyproxy/envoy:v1.30" }',
        '{\n        "name": "envoy",\n        "image": "envoyproxy/envoy:v1.30",\n        "securityContext": {\n          "capabilities": {\n            "drop": [\n              "ALL"\n            ]\n          }\n        }\n      }',
      ]),
    },
  ],
});

ruleTester(privileged, {
  valid: [],
  invalid: [
    { name: 'a container of a JSON List', file: 'list.json', code: LIST, errors: [{ line: 17 }], output: replaced(LIST, ['"privileged": true', '"privileged": false']) },
    { name: 'a tab-indented JSON Pod with CRLF line ends', file: 'pod.json', code: TABBED_POD, errors: [{ line: 13 }], output: replaced(TABBED_POD, ['"privileged": true', '"privileged": false']) },
  ],
});

describe('JSON manifests', () => {
  it('are `.json` files other than Terraform JSON', () => {
    expect(fileKind('k8s/serving.json')).toBe('json');
    expect(fileKind('k8s/SERVING.JSON')).toBe('json');
    expect(fileKind('infra/main.tf.json')).toBe('tfjson');
  });

  it('are read as the objects of a List, each with its own lines', async () => {
    const parsed = await parseFile('list.json', LIST);
    expect(parsed?.errors).toEqual([]);
    expect(parsed?.resources.map((r) => [r.id, r.range.startLine, r.range.endLine])).toEqual([
      ['Deployment/models/tgi', 5, 25],
      ['Service/models/tgi', 26, 31],
      ['Pod/models/envoy', 32, 41],
    ]);
    const deployment = parsed!.resources[0]!;
    expect(deployment.source.locate(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ startLine: 15, endLine: 15, exact: true });
    expect(deployment.source.locate(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'])).toEqual({ startLine: 13, endLine: 20, exact: false });
  });

  it('are told from other JSON by content: package.json, a dashboard, a schema or a tsconfig with comments is skipped quietly', async () => {
    const others = {
      'package.json': '{ "name": "serving-ui", "version": "1.0.0", "scripts": { "build": "vite build" } }\n',
      'dashboards/gpu.json': '{ "title": "GPU", "panels": [{ "type": "timeseries", "targets": [{ "expr": "up" }] }] }\n',
      'schema/deployment.json': '{ "properties": { "apiVersion": { "type": "string" }, "kind": { "type": "string" } } }\n',
      'tsconfig.json': '{\n  // strict mode\n  "compilerOptions": { "strict": true }\n}\n',
      'empty.json': '',
    };
    for (const [path, text] of Object.entries(others)) expect(await parseFile(path, text), path).toBeNull();
  });

  it('in a `.yaml` file only when the text is JSON: flow-style YAML, or JSON with YAML after it, stays YAML', async () => {
    const flow = '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: "x:1"}]}}\n';
    const withComment = '# a comment\n{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x:1", foo: bar}]}}\n';
    for (const text of [flow, withComment]) {
      const parsed = await parseFile('k8s/p.yaml', text);
      expect(parsed?.errors).toEqual([]);
      expect(parsed?.resources.map((r) => r.id)).toEqual(['Pod/p']);
      // The YAML writer answers: a fix is written in YAML's flow style, not as JSON.
      const edited = parsed!.resources[0]!.source.apply(text, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], value: false }]);
      expect(edited).not.toContain('"securityContext"');
    }
    const json = await parseFile('k8s/p.yaml', POD_IN_YAML);
    expect(json!.resources[0]!.source.apply(POD_IN_YAML, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'privileged'], value: false }])).toContain('"securityContext": {');
  });

  it('that do not parse are parse errors at the line the parser names', async () => {
    const broken = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": { "name": "cfg", },\n  "data": {}\n}\n';
    const parsed = await parseFile('cfg.json', broken);
    expect(parsed?.resources).toEqual([]);
    expect(parsed?.errors).toEqual([{ line: 4, message: expect.stringContaining('invalid JSON') }]);
  });

});

describe('JSON files Warden never reads', () => {
  it('leaves the JSON whose names their own tools define, and node_modules, out before reading them', () => {
    for (const path of ['package.json', 'web/package-lock.json', 'npm-shrinkwrap.json', 'tsconfig.build.json', 'composer.json', 'node_modules/x/deploy.json']) expect(fileKind(path)).toBeNull();
    for (const path of ['deploy/serving.json', 'k8s/package-policy.json', 'tsconfig/np.json']) expect(fileKind(path)).toBe('json');
  });

  it("render a list item's fixes in the item's own text exactly as in the whole file, whatever the indentation", async () => {
    const item = (i: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `m${i}`, namespace: 'models' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true, capabilities: { drop: ['NET_RAW'] } } }] } } } });
    const list = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 12 }, (_, i) => item(i)) };
    for (const indent of [2, 4, '\t']) {
      const text = JSON.stringify(list, null, indent) + '\n';
      const { findings } = await scanFiles([{ path: 'list.json', text }], { config: DEFAULT_CONFIG, rules: RULES, renderFixes: false });
      const parsed = (await parseFile('list.json', text))!;
      const byId = new Map(parsed.resources.map((r) => [r.id, r]));
      const fixed = findings.filter((f) => f.fix && f.fix.ops.length > 0);
      expect(fixed.length).toBeGreaterThan(24);
      for (const finding of fixed) {
        const resource = byId.get(finding.resource)!;
        expect(resource.source.splice?.(text, finding.fix!.ops)).not.toBeNull();
        const whole = renderFix({ ...resource, source: { ...resource.source, splice: undefined } }, text, finding.fix!.ops);
        expect(renderFix(resource, text, finding.fix!.ops), `${String(indent)} ${finding.ruleId}`).toEqual(whole);
      }
    }
    // Items that do not start their lines are written into the whole file.
    const compact = JSON.stringify(list);
    const resource = (await parseFile('list.json', compact))!.resources[0]!;
    expect(resource.source.splice?.(compact, [{ op: 'set', path: ['spec', 'replicas'], value: 1 }])).toBeNull();
  });
});
