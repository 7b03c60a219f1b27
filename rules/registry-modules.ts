// The table of well-known registry modules lives beside the HCL format that reads it (src/formats imports nothing
// above it); re-exported here, beside the rules whose settings it maps.
export * from '../src/formats/registry-modules.js';
