// `npm run bench` (after `npm run build`): Warden's budgets, measured on this machine.
//  1. A generated corpus of 2,000 Kubernetes manifests and 500 Terraform files: parse-only against full scan
//     in the same process (budget: full scan at most 1.5x parse-only), files/s and MB/s; the worker pool's
//     wall time on the same files.
//  2. A one-line change in a 5,000-line file against a full scan of that file.
//  4. A Helm chart of 40 templates: rendered, traced and reviewed against parsing its files as YAML
//     (budget: at most 3x).
//  3. Simulated pull requests of 10, 300 and 3,000 files against a local stand-in for the GitHub API (loopback
//     only): the handler's wall time, the API requests it made, and its peak memory, measured in a child process
//     that runs only Warden (budget: under 300 MB for 3,000 files).
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../src/config.js';
import { scanFiles, type SourceFile } from '../src/engine/run.js';
import { parseFile } from '../src/formats/index.js';
import { review } from '../src/review.js';
import { parseAllDocuments } from 'yaml';
import { readChartDir } from '../src/render/chart-dir.js';
import { reviewChart } from '../src/render/chart-review.js';
import { closeSharedPool, sharedPool } from '../src/worker/pool.js';
import { RULES } from '../rules/index.js';
import { FakeGitHub, type FakeFile } from '../test/app/fake-github.js';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const MB = 1024 * 1024;

// ---- a generated corpus: realistic model-serving files, each a little different ----

