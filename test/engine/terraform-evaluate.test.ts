// Terraform as Terraform evaluates it, without running it: variable defaults, locals, templates and the common
// functions; an unknown value stays unknown and never produces a finding on its own.
import { beforeAll, describe, expect, it } from 'vitest';
import s3PublicAcl from '../../rules/aws/s3-public-acl.js';
import s3PolicyPublic from '../../rules/aws/s3-policy-public.js';
import sgOpenIngress from '../../rules/aws/security-group-open-ingress.js';
import s3PublicAccessBlock from '../../rules/aws/s3-public-access-block.js';
import gkeAuthorizedNetworks from '../../rules/gcp/gke-master-authorized-networks.js';
import privilegedRule from '../../rules/k8s/privileged.js';
import hostPorts from '../../rules/k8s/host-ports.js';
import { resolveConfig } from '../../src/config.js';
import { scanFiles, type SourceFile } from '../../src/engine/run.js';
import { evaluateHclString } from '../../src/formats/hcl-eval.js';
import { initHcl } from '../../src/formats/hcl.js';
import type { AnyRule } from '../../src/engine/define-rule.js';

async function findings(files: SourceFile[], rule: AnyRule) {
  const result = await scanFiles(files, { config: resolveConfig({}), rules: [rule] });
  return result.findings.filter((f) => f.ruleId === rule.id);
}

