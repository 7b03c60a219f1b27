// Terraform as people write it, for the cloud rules, in four parts: values (src/engine/terraform/values.ts),
// references between resources (references.ts), IAM policy documents (iam.ts), and the one-setting rule shape
// (settings.ts). Rules import them from here.
export * from './terraform/values.js';
export * from './terraform/references.js';
export * from './terraform/iam.js';
export * from './terraform/settings.js';
