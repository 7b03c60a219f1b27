// Blob texts already read. A blob's SHA names its content, so a text read once stays right. The App's replica keeps
// one across runs (the next push to a pull request re-reads only the files that changed, and the repository index
// costs requests only for what is new); the command line one per git ref it reads (the index and a module's callers
// read the same files). Bounded by size; the least recently used go first. Keyed by repository as well, so one
// installation's reads never answer another's.

/** Text kept at most, in UTF-16 code units (about twice as many bytes): a few MB of a replica's budget. */
export const BLOB_TEXT_CACHE_CHARS = 16 * 1024 * 1024;

export class BlobTexts {
  private readonly texts = new Map<string, string>();
  private chars = 0;

  constructor(private readonly capacity = BLOB_TEXT_CACHE_CHARS) {}

  get(repo: string, sha: string): string | undefined {
    const key = `${repo}\0${sha}`;
    const text = this.texts.get(key);
    if (text !== undefined) {
      // Most recently used last.
      this.texts.delete(key);
      this.texts.set(key, text);
    }
    return text;
  }

  set(repo: string, sha: string, text: string): void {
    if (text.length > this.capacity) return;
    const key = `${repo}\0${sha}`;
    const old = this.texts.get(key);
    if (old !== undefined) {
      this.chars -= old.length;
      this.texts.delete(key);
    }
    this.texts.set(key, text);
    this.chars += text.length;
    for (const [oldest, value] of this.texts) {
      if (this.chars <= this.capacity) break;
      this.texts.delete(oldest);
      this.chars -= value.length;
    }
  }

  get size(): number {
    return this.texts.size;
  }

  clear(): void {
    this.texts.clear();
    this.chars = 0;
  }
}

/** The replica's cache, shared by every run. */
export const sharedBlobTexts = new BlobTexts();
