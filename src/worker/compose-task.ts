// The compose task: a Kustomize composition and the rules on what it deploys (src/composed-review.ts), run in a
// worker like a scan. The worker holds no repository: each file the composition reads is asked of the main
// thread, which reads it (through GitHub, or the disk) and sends its text back. The pool's time limit counts
// only the worker's own work, not the waits for those reads, and bounds each step (the plan, each batch of roots).
import type { MessagePort } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { AnyRule } from '../engine/define-rule.js';
import type { RepositoryIndex } from '../engine/repository.js';
import { reviewComposition, type CompositionRequest, type CompositionReview } from '../composed-review.js';
import { RULES } from '../../rules/index.js';
import { fromPlainRepository, type PlainRepository } from './transfer.js';

export interface ComposeRequest {
  type: 'compose';
  id: number;
  job: string;
  composition: CompositionRequest;
  config: Config;
  ruleIds: string[];
  repository: PlainRepository;
}

/** Main thread → worker: the text of a file the composition asked for (null: there is none), or why it could not be read. */
export interface TextAnswer {
  type: 'text';
  job: string;
  seq: number;
  text: string | null;
  error?: string;
}

/**
 * Worker → main thread: the task `id` finished a step (the plan of its composition, a batch of roots:
 * src/composed-review.ts). Its clock starts again: the time limit bounds each step, as it bounds each file of a scan.
 */
export interface StepDone {
  type: 'step-done';
  id: number;
}

/** Worker → main thread: read this file for the task `id`. */
export interface ReadAsk {
  type: 'read';
  id: number;
  seq: number;
  path: string;
}

const rulesById = new Map(RULES.map((rule) => [rule.id, rule]));
const waiting = new Map<number, { resolve: (text: string | null) => void; reject: (error: Error) => void }>();
let nextSeq = 0;

/** A text the main thread sent: it settles the read that asked for it. */
export function answered(answer: TextAnswer): void {
  const settle = waiting.get(answer.seq);
  waiting.delete(answer.seq);
  if (answer.error !== undefined) settle?.reject(new Error(answer.error));
  else settle?.resolve(answer.text);
}

export async function runCompose(request: ComposeRequest, port: MessagePort): Promise<CompositionReview> {
  const read = (path: string) =>
    new Promise<string | null>((resolve, reject) => {
      const seq = nextSeq++;
      waiting.set(seq, { resolve, reject });
      port.postMessage({ type: 'read', id: request.id, seq, path } satisfies ReadAsk);
    });
  return reviewComposition(request.composition, read, reviewOptions(request), { stepDone: () => port.postMessage({ type: 'step-done', id: request.id } satisfies StepDone) });
}

/** A whole-review task's options as the worker holds them: Warden's rules by id, the repository's resources rebuilt. */
export function reviewOptions(request: { config: Config; ruleIds: string[]; repository: PlainRepository }): { config: Config; rules: AnyRule[]; repository: RepositoryIndex } {
  return {
    config: request.config,
    rules: request.ruleIds.map((id) => rulesById.get(id)).filter((rule): rule is AnyRule => rule !== undefined),
    repository: fromPlainRepository(request.repository),
  };
}
