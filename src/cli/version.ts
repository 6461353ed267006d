import { readFileSync } from 'node:fs';

/** rtlake's version, from its package.json (read on demand: `rtlake --version` loads nothing else). */
export function readVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
