// The config file (.github/warden.yml): schema, defaults, loading and its errors.
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import picomatch from 'picomatch';
import { parse as parseYamlText } from 'yaml';
import { SEVERITIES, type Severity } from './model.js';

export interface Config {
  gate: Severity;
  gate_on: 'new' | 'all';
  review: { event: 'COMMENT' | 'REQUEST_CHANGES'; max_comments: number };
  paths: { include: string[]; exclude: string[] };
  pss_level: 'restricted' | 'baseline';
  images: { allowed_registries: string[] };
  /** Containers that count as long-running serving containers for k8s/probes (name globs); empty: every app container of a long-running workload. */
  probes: { serving_containers: string[] };
  /** Values k8s/resource-limits writes; unset ones become placeholders the author must confirm. */
  resources: { defaults: { cpu_request?: string; memory_request?: string; memory_limit?: string } };
  rules: Record<string, 'off' | Severity>;
  /** What a changed file Warden could not review does: fail the check (default), or be listed below the gate. */
  unreviewable: 'fail' | 'warn';
  /** Helm charts by folder (repository-relative): the values files rendered over each chart's values.yaml, in order. */
  helm: { charts: Record<string, { values: string[] }> };
  /**
   * Terraform: variable definitions files read besides the automatic `terraform.tfvars` and `*.auto.tfvars` (globs,
   * repository-relative), each for the module in its folder, in this order after them, as `-var-file` flags are.
   */
  terraform: { var_files: string[] };
  /** Offer the `Fix all` check-run action, which commits fixes to the pull request's branch (needs `contents: write`). */
  fix_all: boolean;
  /**
   * What a `warden:ignore` the pull request adds does: `allow` (honoured), `report` (honoured, and commented on and
   * listed), `deny` (commented on and listed; a suppressed finding at or above the gate still gates until the
   * suppression is on the default branch).
   */
  suppressions: { in_pull_request: SuppressionPolicy };
}

export type SuppressionPolicy = 'allow' | 'report' | 'deny';

/** The engine's own finding for a file it could not review (rules/warden/not-reviewed.ts). */
const NOT_REVIEWED_ID = 'warden/not-reviewed';

export const DEFAULT_CONFIG: Config = {
  gate: 'high',
  gate_on: 'new',
  review: { event: 'COMMENT', max_comments: 25 },
  paths: { include: ['**/*.yaml', '**/*.yml', '**/*.tf', '**/*.tf.json', '**/*.tofu', '**/*.tofu.json', '**/*.tfvars', '**/*.tfvars.json', '**/*.json', '**/Kustomization', '**/terragrunt.hcl'], exclude: [] },
  pss_level: 'restricted',
  images: { allowed_registries: [] },
  probes: { serving_containers: [] },
  resources: { defaults: {} },
  rules: {},
  unreviewable: 'fail',
  helm: { charts: {} },
  terraform: { var_files: [] },
  fix_all: false,
  suppressions: { in_pull_request: 'report' },
};

const severity = { enum: [...SEVERITIES] };
const globs = { type: 'array', items: { type: 'string', minLength: 1 } };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    _extends: { type: 'string' },
    gate: severity,
    gate_on: { enum: ['new', 'all'] },
    review: {
      type: 'object',
      additionalProperties: false,
      properties: {
        event: { enum: ['COMMENT', 'REQUEST_CHANGES'] },
        max_comments: { type: 'integer', minimum: 0, maximum: 100 },
      },
    },
    paths: {
      type: 'object',
      additionalProperties: false,
      properties: { include: globs, exclude: globs },
    },
    pss_level: { enum: ['restricted', 'baseline'] },
    images: {
      type: 'object',
      additionalProperties: false,
      properties: { allowed_registries: { type: 'array', items: { type: 'string', minLength: 1 } } },
    },
    probes: {
      type: 'object',
      additionalProperties: false,
      properties: { serving_containers: globs },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: {
        defaults: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cpu_request: { type: 'string' },
            memory_request: { type: 'string' },
            memory_limit: { type: 'string' },
          },
        },
      },
    },
    rules: {
      type: 'object',
      additionalProperties: { enum: ['off', ...SEVERITIES] },
    },
    unreviewable: { enum: ['fail', 'warn'] },
    helm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        charts: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: { values: { type: 'array', items: { type: 'string', minLength: 1 } } },
          },
        },
      },
    },
    terraform: {
      type: 'object',
      additionalProperties: false,
      properties: { var_files: globs },
    },
    fix_all: { type: 'boolean' },
    suppressions: {
      type: 'object',
      additionalProperties: false,
      properties: { in_pull_request: { enum: ['allow', 'report', 'deny'] } },
    },
  },
} as const;

