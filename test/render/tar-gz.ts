// Chart archives for tests, built in memory: a tar's headers by the `tar` package, gzipped by zlib.
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

/** A gzipped tar of these entries (a string: a regular file; `{ link }`: a symbolic link). */
export function tarGz(entries: Record<string, string | Uint8Array | { link: string }>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [path, body] of Object.entries(entries)) {
    const link = typeof body === 'object' && 'link' in body ? body.link : undefined;
    const data = link !== undefined ? Buffer.alloc(0) : Buffer.from(body as string | Uint8Array);
    const header = new Header({ path, mode: 0o644, size: data.length, mtime: new Date(0), type: link !== undefined ? 'SymbolicLink' : 'File', ...(link !== undefined ? { linkpath: link } : {}) });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
