// Hidden markers in what Warden posts, so a later run (any replica, no state of its own) recognises its work.

const FINGERPRINTS = /<!--\s*warden:fingerprints\s+([0-9a-f\s]+?)\s*-->/;

/** Marker naming the findings an inline comment is about. */
export function fingerprintMarker(fingerprints: readonly string[]): string {
  return `<!-- warden:fingerprints ${fingerprints.join(' ')} -->`;
}

export function parseFingerprints(body: string): string[] {
  const match = FINGERPRINTS.exec(body);
  return match ? match[1]!.split(/\s+/).filter(Boolean) : [];
}

/** Marker naming the head SHA a review was posted for and the delivery whose run posted it. */
export function reviewMarker(headSha: string, delivery: string): string {
  return `<!-- warden:review ${headSha} ${delivery} -->`;
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

