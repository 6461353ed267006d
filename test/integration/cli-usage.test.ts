import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realFixtures } from '../helpers/archive.js';
import { binPath, repoRoot, runCli } from '../helpers/runCli.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-usage-${name}-`));

function archiveFolder(): string {
  const src = tmp('src');
  const f = realFixtures()[0]!;
  writeFileSync(join(src, f.name), f.bytes);
  return src;
}

/** Exactly one line on stderr, starting "rtlake:", nothing on stdout. */
function oneErrorLine(r: { stdout: string; stderr: string }): string {
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^rtlake: /);
  expect(r.stdout).toBe('');
  return lines[0]!;
}

describe('help and mistakes', () => {
  it('rtlake help ingest prints the help of ingest, exit 0', async () => {
    const r = await runCli(['help', 'ingest']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rtlake ingest \[options\]/);
    expect(r.stdout).toMatch(/--window <minutes>/);
    expect(r.stdout).toMatch(/--endpoint-url <url>/);
    expect(r.stderr).toBe('');
  });

  it('rtlake help lists the commands; help of a nested command works', async () => {
    const r = await runCli(['help']);
    expect(r.code).toBe(0);
    for (const c of ['ingest', 'query', 'export', 'catalog', 'plan', 'cache', 'completion', 'help'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    const glue = await runCli(['help', 'catalog', 'glue']);
    expect(glue.code).toBe(0);
    expect(glue.stdout).toMatch(/^Usage: rtlake catalog glue/);
  });

  it('a typo suggests the closest command, exit 2', async () => {
    const r = await runCli(['ingset', '--source', 'x', '--out', 'y']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/unknown command 'ingset' \(did you mean ingest\?\)/);
    const nested = await runCli(['catalog', 'athna', '--lake', 'x']);
    expect(nested.code).toBe(2);
    expect(oneErrorLine(nested)).toMatch(/unknown command 'athna' \(did you mean athena\?\)/);
    const help = await runCli(['help', 'qurey']);
    expect(help.code).toBe(2);
    expect(oneErrorLine(help)).toMatch(/did you mean query\?/);
    const nothingClose = await runCli(['zzzzzz']);
    expect(nothingClose.code).toBe(2);
    expect(oneErrorLine(nothingClose)).not.toMatch(/did you mean/);
  });

  it("commander's own errors start with rtlake: and stay on one line", async () => {
    const unknownOption = await runCli(['ingest', '--sourec', 'x']);
    expect(unknownOption.code).toBe(2);
    expect(oneErrorLine(unknownOption)).toMatch(
      /^rtlake: unknown option '--sourec' \(did you mean --source\?\)$/,
    );
    const missingValue = await runCli(['query', '--lake']);
    expect(missingValue.code).toBe(2);
    expect(oneErrorLine(missingValue)).toMatch(/--lake/);
    const badShell = await runCli(['completion', 'tcsh']);
    expect(badShell.code).toBe(2);
    expect(oneErrorLine(badShell)).toMatch(/tcsh/);
  });

  it('--version is the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('--version loads neither DuckDB nor the AWS SDK', () => {
    // A module hook (Node's registerHooks) logs every module the process resolves.
    const dir = tmp('hook');
    const hook = join(dir, 'log-modules.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) { process.stderr.write('load ' + specifier + '\\n'); return next(specifier, context); } });`,
    );
    const r = spawnSync(process.execPath, ['--import', hook, binPath, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stderr).toMatch(/load .*version\.js/);
    expect(r.stderr).not.toMatch(/@duckdb|@aws-sdk|commander/);
  });
});

describe('every value flag is checked before any work starts (exit 2, one line)', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      '--memory-limit 1ZB',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('o'), '--memory-limit', '1ZB'],
      /--memory-limit must be a size with a unit/,
    ],
    [
      '--examples abc',
      () => ['dedupe', '--source', archiveFolder(), '--examples', 'abc'],
      /--examples must be a whole number/,
    ],
    [
      '--threads 0',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('o'), '--threads', '0'],
      /--threads must be a positive integer/,
    ],
    [
      '--batch-files 1.5',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('o'), '--batch-files', '1.5'],
      /--batch-files/,
    ],
    [
      'ingest --window 721',
      () => [
        'ingest',
        '--source',
        archiveFolder(),
        '--date',
        '2022-01-01',
        '--out',
        tmp('o'),
        '--window',
        '721',
      ],
      /--window must be minutes between 0 and 720/,
    ],
    [
      'plan --window 721',
      () => [
        'plan',
        '--source',
        archiveFolder(),
        '--from',
        '2022-01-01',
        '--to',
        '2022-01-02',
        '--window',
        '721',
      ],
      /--window must be minutes between 0 and 720/,
    ],
    [
      'plan --window -1',
      () => [
        'plan',
        '--source',
        archiveFolder(),
        '--from',
        '2022-01-01',
        '--to',
        '2022-01-02',
        '--window',
        '-1',
      ],
      /--window/,
    ],
    [
      '--format xml',
      () => ['query', '--lake', tmp('l'), '--format', 'xml', 'SELECT 1'],
      /--format must be table, markdown/,
    ],
    ['--max-rows lots', () => ['query', '--lake', tmp('l'), '--max-rows', 'lots', 'SELECT 1'], /--max-rows/],
    [
      '--endpoint-url ftp://x',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('o'), '--endpoint-url', 'ftp://x'],
      /--endpoint-url must be an http/,
    ],
    [
      '--request-payer me',
      () => ['ingest', '--source', archiveFolder(), '--out', tmp('o'), '--request-payer', 'me'],
      /--request-payer must be requester/,
    ],
    [
      '--date 2022-02-30',
      () => ['export', '--lake', tmp('l'), '--date', '2022-02-30', '--to', tmp('x')],
      /--date must be a date like/,
    ],
    [
      '--dedupe fuzzy',
      () => ['dedupe', '--source', archiveFolder(), '--dedupe', 'fuzzy'],
      /--dedupe must be key, exact/,
    ],
  ];
  for (const [what, args, says] of cases) {
    it.concurrent(what, async () => {
      const r = await runCli(args());
      expect(r.code, r.stderr).toBe(2);
      expect(oneErrorLine(r)).toMatch(says);
    });
  }
});

