// Registry modules (never downloaded) reviewed through the table in rules/registry-modules.ts: findings on the
// module block's inputs, fixes there, defaults by the pinned major version, unknown inputs never judged.
import { describe, expect, it } from 'vitest';
import s3PublicAcl from '../../../rules/aws/s3-public-acl.js';
import s3PublicAccessBlock from '../../../rules/aws/s3-public-access-block.js';
import s3Versioning from '../../../rules/aws/s3-versioning.js';
import sgOpenIngress from '../../../rules/aws/security-group-open-ingress.js';
import eksPublicEndpoint from '../../../rules/aws/eks-public-endpoint.js';
import iamAdminPolicy from '../../../rules/aws/iam-admin-policy.js';
import { REGISTRY_MODULES } from '../../../rules/registry-modules.js';
import { pinnedMajor, registryModule } from '../../../src/formats/hcl-modules.js';
import { resolveConfig } from '../../../src/config.js';
import { scanFiles } from '../../../src/engine/run.js';
import { ruleTester } from '../../rule-tester.js';
import { review } from '../../../src/review.js';
import { githubPatch } from '../../app/fake-github.js';

ruleTester(s3PublicAcl, {
  valid: [
    {
      name: 'registry module with a private ACL',
      file: 'main.tf',
      code: `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  bucket = "models"\n  acl    = "private"\n}\n`,
    },
    {
      name: 'unknown: the ACL comes from a variable',
      file: 'main.tf',
      code: `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  bucket = "models"\n  acl    = var.acl\n}\n`,
    },
    {
      name: 'a module not in the table is not judged',
      file: 'main.tf',
      code: `module "models" {\n  source = "example-org/bucket/aws"\n  acl    = "public-read"\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'registry module input: reported and fixed at the `acl` argument',
      file: 'main.tf',
      code: `module "models" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.1"

  bucket = "models"
  acl    = "public-read"
}
`,
      errors: [{ line: 6, message: '`module.models` sets the canned ACL `public-read`' }],
      output: `module "models" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.1"

  bucket = "models"
  acl    = "private"
}
`,
    },
  ],
});

ruleTester(s3PublicAccessBlock, {
  valid: [
    {
      name: 'version 4 and later: every setting defaults to true',
      file: 'main.tf',
      code: `module "models" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "4.1.0"\n  bucket  = "models"\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'an input set to false: reported at it, fixed there',
      file: 'main.tf',
      code: `module "models" {
  source = "terraform-aws-modules/s3-bucket/aws"
  bucket = "models"

  ignore_public_acls = false
}
`,
      errors: [{ line: 5, message: '`ignore_public_acls`' }],
      output: `module "models" {
  source = "terraform-aws-modules/s3-bucket/aws"
  bucket = "models"

  ignore_public_acls = true
}
`,
    },
    {
      name: 'version 3: the defaults leave the block off; the fix writes the four inputs into the module block',
      file: 'main.tf',
      code: `module "models" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "3.7.0"
  bucket  = "models"
}
`,
      errors: [{ line: 1, message: 'leaves `block_public_acls`, `block_public_policy`, `ignore_public_acls`, `restrict_public_buckets` off' }],
      output: `module "models" {
  source                  = "terraform-aws-modules/s3-bucket/aws"
  version                 = "3.7.0"
  bucket                  = "models"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
  ],
});

ruleTester(s3Versioning, {
  valid: [
    {
      name: 'versioning enabled through the module input',
      file: 'main.tf',
      code: `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  versioning = {\n    enabled = true\n  }\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'a versioning map without `enabled`: reported at the map',
      file: 'main.tf',
      code: `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  versioning = {\n    mfa_delete = true\n  }\n}\n`,
      errors: [{ line: 3, message: 'Versioning of `module.models`' }],
      output: null,
    },
  ],
});

