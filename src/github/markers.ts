// Hidden markers in what Warden posts, so a later run (any replica, no state of its own) recognises its work.
// A marker is bound to where Warden writes it: the last line of a body the App itself authored (callers check
// the author). Everything from the pull request is escaped and kept on one line (src/output/inert.ts), and quoted
// text can never be the last line, so a `<!-- warden:… -->` inside a name or a reason is never read as a marker.
import { createHash } from 'node:crypto';
import { trusted, type Markup } from '../output/inert.js';

const FINGERPRINTS = /^<!-- warden:fingerprints ((?:[0-9a-f]{1,64} ){0,1000}[0-9a-f]{1,64}) -->$/;

/** Marker naming the findings an inline comment is about: the comment's last line. */
export function fingerprintMarker(fingerprints: readonly string[]): Markup {
  if (!fingerprints.every((fp) => /^[0-9a-f]{1,64}$/.test(fp))) throw new Error('a fingerprint is hex');
  return trusted(`<!-- warden:fingerprints ${fingerprints.join(' ')} -->`);
}

/** The last line of a body (as GitHub may return it, with CRLF line breaks or trailing space). */
function lastLine(body: string): string {
  const trimmed = body.trimEnd();
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim();
}

/** The fingerprints named by the marker on a body's last line; none when the marker stands anywhere else. */
export function parseFingerprints(body: string): string[] {
  const match = FINGERPRINTS.exec(lastLine(body));
  return match ? match[1]!.split(' ') : [];
}

/** Marker naming the head SHA a review was posted for and the delivery whose run posted it: the body's last line. */
export function reviewMarker(headSha: string, delivery: string): string {
  return `<!-- warden:review ${headSha} ${delivery.replace(/[^\w.:-]/g, '')} -->`;
}

/** Whether a review body ends with this marker (where Warden writes it). */
export function hasReviewMarker(body: string | null | undefined, marker: string): boolean {
  return lastLine(body ?? '') === marker;
}

/**
 * The check run's `external_id`: the webhook delivery that started it, whether it reviews or only checks, and the
 * base branch it reviewed against, so a redelivered webhook (same `x-github-delivery`) is recognised, and a run
 * against another base is not taken for this one's, without storing anything.
 */
export interface RunMark {
  delivery: string;
  mode: 'review' | 'check';
  /** The base branch's name, hashed (baseMark); absent on a run with no pull request, or one that did not record it. */
  base?: string;
}

/** A base branch's name in a run mark: short and of one alphabet, whatever the name. */
export function baseMark(ref: string): string {
  return createHash('sha256').update(ref).digest('hex').slice(0, 12);
}

export function runExternalId(mark: RunMark): string {
  return `warden:${mark.mode}:${mark.delivery}${mark.base === undefined ? '' : `@${mark.base}`}`;
}

export function parseRunExternalId(id: string | null | undefined): RunMark | null {
  const match = /^warden:(review|check):(.+?)(?:@([0-9a-f]{12}))?$/.exec(id ?? '');
  if (!match) return null;
  return { mode: match[1] as RunMark['mode'], delivery: match[2]!, ...(match[3] !== undefined ? { base: match[3] } : {}) };
}