describe('settings: flags > RTLAKE_* > rtlake.toml > defaults', () => {
  // plan echoes the non-default flags into each job's command: a window, a layout and a glob show.
  const root = archiveFolder();
  const plan = (cwd: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []) =>
    runCli(['plan', '--source', root, '--from', '2022-01-01', '--to', '2022-01-01', '--json', ...extra], {
      cwd,
      env: { XDG_CONFIG_HOME: tmp('xdg'), RTLAKE_WINDOW: '', RTLAKE_CONFIG_PROFILE: '', ...env },
    });
  const windowOf = (stdout: string) => {
    const args = (JSON.parse(stdout) as { jobs: { args: string[] }[] }).jobs[0]!.args;
    const i = args.indexOf('--window');
    return i === -1 ? 'default' : args[i + 1];
  };

  it('each level overrides the next', async () => {
    const cwd = tmp('cwd');
    expect(windowOf((await plan(cwd)).stdout)).toBe('default');
    writeFileSync(join(cwd, 'rtlake.toml'), 'window = 30\n[profiles.wide]\nwindow = 90\n');
    expect(windowOf((await plan(cwd)).stdout)).toBe('30');
    expect(windowOf((await plan(cwd, {}, ['--config-profile', 'wide'])).stdout)).toBe('90');
    expect(windowOf((await plan(cwd, { RTLAKE_CONFIG_PROFILE: 'wide' })).stdout)).toBe('90');
    expect(windowOf((await plan(cwd, { RTLAKE_WINDOW: '45' }, ['--config-profile', 'wide'])).stdout)).toBe(
      '45',
    );
    expect(windowOf((await plan(cwd, { RTLAKE_WINDOW: '45' }, ['--window', '60'])).stdout)).toBe('60');
  });

  it('rtlake.toml is found in $XDG_CONFIG_HOME/rtlake/ when the folder has none, and fills required flags', async () => {
    const xdg = tmp('xdg');
    mkdirSync(join(xdg, 'rtlake'));
    writeFileSync(
      join(xdg, 'rtlake', 'rtlake.toml'),
      `source = ["${root}"]\nfrom = "2022-01-01"\nto = "2022-01-03"\nwindow = 5\n`,
    );
    const r = await runCli(['plan', '--json'], {
      cwd: tmp('cwd'),
      env: { XDG_CONFIG_HOME: xdg, RTLAKE_WINDOW: '' },
    });
    expect(r.code, r.stderr).toBe(0);
    const jobs = (JSON.parse(r.stdout) as { jobs: { date: string }[] }).jobs;
    expect(jobs.map((j) => j.date)).toEqual(['2022-01-01', '2022-01-02', '2022-01-03']);
    expect(windowOf(r.stdout)).toBe('5');
  });

  it('a bad value, an unknown setting or a missing profile is a usage error naming where it came from', async () => {
    const cwd = tmp('cwd');
    writeFileSync(join(cwd, 'rtlake.toml'), 'window = 1000\n');
    const bad = await plan(cwd);
    expect(bad.code).toBe(2);
    expect(oneErrorLine(bad)).toMatch(/rtlake\.toml: window: --window must be minutes between 0 and 720/);
    writeFileSync(join(cwd, 'rtlake.toml'), 'windwo = 10\n');
    const typo = await plan(cwd);
    expect(typo.code).toBe(2);
    expect(oneErrorLine(typo)).toMatch(/unknown setting "windwo"/);
    writeFileSync(join(cwd, 'rtlake.toml'), '[profiles.a]\nwindow = 1\n');
    const missing = await plan(cwd, {}, ['--config-profile', 'b']);
    expect(missing.code).toBe(2);
    expect(oneErrorLine(missing)).toMatch(/has no \[profiles\.b\] \(it has a\)/);
    const env = await plan(tmp('cwd'), { RTLAKE_CONCURRENCY: 'lots' });
    expect(env.code).toBe(2);
    expect(oneErrorLine(env)).toMatch(/RTLAKE_CONCURRENCY=lots: --concurrency must be a positive integer/);
  });
});

