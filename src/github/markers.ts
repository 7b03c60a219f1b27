// Hidden markers in what Warden posts, so a later run (any replica, no state of its own) recognises its work.
// A marker is bound to where Warden writes it: the last line of a body the App itself authored (callers check
// the author). Everything from the pull request is escaped and kept on one line (src/output/inert.ts), and quoted
// text can never be the last line, so a `<!-- warden:… -->` inside a name or a reason is never read as a marker.
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
 * The check run's `external_id`: the webhook delivery that started it and whether it reviews or only checks, so
 * a redelivered webhook (same `x-github-delivery`) is recognised without storing anything.
 */
export interface RunMark {
  delivery: string;
  mode: 'review' | 'check';
}

export function runExternalId(mark: RunMark): string {
  return `warden:${mark.mode}:${mark.delivery}`;
}

export function parseRunExternalId(id: string | null | undefined): RunMark | null {
  const match = /^warden:(review|check):(.+)$/.exec(id ?? '');
  return match ? { mode: match[1] as RunMark['mode'], delivery: match[2]! } : null;
}

