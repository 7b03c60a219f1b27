// `warden fix` prints names and messages from the files as plain text: no escape sequence reaches the terminal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRIVILEGED_POD, warden } from './helpers.js';

// A container named with terminal escape sequences (YAML's "\e"): one clears the screen, one retitles the window.
const POD = PRIVILEGED_POD.replace('name: shell', 'name: "shell\\e[2J\\e]0;pwned\\a"');

describe('warden fix: what it prints', () => {
  it('shows names from the files without their control characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-fix-inert-'));
    writeFileSync(join(dir, 'pod.yaml'), POD);
    const { stderr } = await warden(['fix', 'pod.yaml', '--dry-run', '--unsafe'], dir);
    expect(stderr).toContain('Left for you');
    expect(stderr).toContain('shell');
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});