// Loaded and compiled when a config is first checked, not at import: the workers import this module and never
// check one, and the command line starts sooner.
let compiled: ValidateFunction | null = null;
function validator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true }).compile(CONFIG_SCHEMA);
  }
  return compiled;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    /** The offending key, dotted (`review.max_comments`). */
    readonly key: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(error: ErrorObject): ConfigError {
  // instancePath is a JSON pointer: `/rules/k8s~1privileged` → `rules.k8s/privileged`.
  const base = error.instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const key = base ? `${base}.${extra}` : extra;
    return new ConfigError(`unknown key \`${key}\``, key);
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v)).join(', ');
    return new ConfigError(`\`${base}\` must be one of: ${allowed}`, base);
  }
  return new ConfigError(`\`${base || '(root)'}\` ${error.message ?? 'is invalid'}`, base);
}

/** Validate a parsed config object and merge it over the defaults. Throws ConfigError naming the key. */
export function resolveConfig(raw: unknown, knownRuleIds?: ReadonlySet<string>): Config {
  if (raw === null || raw === undefined) raw = {};
  const validate = validator();
  if (!validate(raw)) {
    const errors = validate.errors ?? [];
    // additionalProperties errors name the misspelt key: most useful first.
    const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0]!;
    throw describe(first);
  }
  const input = raw as Partial<Config>;
  // Turning it off or down per rule would let an unreviewable file pass silently: one key says what it does.
  if (input.rules?.[NOT_REVIEWED_ID] !== undefined) {
    throw new ConfigError(`\`${NOT_REVIEWED_ID}\` is set with \`unreviewable: fail | warn\`, not under \`rules\``, `rules.${NOT_REVIEWED_ID}`);
  }
  if (knownRuleIds) {
    for (const id of Object.keys(input.rules ?? {})) {
      if (!knownRuleIds.has(id)) throw new ConfigError(`unknown rule id \`${id}\` in \`rules\``, `rules.${id}`);
    }
  }
  return {
    gate: input.gate ?? DEFAULT_CONFIG.gate,
    gate_on: input.gate_on ?? DEFAULT_CONFIG.gate_on,
    review: { ...DEFAULT_CONFIG.review, ...input.review },
    paths: { ...DEFAULT_CONFIG.paths, ...input.paths },
    pss_level: input.pss_level ?? DEFAULT_CONFIG.pss_level,
    images: { ...DEFAULT_CONFIG.images, ...input.images },
    probes: { ...DEFAULT_CONFIG.probes, ...input.probes },
    resources: { defaults: { ...input.resources?.defaults } },
    rules: { ...input.rules },
    unreviewable: input.unreviewable ?? DEFAULT_CONFIG.unreviewable,
    helm: {
      charts: Object.fromEntries(
        Object.entries(input.helm?.charts ?? {}).map(([key, chart]) => {
          const dir = key.replace(/^\.\/|\/$/g, '');
          return [dir, { values: (chart.values ?? []).map((file) => chartRelative(dir, file, `helm.charts.${key}.values`)) }];
        }),
      ),
    },
    terraform: { var_files: [...(input.terraform?.var_files ?? [])].map((glob) => glob.replace(/^\.\//, '')) },
    fix_all: input.fix_all ?? DEFAULT_CONFIG.fix_all,
    suppressions: { ...DEFAULT_CONFIG.suppressions, ...input.suppressions },
  };
}

/**
 * A values file as config names it, relative to its chart's folder, written the one way the chart's renderer and
 * reader name it (`values-prod.yaml`, `../../envs/prod/values.yaml`): it may be outside the chart (a GitOps
 * layout's environment folder), never outside the repository.
 */
function chartRelative(dir: string, file: string, key: string): string {
  const inRepository = posix.normalize(posix.join(dir, file));
  if (posix.isAbsolute(file) || inRepository === '..' || inRepository.startsWith('../')) throw new ConfigError(`\`${key}\` names \`${file}\`, which is outside the repository`, key);
  return posix.relative(`/${dir}`, `/${inRepository}`);
}

/** Parse the YAML text of a config file; syntax errors become ConfigError too. */
export function parseConfigText(text: string, knownRuleIds?: ReadonlySet<string>): Config {
  let raw: unknown;
  try {
    raw = parseYamlText(text);
  } catch (error) {
    throw new ConfigError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, '(file)');
  }
  return resolveConfig(raw, knownRuleIds);
}

/** Whether a repository path is one this config's include/exclude globs select. */
export function pathGlobs(config: Config): (path: string) => boolean {
  const include = pathIncluded(config);
  const exclude = pathExcluded(config);
  return (path) => include(path) && !exclude(path);
}

/** Whether a repository path matches this config's `paths.include`, whatever `paths.exclude` says. */
export function pathIncluded(config: Config): (path: string) => boolean {
  return picomatch(config.paths.include, { dot: true });
}

/** Whether this config's `paths.exclude` leaves a repository path out. */
export function pathExcluded(config: Config): (path: string) => boolean {
  return config.paths.exclude.length > 0 ? picomatch(config.paths.exclude, { dot: true }) : () => false;
}
