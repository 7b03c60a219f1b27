import rule from '../../../rules/gcp/storage-versioning.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'gcs.tf';
const bucket = (inner: string) => `resource "google_storage_bucket" "models" {\n  name     = "models"\n  location = "EU"\n${inner}}\n`;

ruleTester(rule, {
  valid: [
    { name: 'versioning enabled', file, code: bucket('  versioning {\n    enabled = true\n  }\n') },
    { name: 'unknown: enabled from a variable', file, code: bucket('  versioning {\n    enabled = var.keep_versions\n  }\n') },
    { name: 'unknown: written dynamically', file, code: bucket('  dynamic "versioning" {\n    for_each = var.versioning\n    content {\n      enabled = true\n    }\n  }\n') },
    {
      name: 'known from a variable default',
      file,
      code: `variable "keep" {\n  default = true\n}\n\n${bucket('  versioning {\n    enabled = var.keep\n  }\n')}`,
    },
  ],
  invalid: [
    {
      name: 'no versioning block: the default keeps no versions',
      file,
      code: bucket(''),
      errors: [{ line: 1, message: '`enabled` is not set, and the provider\'s default is false' }],
      output: bucket('  versioning {\n    enabled = true\n  }\n'),
    },
    {
      name: 'versioning disabled',
      file,
      code: bucket('  versioning {\n    enabled = false\n  }\n'),
      errors: [{ line: 5, message: '`enabled = false`' }],
      output: bucket('  versioning {\n    enabled = true\n  }\n'),
    },
  ],
});
