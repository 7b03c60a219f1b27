// The limits on one file: now in src/common (formats read them too); re-exported here for the engine.
export * from '../common/limits.js';
