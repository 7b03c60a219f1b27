// The worker pool: a file over the time limit is reported and its worker replaced; the rest is reviewed; the
// main thread stays free while a large review runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { scanFiles } from '../../src/engine/run.js';
import { ScanPool, TIMEOUT_NOTE } from '../../src/worker/pool.js';
import { closingPools } from '../worker/pools.js';
import { RULES } from '../../rules/index.js';
import { HEALTHY, HEALTHY_PATH, HEALTHY_TF, HEALTHY_TF_PATH } from './helpers.js';

const ALL = RULES.map((rule) => rule.id);
const pool = closingPools();

/** A 600 KB heredoc: under the HCL size limit, seconds to parse (hcl2json is superlinear on heredocs). */
function slowHcl(): string {
  return `locals {\n  blob = <<EOT\n${`${'x'.repeat(79)}\n`.repeat(7500)}EOT\n}\n`;
}

describe('the scan pool', () => {
  it('gives the same findings as the in-process engine', async () => {
    const files = [
      { path: HEALTHY_PATH, text: HEALTHY },
      { path: HEALTHY_TF_PATH, text: HEALTHY_TF },
    ];
    const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES });
    const pooled = await pool({ size: 2 }).scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(pooled.findings).toEqual(inProcess.findings);
    expect(pooled.errors).toEqual([]);
    expect(pooled.files.map((f) => [f.file, f.errors, f.notes])).toEqual(inProcess.parsed.map((p) => [p.file, p.errors, p.notes]));
    expect(pooled.stats.resources).toBe(inProcess.stats.resources);
    // A baseline gets the same findings as fingerprints only.
    expect(await pool({ size: 2 }).fingerprints(files, { config: DEFAULT_CONFIG, ruleIds: ALL })).toEqual(new Set(inProcess.findings.map((f) => f.fingerprint)));
  });

  it('hands Terraform to one worker of two (hcl2json costs ~55 MB in each thread that loads it), YAML to any', async () => {
    const two = pool({ size: 2 });
    const files = Array.from({ length: 40 }, (_, i) => (i % 2 ? { path: `t${i}.tf`, text: HEALTHY_TF } : { path: `k${i}.yaml`, text: HEALTHY }));
    const result = await two.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result.errors).toEqual([]);
    expect(new Set(result.findings.map((f) => f.file)).size).toBe(40);
    expect(two.terraformWorkers).toBe(1);
    expect(await two.render(HEALTHY_TF_PATH, HEALTHY_TF, result.findings.find((f) => f.file === 't1.tf' && f.fix)!.resource, [])).toBeNull();
    expect(two.terraformWorkers).toBe(1);
    // Larger pools hand Terraform to their first half (or as many workers as asked): never to the rest.
    const three = pool({ size: 3, terraformWorkers: 2 });
    await three.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(three.terraformWorkers).toBeGreaterThanOrEqual(1);
    expect(three.terraformWorkers).toBeLessThanOrEqual(2);
  });

  it('loads hcl2json in a second worker only for a backlog of Terraform worth it, once the first has it compiled', async () => {
    // As the command line's pool: every worker may take Terraform.
    const few = pool({ size: 2, terraformWorkers: 2 });
    const mixed = Array.from({ length: 60 }, (_, i) => (i % 3 ? { path: `k${i}.yaml`, text: HEALTHY } : { path: `t${i}.tf`, text: HEALTHY_TF }));
    expect((await few.scan(mixed, { config: DEFAULT_CONFIG, ruleIds: ALL })).errors).toEqual([]);
    expect(few.terraformWorkers).toBe(1);
    const many = pool({ size: 2, terraformWorkers: 2 });
    const terraform = Array.from({ length: 400 }, (_, i) => ({ path: `t${i}.tf`, text: HEALTHY_TF }));
    const result = await many.scan(terraform, { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(result.errors).toEqual([]);
    expect(new Set(result.findings.map((f) => f.file)).size).toBe(400);
    expect(many.terraformWorkers).toBe(2);
  }, 60_000);

  it('gives the same findings whichever way files reach the workers: parsed ahead, parsed when evaluated, or taken over', async () => {
    // Terraform keeps the first worker busy in the first round while the other parses YAML ahead; the YAML held by
    // one worker is taken over by the other once it has nothing left. Small caches leave some for their evaluation.
    const files = Array.from({ length: 150 }, (_, i) => (i % 5 === 0 ? { path: `t${i}.tf`, text: HEALTHY_TF } : { path: `k${i}.yaml`, text: HEALTHY.replace(/name: (\S+)/, `name: $1-${i}`) }));
    const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: RULES });
    for (const cacheTextBytes of [4 * 1024 * 1024, 8 * 1024]) {
      const pooled = await pool({ size: 2, terraformWorkers: 2, cacheTextBytes }).scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL });
      expect(pooled.errors).toEqual([]);
      expect(pooled.findings).toEqual(inProcess.findings);
      expect(pooled.files.map((f) => f.file)).toEqual(inProcess.parsed.map((p) => p.file));
    }
  }, 60_000);

  it('renders ops against a resource in a worker as the engine does in-process', async () => {
    const inProcess = await scanFiles([{ path: HEALTHY_TF_PATH, text: HEALTHY_TF }], { config: DEFAULT_CONFIG, rules: RULES });
    const fixed = inProcess.findings.filter((f) => f.fix && f.fix.edits.length > 0);
    expect(fixed.length).toBeGreaterThan(0);
    const one = pool({ size: 1 });
    for (const finding of fixed) {
      const edit = await one.render(HEALTHY_TF_PATH, HEALTHY_TF, finding.resource, finding.fix!.ops);
      expect(edit).toEqual(finding.fix!.edits[0]);
    }
    expect(await one.render(HEALTHY_TF_PATH, HEALTHY_TF, 'aws_s3_bucket.absent', fixed[0]!.fix!.ops)).toBeNull();
  });

  it('reports a file over the time limit, replaces its worker, and reviews the rest', async () => {
    // One worker, so the healthy files must wait for the replacement; a limit no honest file comes near. The healthy
    // Terraform file was sent to the worker behind the slow one: it is not failed with it, the replacement takes it.
    const limited = pool({ size: 1, fileTimeLimitMs: 1000 });
    const result = await limited.scan(
      [
        { path: 'slow.tf', text: slowHcl() },
        { path: HEALTHY_PATH, text: HEALTHY },
        { path: HEALTHY_TF_PATH, text: HEALTHY_TF },
      ],
      { config: DEFAULT_CONFIG, ruleIds: ALL },
    );
    expect(result.errors).toEqual([{ file: 'slow.tf', message: TIMEOUT_NOTE(1000) }]);
    expect(limited.replaced).toBe(1);
    expect(result.findings.some((f) => f.file === HEALTHY_PATH && f.ruleId === 'k8s/privileged')).toBe(true);
    expect(result.findings.some((f) => f.file === HEALTHY_TF_PATH)).toBe(true);
    // The replacement keeps working.
    const again = await limited.scan([{ path: HEALTHY_PATH, text: HEALTHY }], { config: DEFAULT_CONFIG, ruleIds: ALL });
    expect(again.findings.some((f) => f.ruleId === 'k8s/privileged')).toBe(true);
  });

  it('a file answered in time is not failed because the main thread was busy when its time ran out', async () => {
    const limited = pool({ size: 1, fileTimeLimitMs: 300 });
    await limited.ready();
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: models\n';
    await limited.indexed('ns.yaml', namespace); // warm: the next parse takes a few ms
    // The main thread holds the event loop past the limit, from the loop's check phase: when it lets go, timers run
    // before the answer that came meanwhile is taken.
    const indexed = await new Promise<ReturnType<ScanPool['indexed']>>((resolve) =>
      setImmediate(() => {
        const sent = limited.indexed('ns.yaml', namespace);
        const until = performance.now() + 800;
        while (performance.now() < until);
        resolve(sent);
      }),
    );
    const outcome = await indexed;
    expect(outcome.problem).toBeNull();
    expect(outcome.resources.map((r) => r.kind)).toEqual(['Namespace']);
    expect(limited.replaced).toBe(0);
  });

  it('a worker that runs out of memory fails only its file; the process and the rest of the review go on', async () => {
    // A heap far too small for a 3 MB parse (a parsed file holds ~30x its text), ample for the healthy files.
    const small = pool({ size: 1, maxWorkerHeapMb: 32 });
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n${Array.from({ length: 40 }, (_, k) => `  k${k}: "${'v'.repeat(40)}"`).join('\n')}\n---\n`;
    const big = Array.from({ length: 1500 }, (_, i) => doc(i)).join('');
    const result = await small.scan(
      [
        { path: 'big.yaml', text: big },
        { path: HEALTHY_PATH, text: HEALTHY },
      ],
      { config: DEFAULT_CONFIG, ruleIds: ALL },
    );
    expect(result.errors).toEqual([{ file: 'big.yaml', message: expect.stringMatching(/^not reviewed: the parser (failed|stopped) on it/) }]);
    expect(small.replaced).toBeGreaterThanOrEqual(1);
    expect(result.findings.some((f) => f.file === HEALTHY_PATH && f.ruleId === 'k8s/privileged')).toBe(true);
  }, 60_000);

  it('workers that cannot start (a heap too small to load them) end the review as not reviewed, at once, not waiting forever', async () => {
    const broken = pool({ size: 2, maxWorkerHeapMb: 1 });
    const files = [
      { path: HEALTHY_PATH, text: HEALTHY },
      { path: HEALTHY_TF_PATH, text: HEALTHY_TF },
    ];
    const result = await broken.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL });
    const reason = expect.stringMatching(/^not reviewed: Warden's parsing workers cannot start \(.*memory limit/);
    expect(result.errors).toEqual([
      { file: HEALTHY_PATH, message: reason },
      { file: HEALTHY_TF_PATH, message: reason },
    ]);
    expect(result.findings).toEqual([]);
    // The next job tries to start them again (a server recovers once the cause is gone), and fails the same way.
    const replaced = broken.replaced;
    expect((await broken.indexed(HEALTHY_PATH, HEALTHY)).problem).toMatch(/^Warden's parsing workers cannot start/);
    expect(broken.replaced).toBeGreaterThan(replaced);
  });

  it('a small review is not queued behind a large one', async () => {
    const shared = pool({ size: 1 });
    await shared.ready();
    const order: string[] = [];
    const large = shared
      .scan(
        Array.from({ length: 400 }, (_, i) => ({ path: `k8s/m${i}.yaml`, text: HEALTHY.replace('name: healthy', `name: m${i}`) })),
        { config: DEFAULT_CONFIG, ruleIds: ALL },
      )
      .then(() => order.push('large'));
    const small = shared.scan([{ path: HEALTHY_PATH, text: HEALTHY }], { config: DEFAULT_CONFIG, ruleIds: ALL }).then(() => order.push('small'));
    await Promise.all([large, small]);
    expect(order).toEqual(['small', 'large']);
  });

  it('keeps the main thread free: pings are answered while a large review runs', async () => {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const busy = pool({ size: 2 });
      await busy.ready();
      let done = false;
      const files = Array.from({ length: 1500 }, (_, i) => ({ path: `k8s/m${i}.yaml`, text: HEALTHY.replace('name: healthy', `name: m${i}`) }));
      const review = busy.scan(files, { config: DEFAULT_CONFIG, ruleIds: ALL }).then((r) => ((done = true), r));
      const answeredDuringReview: boolean[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await fetch(url).then((r) => r.text());
        expect(reply).toBe('pong');
        answeredDuringReview.push(!done);
      }
      const result = await review;
      // Every ping was answered before the review finished: parsing never held the event loop.
      expect(answeredDuringReview).toEqual([true, true, true, true, true]);
      expect(result.findings.filter((f) => f.ruleId === 'k8s/privileged')).toHaveLength(1500);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      nock.disableNetConnect();
    }
  });
});
