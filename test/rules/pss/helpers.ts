// Test helpers for the Pod Security Standards rule tests.

/** The code with each `from` replaced by `to`, once each; throws when `from` is not there (a typo must fail the test). */
export function replaced(code: string, ...pairs: [from: string, to: string][]): string {
  let out = code;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`not in the code: ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}
