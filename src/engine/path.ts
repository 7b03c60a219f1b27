// Paths inside a resource body: now in src/common (formats, compose and engine all use them); re-exported
// here for the rules and the engine.
export * from '../common/path.js';
