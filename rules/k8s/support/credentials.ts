// Credentials recognised by their value, whatever the field is called: the published formats of the token
// issuers (fixed prefixes and lengths, so a match is a credential and not a guess from entropy), private keys
// in PEM, and URLs that carry a password. Kept as data: a new format is one more line.
//
// Why not a secret-scanning library: secretlint (the well-kept one on npm) lints whole files asynchronously and
// has no Hugging Face rule; a rule check here is synchronous and reads one parsed value at a time.

export interface CredentialFormat {
  /** What it is, as the message says it: "a Hugging Face token". */
  what: string;
  pattern: RegExp;
}

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { what: 'an AWS access key id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/ },
  { what: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { what: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/ },
  { what: 'a GitLab token', pattern: /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/ },
  { what: 'a Hugging Face token', pattern: /(?<![A-Za-z0-9_])(?:hf|api_org)_[A-Za-z]{34}(?![A-Za-z0-9_])/ },
  // OpenAI keys (legacy, project, service account, admin) carry "OpenAI" base64-encoded in the middle.
  { what: 'an OpenAI API key', pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/ },
  { what: 'an Anthropic API key', pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  { what: 'a Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/ },
  { what: 'a Slack token', pattern: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}/ },
];

/** Every format at once: most values match none, and one pass over them tells. */
const ANY_FORMAT = new RegExp(CREDENTIAL_FORMATS.map((f) => f.pattern.source).join('|'));

/** `scheme://user:password@host`: the userinfo's password part. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:([^\s/?#@]+)@[^\s/?#@]/i;

/** A password that stands for one rather than being one: a variable, a template, a mask. */
function isPlaceholder(password: string): boolean {
  return /^(\$|\{\{|<|%|\[)/.test(password) || /^[*xX.]+$/.test(password);
}

/** What credential a value holds, or null. */
export function credentialIn(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 8) return null;
  if (ANY_FORMAT.test(value)) return CREDENTIAL_FORMATS.find((f) => f.pattern.test(value))!.what;
  if (!value.includes('@')) return null;
  const url = URL_PASSWORD.exec(value);
  return url && !isPlaceholder(decodeURIComponentSafe(url[1]!)) ? 'a password in a URL' : null;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
