// The repository index as the App and the command line build it: files read in the worker pool (the main thread
// never parses), the charts whose templates name an indexed kind rendered there too (src/render/chart-index.ts).
import type { Config } from './config.js';
import { buildRepositoryIndex, INDEXED_KINDS, type BuiltIndex, type IndexOptions } from './engine/repository-index.js';
import type { RepositoryReader } from './engine/repository.js';
import { chartIndexer } from './render/chart-index.js';
import { indexChartPooled, parseForIndexPooled } from './worker/pooled.js';
import { LOOKED_UP_KINDS } from '../rules/index.js';

/** `urls`: the repository's own (its GitOps sources' installs of its charts are rendered for the index too). */
export function indexRepository(reader: RepositoryReader, config: Config, limits: Pick<IndexOptions, 'maxFiles' | 'maxBytes' | 'concurrency'> = {}, urls: readonly string[] = []): Promise<BuiltIndex> {
  return buildRepositoryIndex(reader, config, {
    ...limits,
    parse: parseForIndexPooled,
    kinds: LOOKED_UP_KINDS,
    charts: chartIndexer(config, [...INDEXED_KINDS], indexChartPooled, urls),
  });
}