describe('shell completion', () => {
  const complete = (script: string, words: string[]) =>
    execFileSync(
      'bash',
      [
        '-c',
        `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _rtlake; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');

  it('bash completes commands, nested commands and each command’s flags', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(complete(r.stdout, ['rtlake', 'ing'])).toEqual(['ingest']);
    expect(complete(r.stdout, ['rtlake', 'catalog', 'at'])).toEqual(['athena']);
    expect(complete(r.stdout, ['rtlake', 'ingest', '--endpoint-'])).toEqual(['--endpoint-url']);
    expect(complete(r.stdout, ['rtlake', 'query', '--lake', 'x', '--max-'])).toEqual([
      '--max-rows',
      '--max-object-size',
    ]);
  });

  it('zsh and fish scripts name every command', async () => {
    for (const shell of ['zsh', 'fish']) {
      const r = await runCli(['completion', shell]);
      expect(r.code).toBe(0);
      for (const c of ['ingest', 'query', 'export', 'catalog', 'cache']) expect(r.stdout).toContain(c);
    }
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(fish).toMatch(/__fish_seen_subcommand_from query' -l max-rows -r/);
    const zsh = (await runCli(['completion', 'zsh'])).stdout;
    expect(() => execFileSync('bash', ['-n'], { input: zsh.replace(/^#compdef.*\n/, '') })).not.toThrow();
  });
});