describe('variables and locals', () => {
  it('a variable default is the value: reported at the argument that uses it, the fix shown (it would overwrite `var.acl`)', async () => {
    const code = `variable "acl" {\n  default = "public-read"\n}\n\nresource "aws_s3_bucket" "models" {\n  bucket = "models"\n  acl    = var.acl\n}\n`;
    const [finding, ...rest] = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(rest).toEqual([]);
    expect(finding?.line).toBe(7);
    expect(finding?.message).toContain('`public-read`');
    expect(finding?.fix?.applicability).toBe('display');
    expect(finding?.fix?.edits).toEqual([]);
  });

  it('unknown: a variable without a default gives no finding', async () => {
    const code = `variable "acl" {\n  type = string\n}\n\nresource "aws_s3_bucket" "models" {\n  acl = var.acl\n}\n`;
    expect(await findings([{ path: 'main.tf', text: code }], s3PublicAcl)).toEqual([]);
  });

  it('variables and locals of other files of the same module are seen; another folder is not', async () => {
    const files: SourceFile[] = [
      { path: 'infra/variables.tf', text: `variable "public" {\n  default = true\n}\n` },
      { path: 'infra/locals.tf', text: `locals {\n  base = { acl = "private" }\n  bucket = merge(local.base, var.public ? { acl = "public-read-write" } : {})\n}\n` },
      { path: 'infra/main.tf', text: `resource "aws_s3_bucket" "models" {\n  acl = lookup(local.bucket, "acl", "private")\n}\n` },
      { path: 'other/main.tf', text: `resource "aws_s3_bucket" "models" {\n  acl = lookup(local.bucket, "acl", "private")\n}\n` },
    ];
    const found = await findings(files, s3PublicAcl);
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:2']);
    expect(found[0]!.message).toContain('`public-read-write`');
  });

  it('a policy built with jsonencode from a local: statements judged', async () => {
    const code = `locals {
  anyone = "*"
}

resource "aws_s3_bucket_policy" "models" {
  bucket = "models"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = local.anyone }, Action = "s3:GetObject", Resource = "arn:aws:s3:::models/*" }]
  })
}
`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PolicyPublic);
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(8);
  });

  it('a registry module input from a variable default', async () => {
    const code = `variable "acl" {\n  default = "public-read"\n}\n\nmodule "models" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  acl    = var.acl\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => f.line)).toEqual([7]);
  });
});

describe('expressions', () => {
  beforeAll(async () => {
    await initHcl();
  });
  const scope = { var: { env: 'prod', names: ['a', 'b'], empty: '', tags: { team: 'ml' } }, local: { n: 3 } };

  it('templates, format, concat, toset, coalesce, lookup, conditionals', () => {
    expect(evaluateHclString('${var.env}-models', scope)).toBe('prod-models');
    expect(evaluateHclString('${format("%s-%d", var.env, local.n)}', scope)).toBe('prod-3');
    expect(evaluateHclString('${concat(var.names, ["c"])}', scope)).toEqual(['a', 'b', 'c']);
    expect(evaluateHclString('${toset(concat(var.names, ["a"]))}', scope)).toEqual(['a', 'b']);
    expect(evaluateHclString('${coalesce(var.empty, "fallback")}', scope)).toBe('fallback');
    expect(evaluateHclString('${lookup(var.tags, "team", "none")}', scope)).toBe('ml');
    expect(evaluateHclString('${var.env == "prod" ? 1 : 2}', scope)).toBe(1);
    expect(evaluateHclString('${true ? var.env : "x"}', scope)).toBe('prod');
    expect(evaluateHclString('${var.names[1]}', scope)).toBe('b');
    expect(evaluateHclString('${jsonencode({ a = var.env })}', scope)).toBe('{"a":"prod"}');
  });

  it('jsondecode and yamldecode: one document decoded; several, invalid text or what Terraform may read otherwise, unknown', () => {
    expect(evaluateHclString('${jsondecode("{\\"a\\": [1, true]}")}', scope)).toEqual({ a: [1, true] });
    expect(evaluateHclString('${yamldecode("kind: Pod\\nspec:\\n  hostPID: true\\n")}', scope)).toEqual({ kind: 'Pod', spec: { hostPID: true } });
    expect(evaluateHclString('${jsondecode(jsonencode({ a = var.env }))}', scope)).toEqual({ a: 'prod' });
    for (const text of ['${jsondecode("{")}', '${yamldecode("a: 1\\n---\\nb: 2\\n")}', '${yamldecode("a: 1\\na: 2\\n")}', '${yamldecode("a: !custom 1\\n")}', '${yamldecode("[")}']) {
      expect(evaluateHclString(text, scope), text).toBe(text);
    }
  });

  it('operators as Terraform computes them, on known operands of the types they take', () => {
    const cases: [string, unknown][] = [
      ['${var.env != "prod"}', false],
      ['${!(var.env == "dev") && local.n > 2}', true],
      ['${local.n >= 4 || var.env == "prod"}', true],
      ['${-local.n + 2 * 5 % 4}', -1],
      ['${(local.n + 1) / 2}', 2],
      ['${"8080" + 1}', 8081], // a numeric string converts for arithmetic
      ['${var.tags.team == "ml" ? "public-read" : "private"}', 'public-read'],
      ['${var.missing == null}', '${var.missing == null}'],
    ];
    for (const [text, value] of cases) expect(evaluateHclString(text, scope), text).toEqual(value);
    // What the value alone cannot say (a string against a number, collections, a type Terraform refuses) is unknown.
    for (const text of ['${local.n == "3"}', '${var.names == ["a", "b"]}', '${var.env && true}', '${local.n / 0}', '${var.env + 1}', '${!var.env}', '${-7 % 3}']) {
      expect(evaluateHclString(text, scope), text).toBe(text);
    }
  });

  it('functions: lengths, membership, lists and maps, strings, numbers', () => {
    const inScope = { ...scope, var: { ...scope.var, zones: { b: 2, a: 1 }, mixed: [1, 'a'], nested: [['x'], [['y']]] } };
    const cases: [string, unknown][] = [
      ['${length(var.names)}', 2],
      ['${length(var.tags)}', 1],
      ['${length("🧑‍🔬ab")}', 3], // characters as a reader sees them
      ['${length(var.names) > 0 ? 1 : 0}', 1],
      ['${contains(var.names, "b")}', true],
      ['${contains(["prod", "staging"], var.env)}', true],
      ['${element(var.names, 3)}', 'b'], // wraps around
      ['${one([])}', null],
      ['${keys(var.zones)}', ['a', 'b']],
      ['${values(var.zones)}', [1, 2]],
      ['${join(",", var.names, [1])}', 'a,b,1'],
      ['${split("-", "a-b")}', ['a', 'b']],
      ['${replace(var.env, "o", "0")}', 'pr0d'],
      ['${trimspace("  x ")}', 'x'],
      ['${startswith(var.env, "pr") && endswith(var.env, "d")}', true],
      ['${compact(["a", "", null, "b"])}', ['a', 'b']],
      ['${distinct(concat(var.names, ["a"]))}', ['a', 'b']],
      ['${flatten(var.nested)}', ['x', 'y']],
      ['${coalescelist([], var.names)}', ['a', 'b']],
      ['${tonumber("3") == local.n}', true],
      ['${tobool("true")}', true],
      ['${max(1, local.n, "2")}', 3],
    ];
    for (const [text, value] of cases) expect(evaluateHclString(text, inScope), text).toEqual(value);
    // Arguments Terraform refuses or converts in ways the value does not say, and regular expressions, stay unknown.
    for (const text of ['${contains(var.mixed, 1)}', '${contains(var.names, 1)}', '${element([], 0)}', '${element(var.names, -1)}', '${one(var.names)}', '${replace(var.env, "/o/", "0")}', '${split("", var.env)}', '${join(",", [null])}', '${min()}', '${distinct(var.mixed)}']) {
      expect(evaluateHclString(text, inScope), text).toBe(text);
    }
  });

  it('toset: a set of strings in lexical order, as Terraform orders it; a set of other values in no order it promises', () => {
    const cases: [string, unknown][] = [
      ['${toset(["c", "b", "b"])}', ['b', 'c']],
      ['${toset(["a", "b", 3, true])}', ['3', 'a', 'b', 'true']], // converted to strings, the set's one type
      ['${join(",", toset(["z", "a"]))}', 'a,z'],
      ['${[for s in toset(["z", "a"]) : s]}', ['a', 'z']],
      ['${toset(["é", "z", "Z"])}', ['Z', 'z', 'é']], // by bytes, not by locale
      ['${toset([])}', []],
    ];
    for (const [text, value] of cases) expect(evaluateHclString(text, scope), text).toEqual(value);
    for (const text of ['${toset([2, 1])}', '${toset([true, false])}', '${toset([["a"]])}', '${toset([1e21, "a"])}']) {
      expect(evaluateHclString(text, scope), text).toBe(text);
    }
  });

  it('== between collections: false where their types surely differ, true for two empty tuples as written', () => {
    const inScope = { ...scope, var: { ...scope.var, none: [] } };
    const cases: [string, unknown][] = [
      ['${[] == []}', true],
      ['${{} == {}}', true],
      ['${([]) != []}', false],
      ['${tolist([]) == []}', false], // a list is no tuple
      ['${toset(["a"]) == ["a"]}', false],
      ['${var.names == []}', false], // no tuple of another length is equal
      ['${var.tags == { team = "ml", more = 1 }}', false],
      ['${var.names == null}', false],
      ['${null != var.tags}', true],
      ['${var.names == "a"}', false],
      ['${var.names == var.tags}', false],
    ];
    for (const [text, value] of cases) expect(evaluateHclString(text, inScope), text).toEqual(value);
    // A variable's value does not say whether it is a tuple (no type given) or a list: equal only in the first case.
    for (const text of ['${var.none == []}', '${var.names == ["a", "b"]}', '${var.tags == { team = "ml" }}', '${tolist(var.none) == tolist([])}']) {
      expect(evaluateHclString(text, inScope), text).toBe(text);
    }
  });

  it('for expressions over a known collection: tuples, objects, a filter, a map in the order of its keys', () => {
    const buckets = { weights: { acl: 'public-read', on: true }, logs: { acl: 'private', on: false } };
    const inScope = { ...scope, var: { ...scope.var, buckets } };
    expect(evaluateHclString('${{ for k, v in var.buckets : k => v.acl }}', inScope)).toEqual({ logs: 'private', weights: 'public-read' });
    expect(evaluateHclString('${[for k, v in var.buckets : v.acl]}', inScope)).toEqual(['private', 'public-read']);
    expect(evaluateHclString('${{ for k, v in var.buckets : k => v if v.on }}', inScope)).toEqual({ weights: buckets.weights });
    expect(evaluateHclString('${[for s in var.names : upper(s)]}', inScope)).toEqual(['A', 'B']);
    expect(evaluateHclString('${[for i, s in var.names : "${s}-${i}"]}', inScope)).toEqual(['a-0', 'b-1']);
    // Grouping, a key made twice, and a filter that is not known stay as written.
    for (const text of ['${{ for k, v in var.buckets : v.acl => k... }}', '${{ for s in var.names : "same" => s }}', '${[for s in var.names : s if var.missing]}', '${[for s in var.missing : s]}']) {
      expect(evaluateHclString(text, inScope)).toBe(text);
    }
  });

  it('anything not known stays as written', () => {
    for (const text of ['${var.missing}', '${aws_s3_bucket.models.arn}/*', '${try(var.missing, "x")}', '${file("policy.json")}', '${data.aws_caller_identity.current.account_id}', '${local.n}-${var.nope}']) {
      expect(evaluateHclString(text, scope)).toBe(text);
    }
  });
});

describe('local modules', () => {
  const module = `variable "acl" {
  type    = string
  default = "private"
}

variable "name" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  acl    = var.acl
}
`;

  it('a local source with a trailing slash calls the same folder', async () => {
    const caller = `module "models" {\n  source = "./modules/bucket/"\n  name   = "models"\n  acl    = "public-read"\n}\n`;
    const result = await scanFiles(
      [
        { path: 'infra/main.tf', text: caller },
        { path: 'infra/modules/bucket/main.tf', text: module },
      ],
      { config: resolveConfig({}), rules: [s3PublicAcl] },
    );
    expect(result.findings.filter((f) => f.ruleId === s3PublicAcl.id).map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:4']);
  });

  it('an input that sets the misconfiguration is reported at the argument in the module block, with the fix there', async () => {
    const caller = `module "models" {\n  source = "./modules/bucket"\n  name   = "models"\n  acl    = "public-read"\n}\n`;
    const result = await scanFiles(
      [
        { path: 'infra/main.tf', text: caller },
        { path: 'infra/modules/bucket/main.tf', text: module },
      ],
      { config: resolveConfig({}), rules: [s3PublicAcl] },
    );
    const found = result.findings.filter((f) => f.ruleId === s3PublicAcl.id);
    expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:4:module.models.aws_s3_bucket.this']);
    expect(found[0]!.fix?.edits).toEqual([{ file: 'infra/main.tf', startLine: 4, endLine: 4, replacement: '  acl    = "private"' }]);
  });

  it('an input from the caller\'s own variable is followed; an unknown input gives no finding', async () => {
    const caller = `variable "acl" {\n  default = "authenticated-read"\n}\n\nvariable "other" {}\n\nmodule "a" {\n  source = "./modules/bucket"\n  acl    = var.acl\n}\n\nmodule "b" {\n  source = "./modules/bucket"\n  acl    = var.other\n}\n`;
    const found = await findings(
      [
        { path: 'infra/main.tf', text: caller },
        { path: 'infra/modules/bucket/main.tf', text: module },
      ],
      s3PublicAcl,
    );
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:9']);
  });

  it('a value passed on through a module between the root and the resource is followed, whichever file comes first', async () => {
    const stack = `variable "acl" {\n  default = "private"\n}\n\nmodule "bucket" {\n  source = "../bucket"\n  name   = "models"\n  acl    = var.acl\n}\n`;
    const root = `module "stack" {\n  source = "./modules/stack"\n  acl    = "public-read"\n}\n`;
    const files: SourceFile[] = [
      { path: 'infra/main.tf', text: root },
      { path: 'infra/modules/bucket/main.tf', text: module },
      { path: 'infra/modules/stack/main.tf', text: stack },
    ];
    for (const order of [files, [...files].reverse()]) {
      const found = await findings(order, s3PublicAcl);
      expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:3:module.stack.module.bucket.aws_s3_bucket.this']);
      expect(found[0]!.fix?.edits).toEqual([{ file: 'infra/main.tf', startLine: 3, endLine: 3, replacement: '  acl    = "private"' }]);
    }
  });

  it('a setting the module computes from an input (`var.public ? … : …`) is evaluated with the call\'s value: reported at the argument, its fix shown, not written there', async () => {
    const computed = `variable "public" {\n  default = false\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "models"\n  acl    = var.public ? "public-read" : "private"\n}\n`;
    const call = (value: string) => `module "models" {\n  source = "./modules/bucket"\n  public = ${value}\n}\n`;
    const scan = (caller: string) => findings([{ path: 'infra/main.tf', text: caller }, { path: 'infra/modules/bucket/main.tf', text: computed }], s3PublicAcl);
    const found = await scan(call('true'));
    expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:3:module.models.aws_s3_bucket.this']);
    expect(found[0]!.fix?.edits ?? []).toEqual([]);
    expect(await scan(call('false'))).toEqual([]);
    expect(await scan(call('var.unknown'))).toEqual([]);
  });

  it('an input a module between passes on to such an expression is followed to the root\'s value', async () => {
    const leaf = `variable "public" {\n  default = false\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "models"\n  acl    = !var.public ? "private" : "public-read"\n}\n`;
    const stack = `variable "open" {\n  default = false\n}\n\nmodule "bucket" {\n  source = "../bucket"\n  public = var.open\n}\n`;
    const root = (value: string) => `module "stack" {\n  source = "./modules/stack"\n  open   = ${value}\n}\n`;
    const scan = (text: string) => findings([{ path: 'infra/main.tf', text }, { path: 'infra/modules/bucket/main.tf', text: leaf }, { path: 'infra/modules/stack/main.tf', text: stack }], s3PublicAcl);
    expect((await scan(root('true'))).map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:3:module.stack.module.bucket.aws_s3_bucket.this']);
    expect(await scan(root('false'))).toEqual([]);
  });

  it('modules that call each other (a cycle) are followed once around', async () => {
    const a = `variable "acl" {}\n\nmodule "b" {\n  source = "../b"\n  acl    = var.acl\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "a"\n  acl    = var.acl\n}\n`;
    const b = `variable "acl" {}\n\nmodule "a" {\n  source = "../a"\n  acl    = var.acl\n}\n`;
    const root = `module "a" {\n  source = "./modules/a"\n  acl    = "public-read"\n}\n`;
    const found = await findings(
      [
        { path: 'infra/main.tf', text: root },
        { path: 'infra/modules/a/main.tf', text: a },
        { path: 'infra/modules/b/main.tf', text: b },
      ],
      s3PublicAcl,
    );
    expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:3:module.a.aws_s3_bucket.this']);
  });

  it('a setting the module writes itself is reported inside the module, not at the caller', async () => {
    const own = `variable "name" {}\n\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n  acl    = "public-read"\n}\n`;
    const caller = `module "models" {\n  source = "./modules/bucket"\n  name   = "models"\n}\n`;
    const found = await findings(
      [
        { path: 'infra/main.tf', text: caller },
        { path: 'infra/modules/bucket/main.tf', text: own },
      ],
      s3PublicAcl,
    );
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['infra/modules/bucket/main.tf:5']);
  });
});

describe('dynamic blocks', () => {
  it('a literal or resolvable for_each is expanded: findings land in the dynamic block\'s content', async () => {
    const code = `variable "rules" {
  default = [
    { port = 443, cidrs = ["10.0.0.0/8"] },
    { port = 8080, cidrs = ["0.0.0.0/0"] },
  ]
}

resource "aws_security_group" "serving" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      cidr_blocks = rule.value.cidrs
    }
  }

  dynamic "ingress" {
    for_each = ["::/0"]
    content {
      from_port        = 22
      to_port          = 22
      ipv6_cidr_blocks = [ingress.value]
    }
  }
}
`;
    const found = await findings([{ path: 'main.tf', text: code }], sgOpenIngress);
    expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual([
      '15: `serving` allows ingress on port 8080 from `0.0.0.0/0`: the whole internet. Allow only the load balancer, the VPC or known ranges.',
      '24: `serving` allows ingress on port 22 from `::/0`: the whole internet. Allow only the load balancer, the VPC or known ranges.',
    ]);
  });

  it('a dynamic block nested in a block is expanded too, and located in its content', async () => {
    const code = `variable "cidrs" {
  default = ["10.0.0.0/8", "0.0.0.0/0"]
}

