import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Tests that run the real binary need dist/ to match src/: build once before any test. And every
 * temporary folder of the run (the tests', the binary's, the S3 servers') goes under one folder
 * of its own, removed at the end: TMPDIR is set before the test workers start, so they and every
 * process they spawn inherit it. Without it each run left a few hundred folders in /tmp.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const runTmp = mkdtempSync(join(tmpdir(), 'rtlake-tests-'));
  process.env.TMPDIR = runTmp;
  return () => rmSync(runTmp, { recursive: true, force: true });
}
