// npm run bench: times, side by side in one run and on the same files,
//   floor          the same files only gunzipped and JSON.parse'd, on every core (floor.mjs)
//   baseline       one DuckDB statement: read_json -> flatten -> QUALIFY -> partitioned COPY
//   naive          the old Spark job ported literally (JS parse, row objects, Appender)
//   rtlake-folder  `rtlake ingest` from the local folder
//   rtlake-folder-pb  the same, over the same snapshots written as protobuf (generate.mjs --format pb)
//   download-only  the SDK GETting every object from the S3 server at the same concurrency
//   rtlake-s3      `rtlake ingest` from the S3 server process on loopback (fresh cache)
// and prints wall time, CPU (user+sys), rows/s, JSON MB/s and peak RSS, with ratios to the baseline
// and to the floor, and the targets of issue 15. Then it times start-up: `rtlake --version` and
// the first row of `rtlake query` on the demo lake (time to the first byte on stdout). Timings are medians over --runs rounds (contenders alternate within a
// round). Nothing here is asserted by the test suite.
//
// Usage: node test/bench/run.mjs [--files 1000] [--seed 1] [--runs 1] [--skip naive,s3,floor,startup,pb] [--concurrency 32]
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
    concurrency: { type: 'string', default: '32' },
  },
});
const skip = new Set(values.skip.split(',').filter(Boolean));
const log = (m) => process.stderr.write(`bench: ${m}\n`);

