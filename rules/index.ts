// The explicit list of every rule Warden runs. Each pack keeps its own list beside its rules.
import type { AnyRule } from '../src/engine/define-rule.js';
import notReviewed from './warden/not-reviewed.js';
import parseError from './warden/parse-error.js';
import suppressionWithoutReason from './warden/suppression-without-reason.js';
import suppressionExpired from './warden/suppression-expired.js';
import suppressionInPullRequest from './warden/suppression-in-pull-request.js';
import { PSS_RULES } from './k8s/pss.js';
import { K8S_RULES } from './k8s/pack.js';
import { CLOUD_RULES } from './cloud.js';
import { lookedUpKinds } from '../src/engine/visible.js';
import { PLACING_KINDS } from '../src/engine/kustomize.js';
import type { UnreadDocuments } from '../src/formats/unread-documents.js';
import { CREDENTIAL_FORMATS } from './k8s/support/credentials.js';

export const RULES: readonly AnyRule[] = [...PSS_RULES, ...K8S_RULES, ...CLOUD_RULES, notReviewed, parseError, suppressionWithoutReason, suppressionExpired, suppressionInPullRequest];

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.id === id);
}

/**
 * Every kind some rule looks up: what the repository index and the workers keep for cross-resource rules. And what
 * deploys the repository's folders, which the engine reads itself to put Flux's post-build variables in
 * (src/engine/flux-substituted.ts).
 */
export const LOOKED_UP_KINDS: ReadonlySet<string> = new Set([...lookedUpKinds(RULES), ...PLACING_KINDS]);

/** Any credential k8s/credential-literal recognises, looked for in a document's text (it may match more, never less). */
const CREDENTIAL_IN_TEXT = new RegExp([...CREDENTIAL_FORMATS.map((f) => f.pattern.source), String.raw`:\/\/\S*@`].join('|'));

/**
 * YAML documents the parser may leave unparsed: CustomResourceDefinitions, which no rule applies to and none
 * looks up (test/formats/unread-documents.test.ts holds the rules to that), unless their text may hold a credential
 * for k8s/credential-literal, the one rule that reads every kind.
 */
export const UNREAD_KINDS: ReadonlySet<string> = new Set(['CustomResourceDefinition']);
export const UNREAD_DOCUMENTS: UnreadDocuments = {
  unread: (kind) => UNREAD_KINDS.has(kind),
  mayMatter: (text) => CREDENTIAL_IN_TEXT.test(text),
};

const OWN_RULES = new Map(RULES.map((rule) => [rule.id, rule]));

/** Whether every rule is one of these, Warden's own (a worker loads them by id), and none made elsewhere (a test's). */
export function areOwnRules(rules: readonly { id: string }[]): boolean {
  return rules.every((rule) => OWN_RULES.get(rule.id) === rule);
}

/**
 * What a scan or a composition with these rules may leave unread: UNREAD_DOCUMENTS when they are Warden's own
 * (which none of them reads); nothing when one is made elsewhere, which may read any kind.
 */
export function unreadFor(rules: readonly { id: string }[]): UnreadDocuments | undefined {
  return areOwnRules(rules) ? UNREAD_DOCUMENTS : undefined;
}

/**
 * For a parse that only its resources of `kinds` are read of (and its errors counted): the documents no rule reads
 * left unparsed, as a scan leaves them, unless they are of a kind asked for.
 */
export function unreadExcept(kinds: ReadonlySet<string>): UnreadDocuments {
  return { ...UNREAD_DOCUMENTS, unread: (kind) => UNREAD_KINDS.has(kind) && !kinds.has(kind) };
}

/**
 * For a proof, which runs only the rules of the findings it must clear: every document of a kind no rule looks up
 * may be left unparsed, but those on the lines `keeps` names (what the edits changed, the findings' resources).
 * A rule reports on the resource it runs on, and reads others only by the kinds it declares it looks up.
 */
export function proofDocuments(keeps: (firstLine: number, lastLine: number) => boolean): UnreadDocuments {
  return { ...UNREAD_DOCUMENTS, unread: (kind) => !LOOKED_UP_KINDS.has(kind), keeps };
}