ruleTester(sgOpenIngress, {
  valid: [
    {
      name: 'security-group module open to the VPC only',
      file: 'main.tf',
      code: `module "sg" {\n  source              = "terraform-aws-modules/security-group/aws"\n  ingress_cidr_blocks = ["10.0.0.0/16"]\n  ingress_rules       = ["https-443-tcp"]\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'security-group module: the open range is reported at its input',
      file: 'main.tf',
      code: `module "sg" {\n  source              = "terraform-aws-modules/security-group/aws"\n  ingress_rules       = ["https-443-tcp"]\n  ingress_cidr_blocks = ["10.0.0.0/16", "0.0.0.0/0"]\n}\n`,
      errors: [{ line: 4, message: '`0.0.0.0/0`' }],
      output: null,
    },
  ],
});

ruleTester(eksPublicEndpoint, {
  valid: [
    {
      name: 'eks module 19 and later: private endpoint by default',
      file: 'main.tf',
      code: `module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "~> 20.0"\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'eks module 18: public by default; the fix writes the inputs',
      file: 'main.tf',
      code: `module "eks" {\n  source  = "terraform-aws-modules/eks/aws"\n  version = "18.31.2"\n}\n`,
      errors: [{ line: 1, message: 'EKS cluster `module.eks`' }],
      output: `module "eks" {\n  source                          = "terraform-aws-modules/eks/aws"\n  version                         = "18.31.2"\n  cluster_endpoint_private_access = true\n  cluster_endpoint_public_access  = false\n}\n`,
    },
  ],
});

ruleTester(iamAdminPolicy, {
  valid: [],
  invalid: [
    {
      name: 'iam-assumable-role module: AdministratorAccess in `custom_role_policy_arns` is reported at its item',
      file: 'main.tf',
      code: `module "role" {
  source = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  custom_role_policy_arns = [
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AdministratorAccess",
  ]
}
`,
      errors: [{ line: 5, message: 'attaches `AdministratorAccess`' }],
      output: null,
    },
  ],
});

describe('registry module table', () => {
  it('matches sources with a host prefix or a ref, and submodules exactly', () => {
    expect(registryModule(REGISTRY_MODULES, 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws')?.source).toBe('terraform-aws-modules/s3-bucket/aws');
    expect(registryModule(REGISTRY_MODULES, 'terraform-aws-modules/iam/aws//modules/iam-policy')?.source).toBe('terraform-aws-modules/iam/aws//modules/iam-policy');
    expect(registryModule(REGISTRY_MODULES, 'terraform-aws-modules/iam/aws')).toBeUndefined();
    expect(registryModule(REGISTRY_MODULES, './modules/bucket')).toBeUndefined();
  });

  it('reads the major version a constraint pins', () => {
    expect(pinnedMajor('3.7.0')).toBe(3);
    expect(pinnedMajor('~> 4.1')).toBe(4);
    expect(pinnedMajor('>= 18, < 19')).toBe(18);
    expect(pinnedMajor(undefined)).toBeNull();
  });

  it('a finding inside a module block is suppressed by a comment above the argument', async () => {
    const code = `module "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  # warden:ignore aws/s3-public-acl -- a public website bucket\n  acl    = "public-read"\n}\n`;
    const result = await scanFiles([{ path: 'main.tf', text: code }], { config: resolveConfig({}), rules: [s3PublicAcl] });
    const finding = result.findings.find((f) => f.ruleId === 'aws/s3-public-acl');
    expect(finding?.line).toBe(4);
    expect(finding?.suppressed?.reason).toBe('a public website bucket');
  });
});

describe('a module Warden neither fetches nor knows', () => {
  const text = 'module "models" {\n  source = "example-org/bucket/aws"\n  acl    = "public-read"\n}\n\nmodule "local" {\n  source = "./modules/bucket"\n}\n\nlocals {\n  replicas = 3\n}\n';
  const reason = 'what module `models` (`example-org/bucket/aws`) creates: Warden fetches no module and does not know this one';

  it('is marked where it is written (a local module is read, not marked)', async () => {
    const { files } = await scanFiles([{ path: 'main.tf', text }], { config: resolveConfig({}), rules: [s3PublicAcl] });
    expect(files[0]!.unseen).toEqual([{ lines: { startLine: 1, endLine: 4 }, reason }]);
  });

  it('a change to its block is not reviewed there; a change elsewhere in the file leaves it a note', async () => {
    const before = text.replace('public-read', 'private');
    const touched = await review({ files: [{ path: 'main.tf', headText: text, baseText: before, patch: githubPatch(before, text) }], config: resolveConfig({}), rules: [s3PublicAcl] });
    expect(touched.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([['warden/not-reviewed', 1, expect.stringContaining(`could not review all that this file deploys, only the rest of it: ${reason}`)]]);
    const elsewhere = text.replace('replicas = 3', 'replicas = 4');
    const untouched = await review({ files: [{ path: 'main.tf', headText: elsewhere, baseText: text, patch: githubPatch(text, elsewhere) }], config: resolveConfig({}), rules: [s3PublicAcl] });
    expect(untouched.findings).toEqual([]);
    expect(untouched.notes).toContainEqual({ file: 'main.tf', message: `line 1: not reviewed, ${reason}` });
  });
});