resource "google_container_cluster" "serving" {
  name = "serving"
  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = var.cidrs
      content {
        cidr_block = cidr_blocks.value
      }
    }
  }
}
`;
    const found = await findings([{ path: 'main.tf', text: code }], gkeAuthorizedNetworks);
    expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual(['11: GKE cluster `serving` authorizes `0.0.0.0/0` to reach its control plane: the whole internet.']);
  });

  it('a kubernetes_* object: the containers a dynamic block makes (and the ports one inside them makes) are judged, in the content that writes them', async () => {
    const code = `variable "containers" {
  default = {
    srv = { image = "reg/srv:1", ports = [8080, 9090] }
  }
}

resource "kubernetes_deployment_v1" "serving" {
  count = 2
  metadata {
    name = "serving-\${count.index}"
  }
  spec {
    template {
      spec {
        container {
          name  = "sidecar"
          image = "reg/sidecar:1"
        }
        dynamic "container" {
          for_each = var.containers
          content {
            name  = container.key
            image = container.value.image
            dynamic "port" {
              for_each = container.value.ports
              iterator = p
              content {
                container_port = p.value
                host_port      = p.value
              }
            }
            security_context {
              privileged = true
            }
          }
        }
      }
    }
  }
}
`;
    const privileged = await findings([{ path: 'main.tf', text: code }], privilegedRule);
    expect(privileged.map((f) => `${f.line}: ${f.message.split(':')[0]}`)).toEqual(['33: Container `srv` runs privileged']);
    // Written once for every container the block makes: a fix there is shown, not offered.
    expect(privileged[0]!.fix?.applicability).toBe('display');
    const ports = await findings([{ path: 'main.tf', text: code }], hostPorts);
    expect(ports.map((f) => f.line)).toEqual([29, 29]);
    expect(ports.map((f) => f.message)).toEqual([expect.stringContaining('8080'), expect.stringContaining('9090')]);
  });

  it('Terraform JSON\'s dynamic blocks are not expanded: a kubernetes_* object\'s are not reviewed (what they make would pass unseen); nested ones are in the outer one\'s part', async () => {
    const code = `{
  "resource": {
    "kubernetes_deployment_v1": {
      "serving": {
        "metadata": { "name": "serving", "labels": { "dynamic": "x" } },
        "spec": {
          "template": {
            "spec": {
              "container": { "name": "sidecar", "image": "reg/sidecar:1" },
              "dynamic": {
                "container": {
                  "for_each": { "srv": "reg/srv:1" },
                  "content": {
                    "name": "\${container.key}",
                    "security_context": { "privileged": true },
                    "dynamic": { "port": { "for_each": [8080], "content": { "container_port": "\${port.value}" } } }
                  }
                },
                "volume": [{ "for_each": [], "content": { "name": "v" } }]
              }
            }
          }
        }
      }
    }
  }
}
`;
    const scanned = await scanFiles([{ path: 'main.tf.json', text: code }], { config: resolveConfig({}), rules: [privilegedRule] });
    expect(scanned.findings).toEqual([]);
    expect((scanned.files[0]!.unseen ?? []).map((part) => [part.lines.startLine, part.lines.endLine, part.reason.split(' makes')[0]])).toEqual([
      [11, 18, 'what the `dynamic "container"` block of kubernetes_deployment_v1 `serving`'],
      [19, 19, 'what the `dynamic "volume"` block of kubernetes_deployment_v1 `serving`'],
    ]);
    expect(scanned.files[0]!.unseen![0]!.reason).toContain('Warden does not evaluate Terraform JSON');
  });

  it('what dynamic blocks make is bounded: past 2,000 blocks a resource is not built (nested ones multiply)', async () => {
    const code = (n: number) => `locals {\n  names = [${Array.from({ length: n }, (_, i) => `"v${i}"`).join(', ')}]\n}\n\nresource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = "p"\n  }\n  spec {\n    container {\n      name  = "srv"\n      image = "reg/srv:1"\n      dynamic "env" {\n        for_each = local.names\n        content {\n          name  = env.value\n          value = "x"\n        }\n      }\n    }\n  }\n}\n`;
    const unseen = async (n: number) => (await scanFiles([{ path: 'main.tf', text: code(n) }], { config: resolveConfig({}), rules: [privilegedRule] })).files[0]!.unseen ?? [];
    expect(await unseen(2_000)).toEqual([]);
    expect((await unseen(2_001)).map((part) => part.lines.startLine)).toEqual([13]);
  });

  it('unknown: a for_each from a variable without a default is not expanded and gives no finding', async () => {
    const code = `variable "rules" {}\n\nresource "aws_security_group" "serving" {\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      cidr_blocks = ingress.value.cidrs\n    }\n  }\n}\n`;
    expect(await findings([{ path: 'main.tf', text: code }], sgOpenIngress)).toEqual([]);
  });
});

describe('count and for_each', () => {
  const buckets = `locals {\n  buckets = {\n    weights = "public-read"\n    logs    = "private"\n  }\n}\n`;

  it('a known for_each: what one instance sets from each.value is judged, the finding names the instance, its fix is shown', async () => {
    const code = `${buckets}resource "aws_s3_bucket_acl" "this" {\n  for_each = local.buckets\n  bucket   = each.key\n  acl      = each.value\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => `${f.line}:${f.resource}`)).toEqual(['10:aws_s3_bucket_acl.this']);
    expect(found[0]!.message).toContain('(This holds for its `for_each` instance `weights`.)');
    // `acl = each.value` is the expression every instance shares: writing a literal there is no fix to offer.
    expect(found[0]!.fix?.applicability).toBe('display');
  });

  it('a finding every group of instances has is reported once, for every instance', async () => {
    const code = `resource "aws_s3_bucket" "shards" {\n  for_each = toset(["a", "b", "c"])\n  bucket   = "shard-\${each.key}"\n  acl      = "public-read"\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => f.line)).toEqual([4]);
    expect(found[0]!.message).toContain('(This holds for every instance of its `for_each`.)');
  });

  it('a for_each made by a for expression is known too', async () => {
    const code = `variable "buckets" {\n  default = {\n    weights = { acl = "public-read" }\n    logs    = { acl = "private" }\n  }\n}\nresource "aws_s3_bucket_acl" "this" {\n  for_each = { for name, b in var.buckets : name => b.acl }\n  bucket   = each.key\n  acl      = each.value\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => f.line)).toEqual([10]);
    expect(found[0]!.message).toContain('instance `weights`');
  });

  it('a for_each that is not known leaves each.value unknown: no finding', async () => {
    const code = `variable "buckets" {}\nresource "aws_s3_bucket_acl" "this" {\n  for_each = var.buckets\n  bucket   = each.key\n  acl      = each.value\n}\n`;
    expect(await findings([{ path: 'main.tf', text: code }], s3PublicAcl)).toEqual([]);
  });

  it('a module called with for_each: the instance whose input is public is judged at the call', async () => {
    const module = `variable "name" {}\nvariable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = var.name\n  acl    = var.acl\n}\n`;
    const caller = `${buckets}module "b" {\n  for_each = local.buckets\n  source   = "./modules/bucket"\n  name     = each.key\n  acl      = each.value\n}\n`;
    const found = await findings([{ path: 'infra/main.tf', text: caller }, { path: 'infra/modules/bucket/main.tf', text: module }], s3PublicAcl);
    expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:11:module.b.aws_s3_bucket_acl.this']);
    expect(found[0]!.message).toContain('instance `weights`');
  });

  it('a resource with count is reviewed once, and the finding says it holds for every instance', async () => {
    const code = `resource "aws_s3_bucket" "shards" {\n  count  = 3\n  bucket = "shard-\${count.index}"\n  acl    = "public-read"\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(4);
    expect(found[0]!.message).toContain('(This holds for every instance of its `count`.)');
    // Each instance's name differs, but its `acl` is written as a literal: the fix is still offered there.
    expect(found[0]!.fix?.applicability).not.toBe('display');
    expect(found[0]!.fix?.edits).not.toEqual([]);
  });

  const acls = (values: string[]) => `variable "acls" {\n  default = ${JSON.stringify(values)}\n}\n`;

  it('a known count: what one instance sets from count.index is judged, the finding names the instance, its fix is shown', async () => {
    const code = `${acls(['public-read', 'private', 'private'])}resource "aws_s3_bucket_acl" "this" {\n  count  = 3\n  bucket = "logs-\${count.index}"\n  acl    = var.acls[count.index]\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => `${f.line}:${f.resource}`)).toEqual(['7:aws_s3_bucket_acl.this']);
    expect(found[0]!.message).toContain('(This holds for its `count` instance `[0]`.)');
    // `acl = var.acls[count.index]` is the expression every instance shares: writing a literal there is no fix to offer.
    expect(found[0]!.fix?.applicability).toBe('display');
  });

  it('a finding every instance of a count has, each from its own value, is reported once, for every instance', async () => {
    const code = `${acls(['public-read', 'public-read-write'])}resource "aws_s3_bucket_acl" "this" {\n  count  = 2\n  bucket = "logs"\n  acl    = var.acls[count.index]\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], s3PublicAcl);
    expect(found.map((f) => f.line)).toEqual([7]);
    expect(found[0]!.message).toContain('(This holds for every instance of its `count`.)');
  });

  it('a module called with count: the instance whose input is public is judged at the call', async () => {
    const module = `variable "acl" {}\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "logs"\n  acl    = var.acl\n}\n`;
    const caller = `${acls(['private', 'public-read'])}module "b" {\n  count  = 2\n  source = "./modules/bucket"\n  acl    = var.acls[count.index]\n}\n`;
    const found = await findings([{ path: 'infra/main.tf', text: caller }, { path: 'infra/modules/bucket/main.tf', text: module }], s3PublicAcl);
    expect(found.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:7:module.b.aws_s3_bucket_acl.this']);
    expect(found[0]!.message).toContain('(This holds for its `count` instance `[1]`.)');
  });

  it('a count.index compared in a conditional: the instance it opens is judged', async () => {
    const code = `resource "aws_security_group_rule" "ssh" {\n  count             = 2\n  type              = "ingress"\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = count.index == 0 ? ["0.0.0.0/0"] : ["10.0.0.0/8"]\n  security_group_id = "sg-1"\n}\n`;
    const found = await findings([{ path: 'main.tf', text: code }], sgOpenIngress);
    expect(found.map((f) => f.line)).toEqual([7]);
    expect(found[0]!.message).toContain('(This holds for its `count` instance `[0]`.)');
  });

  it('a protection created only where a comparison holds protects nothing where it does not', async () => {
    const code = (env: string) => `variable "env" {\n  default = "${env}"\n}\nresource "aws_s3_bucket" "models" {\n  bucket = "models"\n}\nresource "aws_s3_bucket_public_access_block" "models" {\n  count                   = var.env == "prod" ? 1 : 0\n  bucket                  = aws_s3_bucket.models.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n`;
    // Said at the bucket, and at the block that does not protect it (where a change would have turned it off).
    const found = await findings([{ path: 'main.tf', text: code('dev') }], s3PublicAccessBlock);
    expect(found.map((f) => f.line)).toEqual([4, 8]);
    expect(found[1]!.message).toContain('never created (its `count` makes no instance)');
    expect(found[1]!.message).not.toContain('every instance');
    expect(await findings([{ path: 'main.tf', text: code('prod') }], s3PublicAccessBlock)).toEqual([]);
  });

  it('a count that is not known, or larger than Warden expands, leaves count.index unknown: no finding', async () => {
    const resource = (count: string) => `${acls(['public-read'])}variable "n" {}\nresource "aws_s3_bucket_acl" "this" {\n  count  = ${count}\n  acl    = var.acls[count.index]\n}\n`;
    expect(await findings([{ path: 'main.tf', text: resource('var.n') }], s3PublicAcl)).toEqual([]);
    expect(await findings([{ path: 'main.tf', text: resource('2001') }], s3PublicAcl)).toEqual([]);
    expect(await findings([{ path: 'main.tf', text: resource('1') }], s3PublicAcl)).toHaveLength(1);
  });
});

describe('in the worker pool (one file per evaluation)', () => {
  it('a local module parsed in another evaluation is followed with the caller\'s inputs, as in process', async () => {
    const { ScanPool } = await import('../../src/worker/pool.js');
    const { DEFAULT_CONFIG } = await import('../../src/config.js');
    const module = `variable "acl" {\n  default = "private"\n}\n\nvariable "name" {}\n\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n  acl    = var.acl\n}\n`;
    const files: SourceFile[] = [
      { path: 'infra/main.tf', text: `module "models" {\n  source = "./modules/bucket"\n  name   = "models"\n  acl    = "public-read"\n}\n` },
      { path: 'infra/modules/bucket/main.tf', text: module },
    ];
    const pool = new ScanPool({ size: 2 });
    try {
      const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: [s3PublicAcl.id] });
      const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: [s3PublicAcl] });
      expect(pooled.findings.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:4:module.models.aws_s3_bucket.this']);
      expect(pooled.findings).toEqual(inProcess.findings);
    } finally {
      await pool.close();
    }
  });

  it('a value passed on through a module between the root and the resource is followed, as in process', async () => {
    const { ScanPool } = await import('../../src/worker/pool.js');
    const { DEFAULT_CONFIG } = await import('../../src/config.js');
    const module = `variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = "models"\n  acl    = var.acl\n}\n`;
    const files: SourceFile[] = [
      { path: 'infra/main.tf', text: `module "stack" {\n  source = "./modules/stack"\n  acl    = "public-read"\n}\n` },
      { path: 'infra/modules/bucket/main.tf', text: module },
      { path: 'infra/modules/stack/main.tf', text: `variable "acl" {}\n\nmodule "bucket" {\n  source = "../bucket"\n  acl    = var.acl\n}\n` },
    ];
    const pool = new ScanPool({ size: 2 });
    try {
      const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: [s3PublicAcl.id] });
      const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: [s3PublicAcl] });
      expect(pooled.findings.map((f) => `${f.file}:${f.line}:${f.resource}`)).toEqual(['infra/main.tf:3:module.stack.module.bucket.aws_s3_bucket.this']);
      expect(pooled.findings).toEqual(inProcess.findings);
    } finally {
      await pool.close();
    }
  });

  it('variables and locals declared in another file of the module are used, as in process', async () => {
    const { ScanPool } = await import('../../src/worker/pool.js');
    const { DEFAULT_CONFIG } = await import('../../src/config.js');
    const files: SourceFile[] = [
      { path: 'infra/variables.tf', text: `variable "acl" {\n  default = "public-read"\n}\n` },
      { path: 'infra/main.tf', text: `resource "aws_s3_bucket" "models" {\n  acl = var.acl\n}\n` },
    ];
    const pool = new ScanPool({ size: 1 });
    try {
      const pooled = await pool.scan(files, { config: DEFAULT_CONFIG, ruleIds: [s3PublicAcl.id] });
      const inProcess = await scanFiles(files, { config: DEFAULT_CONFIG, rules: [s3PublicAcl] });
      expect(pooled.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['infra/main.tf:2']);
      expect(pooled.findings).toEqual(inProcess.findings);
    } finally {
      await pool.close();
    }
  });
});