function deployment(i: number): string {
  const gpu = i % 3 === 0;
  return `# model server ${i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-${i}
  namespace: serving-${i % 7}
  labels:
    app.kubernetes.io/name: model-${i}
    app.kubernetes.io/component: model-server
spec:
  replicas: ${1 + (i % 4)}
  selector:
    matchLabels:
      app.kubernetes.io/name: model-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: model-${i}
        app.kubernetes.io/component: model-server
    spec:
      containers:
        - name: server
          image: nvcr.io/nvidia/tritonserver:24.0${i % 9}-py3
          args: ["tritonserver", "--model-repository=s3://models/m${i}"]
          ports:
            - name: http
              containerPort: 8000
          env:
            - name: MODEL_NAME
              value: "m${i}"
          resources:
            requests:
              cpu: "${1 + (i % 4)}"
              memory: ${2 + (i % 8)}Gi${gpu ? '\n              nvidia.com/gpu: 1' : ''}
            limits:
              memory: ${2 + (i % 8)}Gi${gpu ? '\n              nvidia.com/gpu: 1' : ''}
          readinessProbe:
            httpGet:
              path: /v2/health/ready
              port: http
---
apiVersion: v1
kind: Service
metadata:
  name: model-${i}
  namespace: serving-${i % 7}
spec:
  selector:
    app.kubernetes.io/name: model-${i}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function terraform(i: number): string {
  return `resource "aws_s3_bucket" "models_${i}" {
  bucket = "ml-models-${i}"
  tags = {
    team = "ml-platform"
  }
}

resource "aws_sagemaker_endpoint_configuration" "endpoint_${i}" {
  name = "endpoint-${i}"

  production_variants {
    variant_name           = "primary"
    model_name             = "model-${i}"
    initial_instance_count = ${1 + (i % 3)}
    instance_type          = "ml.g5.xlarge"
  }
}

resource "kubernetes_deployment_v1" "triton_${i}" {
  metadata {
    name      = "triton-${i}"
    namespace = "serving"
  }
  spec {
    replicas = ${1 + (i % 3)}
    selector {
      match_labels = { app = "triton-${i}" }
    }
    template {
      metadata {
        labels = { app = "triton-${i}" }
      }
      spec {
        container {
          name  = "triton"
          image = "nvcr.io/nvidia/tritonserver:24.01-py3"
          resources {
            limits = { memory = "8Gi" }
          }
        }
      }
    }
  }
}
`;
}

function corpus(k8s: number, tf: number): SourceFile[] {
  return [
    ...Array.from({ length: k8s }, (_, i) => ({ path: `k8s/model-${i}.yaml`, text: deployment(i) })),
    ...Array.from({ length: tf }, (_, i) => ({ path: `terraform/model-${i}.tf`, text: terraform(i) })),
  ];
}

const bytesOf = (files: readonly SourceFile[]) => files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

async function time<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function parseAll(files: readonly SourceFile[]): Promise<void> {
  for (const f of files) await parseFile(f.path, f.text);
}

// ---- output ----

const rows: string[][] = [];
const budgets: string[] = [];
function row(...cells: (string | number)[]): void {
  rows.push(cells.map(String));
}
function table(title: string, header: string[]): void {
  const all = [header, ...rows.splice(0)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of all.slice(1)) console.log(line(r));
}
function budget(name: string, met: boolean, detail: string): void {
  budgets.push(`- ${met ? 'MET' : 'NOT MET'}: ${name} (${detail})`);
}
const fmt = (ms: number) => `${Math.round(ms)} ms`;

// ---- 1. parse-only against full scan ----

async function corpusBench(): Promise<void> {
  const files = corpus(2000, 500);
  const k8s = files.filter((f) => f.path.endsWith('.yaml'));
  const tf = files.filter((f) => f.path.endsWith('.tf'));
  // Warm up: the HCL runtimes load, the JIT compiles the parsers and rules.
  await parseAll(files.slice(0, 100).concat(tf.slice(0, 50)));
  await scanFiles(files.slice(0, 100).concat(tf.slice(0, 50)), { config: DEFAULT_CONFIG, rules: RULES });

  const measure = async (set: SourceFile[]) => {
    // The better of two rounds each, alternating, so neither pays for the other's garbage collection.
    let parse = Infinity;
    let scan = Infinity;
    let findings = 0;
    for (let round = 0; round < 2; round++) {
      parse = Math.min(parse, (await time(() => parseAll(set))).ms);
      const scanned = await time(() => scanFiles(set, { config: DEFAULT_CONFIG, rules: RULES }));
      scan = Math.min(scan, scanned.ms);
      findings = scanned.value.findings.length;
    }
    return { parse, scan, findings };
  };
  const results: [string, SourceFile[], Awaited<ReturnType<typeof measure>>][] = [];
  for (const [label, set] of [
    ['Kubernetes YAML', k8s],
    ['Terraform HCL', tf],
    ['all', files],
  ] as const) {
    results.push([label, set, await measure(set)]);
  }
  for (const [label, set, r] of results) {
    const mb = bytesOf(set) / MB;
    row(label, set.length, mb.toFixed(2), r.findings, fmt(r.parse), fmt(r.scan), (r.scan / r.parse).toFixed(2), Math.round(set.length / (r.scan / 1000)), (mb / (r.scan / 1000)).toFixed(2));
  }
  const all = results[2]![2];
  budget('full scan at most 1.5x parse-only, same process', all.scan <= 1.5 * all.parse, `${(all.scan / all.parse).toFixed(2)}x: ${fmt(all.scan)} against ${fmt(all.parse)}`);

  // The same files through review(), as the App and CLI run them: the worker pool, head only.
  await sharedPool().ready();
  const pooled = await time(() => review({ files: files.map((f) => ({ path: f.path, headText: f.text })), config: DEFAULT_CONFIG }));
  const mb = bytesOf(files) / MB;
  row('all, review() in the worker pool', files.length, mb.toFixed(2), pooled.value.findings.length, '', fmt(pooled.ms), '', Math.round(files.length / (pooled.ms / 1000)), (mb / (pooled.ms / 1000)).toFixed(2));
  table(`Corpus: 2,000 Kubernetes manifests and 500 Terraform files (${sharedPool().size} workers in the pool)`, ['files', 'count', 'MB', 'findings', 'parse only', 'full scan', 'scan/parse', 'files/s (scan)', 'MB/s (scan)']);
}

// ---- 2. a one-line change in a 5,000-line file ----

async function oneLineBench(): Promise<void> {
  const cases: [string, string, string][] = [];
  let yaml = '';
  for (let i = 0; yaml.split('\n').length < 5000; i++) yaml += `${yaml ? '---\n' : ''}${deployment(i)}`;
  cases.push(['YAML', 'big.yaml', yaml]);
  let hcl = '';
  for (let i = 0; hcl.split('\n').length < 5000; i++) hcl += `${terraform(i)}\n`;
  cases.push(['HCL', 'big.tf', hcl]);
  for (const [label, path, text] of cases) {
    const lines = text.split('\n').length;
    const middle = Math.floor(lines / 2);
    const file = (changed?: Set<number>) => [{ path, text, changed }];
    await scanFiles(file(), { config: DEFAULT_CONFIG, rules: RULES }); // warm-up
    const best = async (run: () => Promise<unknown>) => Math.min((await time(run)).ms, (await time(run)).ms, (await time(run)).ms);
    const parse = await best(() => parseFile(path, text));
    const full = await best(() => scanFiles(file(), { config: DEFAULT_CONFIG, rules: RULES }));
    const one = await best(() => scanFiles(file(new Set([middle])), { config: DEFAULT_CONFIG, rules: RULES }));
    row(label, lines, fmt(parse), fmt(full), fmt(one), `${((one / full) * 100).toFixed(0)}%`, `${(one / parse).toFixed(2)}x`);
  }
  table('A one-line change in a 5,000-line file (rules and fixes only for the resource it touches)', ['format', 'lines', 'parse only', 'full scan', 'one-line change', 'of full scan', 'of parse only']);
}

// ---- 4. a Helm chart of 40 templates ----

async function chartBench(): Promise<void> {
  // The test fixture chart (helpers, toYaml | nindent, a subchart), its Deployment copied into 35 more: 40 templates.
  const fixture = ['../test/fixtures/charts/model-server', '../../test/fixtures/charts/model-server'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p))!;
  const files = readChartDir(fixture, 'charts/model-server').files;
  const deploymentTemplate = files.get('templates/deployment.yaml')!;
  for (let i = 0; i < 35; i++) files.set(`templates/model-${i}.yaml`, deploymentTemplate.replace('include "model-server.fullname" . }}', `include "model-server.fullname" . }}-${i}`));
  const templates = [...files.keys()].filter((k) => /templates\/[^_][^/]*\.yaml$/.test(k)).length;
  const parse = () => {
    for (const text of files.values()) parseAllDocuments(text, { version: '1.1' });
  };
  const reviewed = () => reviewChart({ dir: 'charts/model-server', head: files }, { config: DEFAULT_CONFIG, rules: RULES });
  for (let i = 0; i < 3; i++) (parse(), reviewed()); // warm-up
  // The best of five runs each, alternating, so neither pays for the other's garbage collection.
  let parseMs = Infinity;
  let reviewMs = Infinity;
  for (let round = 0; round < 5; round++) {
    parseMs = Math.min(parseMs, (await time(async () => parse())).ms);
    reviewMs = Math.min(reviewMs, (await time(async () => reviewed())).ms);
  }
  const result = reviewed();
  row(templates, files.size, (bytesOf([...files.values()].map((text) => ({ path: '', text }))) / 1024).toFixed(0), result.resources, result.findings.length, fmt(parseMs), fmt(reviewMs), `${(reviewMs / parseMs).toFixed(2)}x`);
  table('A Helm chart: render, trace and review against parsing its files as YAML', ['templates', 'files', 'KB', 'objects', 'findings', 'parse as YAML', 'render + review', 'ratio']);
  budget('chart render + review at most 3x parsing its files as YAML', reviewMs <= 3 * parseMs, `${(reviewMs / parseMs).toFixed(2)}x: ${fmt(reviewMs)} against ${fmt(parseMs)}`);
}

// ---- 3. simulated pull requests ----

function pullRequestFiles(n: number): FakeFile[] {
  // Mostly Kubernetes with some Terraform, each file changed in one place: a Deployment loses the line that kept
  // the service account token unmounted (one new finding; the rest were there at base), a Terraform file scales.
  return Array.from({ length: n }, (_, i) => {
    const tf = i % 5 === 4;
    const head = tf ? terraform(i) : deployment(i);
    const base = tf
      ? head.replace(`initial_instance_count = ${1 + (i % 3)}`, 'initial_instance_count = 9')
      : head.replace('    spec:\n      containers:', '    spec:\n      automountServiceAccountToken: false\n      containers:');
    return { path: tf ? `terraform/model-${i}.tf` : `k8s/model-${i}.yaml`, status: 'modified', head, base };
  });
}

function pullRequestPayload(): Record<string, unknown> {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: { action?: string; installation?: unknown }[] }[];
  const found = examples.find((d) => d.name === 'pull_request')!.examples.find((e) => e.action === 'opened' && e.installation)!;
  const payload = structuredClone(found) as { pull_request: { head: { sha: string }; base: { sha: string }; draft: boolean } };
  payload.pull_request.head.sha = HEAD;
  payload.pull_request.base.sha = BASE;
  payload.pull_request.draft = false;
  return payload as unknown as Record<string, unknown>;
}

interface ChildReport {
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  baselineRssMb: number;
}

function serve(stand: { fake: FakeGitHub | null }): Promise<Server> {
  const server = createServer((req, res) => {
    const fake = stand.fake!;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const reply = fake.handle(req.method ?? 'GET', req.url ?? '/', raw ? JSON.parse(raw) : undefined);
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(text);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The Node flags the server runs with: those of `npm start` (the image's CMD has the same, a test checks). */
function serverNodeFlags(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const start = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start.split(' ').filter((word) => word.startsWith('--'));
}

async function pullRequestBench(): Promise<void> {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  let peak3000 = 0;
  const perFile: number[] = [];
  const writeCounts: number[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '10,300,3000').split(',').map(Number);
  for (const n of sizes) {
    const stand: { fake: FakeGitHub | null } = { fake: null };
    const server = await serve(stand);
    const port = (server.address() as AddressInfo).port;
    // Its pagination links must point at the stand-in too.
    const fake = new FakeGitHub({ owner: 'Codertocat', repo: 'Hello-World', number: 2, headSha: HEAD, baseSha: BASE, files: pullRequestFiles(n), config: null }, '', `http://127.0.0.1:${port}`);
    stand.fake = fake;
    const report = await new Promise<ChildReport>((resolve, reject) => {
      // Run as the server runs: with its Node flags.
      const child = spawn(process.execPath, [...serverNodeFlags(), fileURLToPath(import.meta.url), '--pull-request-child'], {
        env: { ...process.env, BENCH_API: `http://127.0.0.1:${port}`, BENCH_KEY: privateKey, BENCH_PAYLOAD: JSON.stringify(pullRequestPayload()) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildReport) : reject(new Error(`child exited ${code}: ${out}`))));
    });
    await new Promise((resolve) => server.close(resolve));
    const reads = fake.requests.filter((r) => r.method === 'GET');
    const pages = reads.filter((r) => r.path.endsWith('/pulls/2/files')).length;
    const blobs = reads.filter((r) => r.path.includes('/git/blobs/')).length;
    const trees = reads.filter((r) => r.path.includes('/git/trees/')).length;
    const writes = fake.allWrites.length;
    const other = fake.requests.length - pages - blobs - trees - writes;
    const annotations = [...fake.checkRunCreates, ...fake.checkRunUpdates].reduce((sum, b) => sum + ((b.output as { annotations?: unknown[] } | undefined)?.annotations?.length ?? 0), 0);
    const comments = fake.reviews.reduce((sum, r) => sum + ((r.comments as unknown[] | undefined)?.length ?? 0), 0);
    const conclusion = [...fake.checkRunCreates, ...fake.checkRunUpdates].find((b) => b.status === 'completed')?.conclusion ?? 'none';
    row(n, fmt(report.wallMs), fake.requests.length, pages, blobs, trees, writes, other, annotations, comments, String(conclusion), `${report.peakRssMb.toFixed(0)} MB`, `${report.peakHeapMb.toFixed(0)} MB`);
    if (conclusion !== 'success' && !fake.reviews.length) {
      const done = [...fake.checkRunCreates, ...fake.checkRunUpdates].find((b) => b.status === 'completed');
      console.error(`${n} files: ${JSON.stringify((done?.output as { title?: string; summary?: string } | undefined) ?? {}).slice(0, 600)}`);
    }
    if (fake.schemaErrors.length > 0 || fake.unexpected.length > 0) console.error('stand-in saw invalid or unexpected requests:', fake.schemaErrors.slice(0, 3), fake.unexpected.slice(0, 3));
    if (n === 3000) peak3000 = report.peakRssMb;
    perFile.push((fake.requests.length - writes) / n);
    writeCounts.push(writes);
  }
  table(
    `Simulated pull requests against a loopback stand-in for the GitHub API (Probot with its throttling and retries on; node ${serverNodeFlags().join(' ')}, as npm start runs the server)`,
    ['files', 'handler wall time', 'API requests', 'file-list pages', 'blob reads', 'tree reads', 'writes', 'other', 'annotations', 'inline comments', 'conclusion', 'peak RSS', 'peak main heap'],
  );
  budget('a 3,000-file pull request reviews in under 300 MB', peak3000 < 300, `peak RSS ${peak3000.toFixed(0)} MB in a process running only Warden, its worker threads included`);
  // Findings grow with files here (about 9 per file): requests must not. Reads: a file-list page per 100 files
  // and a head and a base blob per modified file; writes: the same few whatever the findings.
  const largeWrites = writeCounts.slice(1);
  const boundedWrites = largeWrites.every((w) => w === largeWrites[0]);
  const readsPerFile = perFile[perFile.length - 1] ?? 0;
  budget(
    'API requests grow with changed files / page size, not with findings',
    boundedWrites && readsPerFile <= 2.1,
    `reads per changed file: ${perFile.map((x) => x.toFixed(2)).join(', ')} (one blob read per file, GitHub has no batch read; the base text is the head with its patch undone); writes: ${writeCounts.join(', ')} (check run, at most 10 annotation batches of 50, one review)`,
  );
}

