// Terraform JSON syntax (`*.tf.json`): the same rules, locations and fixes written as JSON.
import isolation from '../../../rules/aws/sagemaker-network-isolation.js';
import scanOnPush from '../../../rules/aws/ecr-scan-on-push.js';
import pab from '../../../rules/aws/s3-public-access-block.js';
import policyPublic from '../../../rules/aws/s3-policy-public.js';
import privileged from '../../../rules/k8s/privileged.js';
import runAsNonRoot from '../../../rules/k8s/run-as-non-root.js';
import dropAll from '../../../rules/k8s/drop-all-capabilities.js';
import { ruleTester } from '../../rule-tester.js';

const file = 'main.tf.json';

ruleTester(isolation, {
  valid: [
    { name: 'isolated', file, code: `{"resource": {"aws_sagemaker_model": {"llm": {"enable_network_isolation": true}}}}\n` },
    { name: 'unknown: a variable', file, code: `{"resource": {"aws_sagemaker_model": {"llm": {"enable_network_isolation": "\${var.isolate}"}}}}\n` },
  ],
  invalid: [
    {
      name: 'absent: inserted as a member',
      file,
      code: `{
  "resource": {
    "aws_sagemaker_model": {
      "llm": {
        "name": "llm",
        "execution_role_arn": "\${aws_iam_role.sagemaker.arn}"
      }
    }
  }
}
`,
      errors: [{ line: 4 }],
      output: `{
  "resource": {
    "aws_sagemaker_model": {
      "llm": {
        "name": "llm",
        "execution_role_arn": "\${aws_iam_role.sagemaker.arn}",
        "enable_network_isolation": true
      }
    }
  }
}
`,
    },
    {
      name: 'explicit false: replaced',
      file,
      code: `{\n  "resource": {\n    "aws_sagemaker_model": {\n      "llm": {\n        "enable_network_isolation": false\n      }\n    }\n  }\n}\n`,
      errors: [{ line: 5 }],
      output: `{\n  "resource": {\n    "aws_sagemaker_model": {\n      "llm": {\n        "enable_network_isolation": true\n      }\n    }\n  }\n}\n`,
    },
  ],
});

ruleTester(scanOnPush, {
  valid: [{ name: 'block as an object', file, code: `{"resource": {"aws_ecr_repository": {"r": {"image_scanning_configuration": {"scan_on_push": true}}}}}\n` }],
  invalid: [
    {
      name: 'missing block: created as an object',
      file,
      code: `{
  "resource": {
    "aws_ecr_repository": {
      "r": {
        "name": "r"
      }
    }
  }
}
`,
      errors: [{ line: 4 }],
      output: `{
  "resource": {
    "aws_ecr_repository": {
      "r": {
        "name": "r",
        "image_scanning_configuration": {
          "scan_on_push": true
        }
      }
    }
  }
}
`,
    },
  ],
});

ruleTester(pab, {
  valid: [],
  invalid: [
    {
      name: 'no block: a resource is added',
      file,
      code: `{
  "resource": {
    "aws_s3_bucket": {
      "models": {
        "bucket": "acme-models"
      }
    }
  }
}
`,
      errors: [{ line: 4 }],
      output: `{
  "resource": {
    "aws_s3_bucket": {
      "models": {
        "bucket": "acme-models"
      }
    },
    "aws_s3_bucket_public_access_block": {
      "models": {
        "bucket": "\${aws_s3_bucket.models.id}",
        "block_public_acls": true,
        "block_public_policy": true,
        "ignore_public_acls": true,
        "restrict_public_buckets": true
      }
    }
  }
}
`,
    },
  ],
});

ruleTester(policyPublic, {
  valid: [],
  invalid: [
    {
      name: 'policy as a JSON string with Principal *',
      file,
      code: `{
  "resource": {
    "aws_s3_bucket_policy": {
      "models": {
        "bucket": "\${aws_s3_bucket.models.id}",
        "policy": "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"s3:GetObject\\"}]}"
      }
    }
  }
}
`,
      errors: [{ line: 6 }],
      output: null,
    },
  ],
});

// kubernetes_* resources in Terraform JSON are read as the manifests they make, as in HCL: the Kubernetes rules
// find them, on their lines, and their fixes are written in JSON with the provider's names.
const k8sDeployment = (privilegedValue: string) => `{
  "resource": {
    "kubernetes_deployment_v1": {
      "triton": {
        "metadata": { "name": "triton", "namespace": "models" },
        "spec": {
          "template": {
            "metadata": { "labels": { "app": "triton" } },
            "spec": {
              "container": [
                {
                  "name": "triton",
                  "image": "nvcr.io/nvidia/tritonserver:24.05-py3",
                  "security_context": {
                    "privileged": ${privilegedValue}
                  }
                }
              ]
            }
          }
        }
      }
    }
  }
}
`;

ruleTester(privileged, {
  valid: [{ name: 'not privileged', file, code: k8sDeployment('false') }],
  invalid: [{ name: 'privileged: set to false where it stands', file, code: k8sDeployment('true'), errors: [{ line: 15 }], output: k8sDeployment('false') }],
});

ruleTester(runAsNonRoot, {
  valid: [],
  invalid: [
    {
      name: 'no run_as_non_root: inserted into the container security_context, written as one object',
      file,
      code: k8sDeployment('false'),
      errors: [{ line: 14 }],
      output: k8sDeployment('false,\n                    "run_as_non_root": true'),
    },
  ],
});

ruleTester(dropAll, {
  valid: [{ name: 'ALL dropped', file, code: k8sDeployment('false,\n                    "capabilities": { "drop": ["ALL"] }') }],
  invalid: [
    {
      name: 'no capabilities: the block written whole, its list holding ALL',
      file,
      code: k8sDeployment('false'),
      errors: [{ line: 14 }],
      output: k8sDeployment('false,\n                    "capabilities": {\n                      "drop": [\n                        "ALL"\n                      ]\n                    }'),
    },
    {
      name: 'a drop list on one line: ALL appended in it',
      file,
      code: k8sDeployment('false,\n                    "capabilities": { "drop": ["NET_RAW"] }'),
      errors: [{ line: 16 }],
      output: k8sDeployment('false,\n                    "capabilities": { "drop": ["NET_RAW", "ALL"] }'),
    },
    {
      name: 'a drop list one item a line: ALL appended on a line of its own',
      file,
      code: k8sDeployment('false,\n                    "capabilities": {\n                      "drop": [\n                        "NET_RAW"\n                      ]\n                    }'),
      errors: [{ line: 17 }],
      output: k8sDeployment('false,\n                    "capabilities": {\n                      "drop": [\n                        "NET_RAW",\n                        "ALL"\n                      ]\n                    }'),
    },
  ],
});