// 1. The archive (generated once per size and seed, then reused).
const data = join(here, '.data', `files-${values.files}-seed-${values.seed}`);
if (!existsSync(join(data, 'meta.json'))) {
  log(`generating ${values.files} files into ${data} (once)`);
  rmSync(data, { recursive: true, force: true });
  const gen = spawnSync(
    process.execPath,
    [
      join(here, 'generate.mjs'),
      '--out',
      join(data, 'archive'),
      '--files',
      values.files,
      '--seed',
      values.seed,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (gen.status !== 0) throw new Error('generator failed');
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(join(data, 'archive'));
  let jsonBytes = 0;
  for (const f of files) {
    jsonBytes += await new Promise((res, rej) => {
      let n = 0;
      createReadStream(f)
        .pipe(createGunzip())
        .on('data', (c) => (n += c.length))
        .on('end', () => res(n))
        .on('error', rej);
    });
  }
  const gzipBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  writeFileSync(
    join(data, 'meta.json'),
    JSON.stringify({
      files: files.length,
      gzipBytes,
      jsonBytes,
      generator: JSON.parse(gen.stdout.toString()),
    }),
  );
}
const meta = JSON.parse(readFileSync(join(data, 'meta.json'), 'utf8'));
const archive = join(data, 'archive');
// The same snapshots as GTFS-realtime protobuf (issue 14: a protobuf archive ingests at least as
// fast as the JSON one), generated once beside the JSON archive.
const archivePb = join(data, 'archive-pb');
if (!skip.has('pb') && !existsSync(join(data, 'pb-meta.json'))) {
  log(`generating the same ${values.files} snapshots as protobuf into ${archivePb} (once)`);
  rmSync(archivePb, { recursive: true, force: true });
  const gen = spawnSync(
    process.execPath,
    [
      join(here, 'generate.mjs'),
      '--out',
      archivePb,
      '--files',
      values.files,
      '--seed',
      values.seed,
      '--format',
      'pb',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (gen.status !== 0) throw new Error('generator (protobuf) failed');
  writeFileSync(join(data, 'pb-meta.json'), gen.stdout);
}
const work = mkdtempSync(join(tmpdir(), 'rtlake-bench-'));
const usageFile = join(work, 'usage.jsonl');

/** Runs `node script args` under measure.mjs; returns its figures and stdout. */
function measured(script, args, env = {}) {
  return new Promise((resolve, reject) => {
    rmSync(usageFile, { force: true });
    const child = spawn(process.execPath, [join(here, 'measure.mjs'), script, ...args], {
      env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      resolve({ ...JSON.parse(readFileSync(usageFile, 'utf8').trim().split('\n').pop()), stdout: out });
    });
  });
}

async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// 2. The S3 server process, loaded once (not timed).
let s3 = null;
if (!skip.has('s3')) {
  const port = await freePort();
  const dir = join(work, 's3rver');
  const proc = spawn(
    process.execPath,
    [
      join(root, 'node_modules/s3rver/bin/s3rver.js'),
      '-d',
      dir,
      '-p',
      String(port),
      '-a',
      '127.0.0.1',
      '--silent',
    ],
    { env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' }, stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(endpoint);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`loading ${meta.files} objects into s3rver (not timed)`);
  const { S3Client, CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(archive);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < files.length) {
        const f = files[next++];
        await client.send(
          new PutObjectCommand({
            Bucket: 'bench',
            Key: f.slice(archive.length + 1),
            Body: readFileSync(f),
            ContentEncoding: 'gzip',
          }),
        );
      }
    }),
  );
  client.destroy();
  s3 = {
    proc,
    endpoint,
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
  };
}

// 3. The contenders, alternating within each round.
const contenders = [
  ['floor', () => measured(join(here, 'floor.mjs'), ['--source', archive])],
  [
    'baseline',
    () =>
      measured(join(here, 'baseline.mjs'), [
        '--source',
        archive,
        '--out',
        join(work, `out-${Math.random()}`),
      ]),
  ],
  [
    'naive',
    () =>
      measured(join(here, 'naive.mjs'), ['--source', archive, '--out', join(work, `out-${Math.random()}`)]),
  ],
  [
    'rtlake-folder',
    () =>
      measured(join(root, 'bin/rtlake.js'), [
        'ingest',
        '--source',
        archive,
        '--out',
        join(work, `out-${Math.random()}`),
        '--quiet',
        '--json',
        '--cache-dir',
        join(work, `cache-${Math.random()}`),
      ]),
  ],
  [
    'rtlake-folder-pb',
    () =>
      measured(join(root, 'bin/rtlake.js'), [
        'ingest',
        '--source',
        archivePb,
        '--out',
        join(work, `out-${Math.random()}`),
        '--quiet',
        '--json',
        '--cache-dir',
        join(work, `cache-${Math.random()}`),
      ]),
  ],
  [
    'download-only',
    () =>
      measured(
        join(here, 'downloadOnly.mjs'),
        ['--endpoint', s3.endpoint, '--bucket', 'bench', '--concurrency', values.concurrency],
        s3.env,
      ),
  ],
  [
    'rtlake-s3',
    () =>
      measured(
        join(root, 'bin/rtlake.js'),
        [
          'ingest',
          ...(process.env.BENCH_RTLAKE_ARGS ? process.env.BENCH_RTLAKE_ARGS.split(' ') : []),
          '--source',
          's3://bench/',
          '--endpoint',
          s3.endpoint,
          '--concurrency',
          values.concurrency,
          '--out',
          join(work, `out-${Math.random()}`),
          '--quiet',
          '--json',
          '--cache-dir',
          join(work, `cache-${Math.random()}`),
        ],
        s3.env,
      ),
  ],
].filter(
  ([name]) =>
    !skip.has(name) &&
    !(skip.has('pb') && name === 'rtlake-folder-pb') &&
    !(s3 === null && (name === 'download-only' || name === 'rtlake-s3')),
);

const results = Object.fromEntries(contenders.map(([n]) => [n, []]));
let rows = null;
let startup = null;

/** Milliseconds from spawning `node bin/rtlake.js args` to its first stdout byte, and to its exit. */
function firstByte(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = null;
    const child = spawn(process.execPath, [join(root, 'bin/rtlake.js'), ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', () => (first ??= performance.now() - t0));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ first, exit: performance.now() - t0 })
        : reject(new Error(`rtlake ${args[0]} exited ${code}`)),
    );
  });
}

/** Start-up figures of issue 15: medians of 9 runs each, after one warm-up run. */
async function timeStartup() {
  const demo = join(work, 'demo-lake');
  spawnSync(process.execPath, [join(root, 'bin/rtlake.js'), 'demo', '--out', demo, '--quiet'], {
    stdio: 'ignore',
  });
  const runs = async (args) => {
    await firstByte(args);
    const xs = [];
    for (let i = 0; i < 9; i++) xs.push((await firstByte(args)).first);
    return median(xs);
  };
  return {
    version: await runs(['--version']),
    query: await runs([
      'query',
      '--lake',
      demo,
      '--format',
      'csv',
      'SELECT * FROM vehicle_positions LIMIT 1',
    ]),
  };
}
/**
 * CPU seconds the S3 server process has used (Linux /proc, clock ticks of 1/100 s): it runs on the
 * same cores as the S3 contenders, so its share is part of what their wall time pays for.
 */
function serverCpu() {
  if (!existsSync(`/proc/${s3.proc.pid}/stat`)) return NaN; // not Linux: the line is left out
  const fields = readFileSync(`/proc/${s3.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

try {
  for (let round = 0; round < Number(values.runs); round++) {
    for (const [name, run] of contenders) {
      log(`round ${round + 1}: ${name}`);
      const served = name === 'download-only' || name === 'rtlake-s3' ? serverCpu() : null;
      const r = await run();
      if (served !== null) r.serverCpu = serverCpu() - served;
      results[name].push(r);
      if (name === 'rtlake-folder') rows = JSON.parse(r.stdout).rows_read;
    }
  }
  if (!skip.has('startup')) startup = await timeStartup();
} finally {
  s3?.proc.kill();
  rmSync(work, { recursive: true, force: true });
}

// 4. Report.
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}
const summary = Object.fromEntries(
  Object.entries(results).map(([name, rs]) => [
    name,
    {
      wall: median(rs.map((r) => r.wall)),
      cpu: median(rs.map((r) => r.user + r.sys)),
      maxRssMB: Math.max(...rs.map((r) => r.maxRssMB)),
      serverCpu: rs[0]?.serverCpu === undefined ? undefined : median(rs.map((r) => r.serverCpu)),
    },
  ]),
);
const base = summary.baseline;
const floor = summary.floor;
const fmt = (x, d = 2) => x.toFixed(d);
const lines = [];
lines.push(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
lines.push(
  `archive: ${meta.files} files, ${(meta.gzipBytes / 1e6).toFixed(1)} MB gzip, ${(meta.jsonBytes / 1e6).toFixed(1)} MB JSON, ${rows ?? '?'} pings; medians of ${values.runs} run(s)`,
);
lines.push('');
lines.push(
  '| contender | wall s | cpu s | rows/s | JSON MB/s | peak RSS MB | wall / baseline | cpu / baseline | cpu / floor |',
);
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const [name, s] of Object.entries(summary)) {
  const rps = rows && name !== 'download-only' ? Math.round(rows / s.wall) : '';
  const mbps = name !== 'download-only' ? fmt(meta.jsonBytes / 1e6 / s.wall, 1) : '';
  lines.push(
    `| ${name} | ${fmt(s.wall)} | ${fmt(s.cpu)} | ${rps} | ${mbps} | ${fmt(s.maxRssMB, 0)} | ${base ? fmt(s.wall / base.wall) : ''} | ${base ? fmt(s.cpu / base.cpu) : ''} | ${floor ? fmt(s.cpu / floor.cpu) : ''} |`,
  );
}
lines.push('');
// Issue 15's targets: a full day (>= 20,000 files) has tighter ones than an hour or a morning.
const day = meta.files >= 20000;
const target = day ? { folder: 0.6, s3: 0.7, cpu: 1.0 } : { folder: 1.0, s3: 0.9, cpu: 1.3 };
const verdict = (x, limit) => `${fmt(x)} x (target <= ${limit}: ${x <= limit ? 'met' : 'MISSED'})`;
const folderRun = summary['rtlake-folder'];
const s3Run = summary['rtlake-s3'];
if (base && folderRun) {
  lines.push(`rtlake-folder wall / baseline wall: ${verdict(folderRun.wall / base.wall, target.folder)}`);
  lines.push(`rtlake-folder cpu / baseline cpu: ${verdict(folderRun.cpu / base.cpu, target.cpu)}`);
}
if (base && s3Run && summary['download-only']) {
  const bound = summary['download-only'].wall + base.wall;
  lines.push(
    `rtlake-s3 wall / (download-only + baseline = ${fmt(bound)} s): ${verdict(s3Run.wall / bound, target.s3)}`,
  );
  lines.push(`rtlake-s3 cpu / baseline cpu: ${verdict(s3Run.cpu / base.cpu, target.cpu)}`);
  if (s3Run.serverCpu !== undefined && Number.isFinite(s3Run.serverCpu)) {
    // Not a target: what the S3 server, on the same cores, took from the S3 contenders' machine.
    const machine = s3Run.cpu + s3Run.serverCpu;
    lines.push(
      `S3 server CPU on the same cores: ${fmt(summary['download-only'].serverCpu ?? 0)} s during download-only, ${fmt(s3Run.serverCpu)} s during rtlake-s3 (rtlake + server ${fmt(machine)} CPU-s: at least ${fmt(machine / cpus().length)} s of wall on ${cpus().length} cores)`,
    );
  }
}
const pbRun = summary['rtlake-folder-pb'];
if (folderRun && pbRun) {
  lines.push(
    `rtlake-folder-pb (the same snapshots as protobuf) / rtlake-folder: wall ${fmt(pbRun.wall / folderRun.wall)} x, cpu ${fmt(pbRun.cpu / folderRun.cpu)} x (target: wall <= 1.00: ${pbRun.wall <= folderRun.wall ? 'met' : 'MISSED'})`,
  );
}
if (floor && folderRun && day)
  lines.push(`rtlake-folder cpu / floor cpu: ${verdict(folderRun.cpu / floor.cpu, 5)}`);
for (const [name, s] of Object.entries(summary))
  if (name.startsWith('rtlake'))
    lines.push(
      `${name} peak RSS: ${fmt(s.maxRssMB, 0)} MB (target <= 1024: ${s.maxRssMB <= 1024 ? 'met' : 'MISSED'})`,
    );
if (startup) {
  lines.push(
    `rtlake --version, first byte: ${fmt(startup.version, 0)} ms (target <= 150: ${startup.version <= 150 ? 'met' : 'MISSED'})`,
  );
  lines.push(
    `rtlake query on the demo lake, first row: ${fmt(startup.query, 0)} ms (target <= 300: ${startup.query <= 300 ? 'met' : 'MISSED'})`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