/** The child: Warden alone, handling one pull_request webhook against the stand-in; prints its measurements. */
async function pullRequestChild(): Promise<void> {
  const { Probot } = await import('probot');
  const { default: app } = await import('../src/index.js');
  const { WardenOctokit } = await import('../src/github/octokit.js');
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  await sharedPool().ready();
  const probot = new Probot({ appId: 123, privateKey: process.env.BENCH_KEY!, Octokit: WardenOctokit, baseUrl: process.env.BENCH_API!, logLevel: (process.env.BENCH_LOG_LEVEL as 'warn' | undefined) ?? 'warn' });
  await probot.load(app);
  const started = performance.now();
  await probot.receive({ id: 'bench-delivery', name: 'pull_request', payload: JSON.parse(process.env.BENCH_PAYLOAD!) } as Parameters<typeof probot.receive>[0]);
  const wallMs = performance.now() - started;
  clearInterval(sample);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  await closeSharedPool();
  const report: ChildReport = { wallMs, peakRssMb: peakRss / MB, peakHeapMb: peakHeap / MB, baselineRssMb: baselineRss / MB };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--pull-request-child')) {
    await pullRequestChild();
    return;
  }
  const started = performance.now();
  console.log(`# Warden benchmark: Node ${process.version}, ${(await import('node:os')).availableParallelism()} CPUs`);
  // BENCH_ONLY=corpus|one-line|pull-requests runs one part (while working on it).
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'corpus') await corpusBench();
  if (!only || only === 'one-line') await oneLineBench();
  if (!only || only === 'chart') await chartBench();
  await closeSharedPool();
  if (!only || only === 'pull-requests') await pullRequestBench();
  console.log('\n### Budgets\n');
  for (const line of budgets) console.log(line);
  console.log(`\nTotal: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
