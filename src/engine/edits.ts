// Line edits from rewritten text: now in src/common (formats and compose write them too); re-exported here.
export * from '../common/edits.js';
