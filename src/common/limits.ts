// The limits on one file, in one place: what Warden reads and how long it may spend on it.

/**
 * Files larger than this are not parsed: a note says so. A Kubernetes object is at most ~1.5 MiB (etcd's
 * default request limit), and hand-written manifests and Terraform are far below that; a file of several MiB
 * is a generated bundle (CRDs, vendored charts) that nobody reviews line by line. The YAML parser is also
 * superlinear on files of many documents (60,000 small documents, ~5 MB: ~7 s here), so the bound keeps
 * every file's parse short.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * How long one file may take to parse and review in a worker before the worker is replaced and the file
 * reported as not reviewed. Honest files take milliseconds (YAML ~4 MB/s, HCL ~1.6 MB/s, so a file at
 * MAX_FILE_BYTES stays within a few seconds); only pathological input reaches this.
 */
export const FILE_TIME_LIMIT_MS = 15_000;

/**
 * Deepest bracket nesting parsed. Real manifests and Terraform nest a few dozen levels at most; recursive
 * parsers overflow their stack somewhere in the thousands, at a depth that depends on the thread's stack size,
 * so a fixed bound gives the same answer everywhere (and hcl2json's Go runtime does not survive an overflow).
 */
export const MAX_NESTING = 200;

/**
 * Terraform HCL files larger than this are not parsed. hcl2json slows superlinearly on long heredocs (a 400 KB
 * heredoc: ~6 s here; 3.8 MB: minutes), and hand-written Terraform is far smaller than this.
 */
export const MAX_HCL_BYTES = 1024 * 1024;

/**
 * YAML documents parsed in one file. The parser is superlinear in them (60,000 small documents, ~4 MB: ~7 s and
 * hundreds of MB); real bundles, CRDs included, hold hundreds.
 */
export const MAX_YAML_DOCUMENTS = 5000;

/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
export const BINARY_SNIFF_BYTES = 8000;

export interface Limits {
  maxFileBytes: number;
  fileTimeLimitMs: number;
}

function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The limits in force: the defaults above, or WARDEN_MAX_FILE_BYTES / WARDEN_FILE_TIME_LIMIT_MS. */
export function currentLimits(): Limits {
  return {
    maxFileBytes: fromEnv('WARDEN_MAX_FILE_BYTES', MAX_FILE_BYTES),
    fileTimeLimitMs: fromEnv('WARDEN_FILE_TIME_LIMIT_MS', FILE_TIME_LIMIT_MS),
  };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
