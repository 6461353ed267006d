#!/usr/bin/env node
// The benchmark's floor: the same archive files only decompressed and parsed, nothing else, on
// every core. Each worker thread takes files from a shared counter, gunzips each (zlib, as Node
// ships it) and parses it with JSON.parse (V8's parser; the fastest JSON parse the project has
// without a native addon), and counts the vehicle entities so the parse cannot be skipped. No
// flattening, dedupe or output: whatever rtlake does beyond this is its own cost, so rtlake's CPU
// divided by this contender's CPU says how far a run is from the machine's limit.
//
// Usage: node test/bench/floor.mjs --source DIR [--threads N]
// Prints one JSON line: files, entities, gzip and JSON bytes, seconds.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { listArchiveFiles, round } from './archiveFiles.mjs';

if (isMainThread) {
  const { values } = parseArgs({ options: { source: { type: 'string' }, threads: { type: 'string' } } });
  if (!values.source) {
    process.stderr.write('usage: node test/bench/floor.mjs --source DIR [--threads N]\n');
    process.exit(2);
  }
  const started = performance.now();
  const files = listArchiveFiles(resolve(values.source));
  const threads = Number(values.threads ?? availableParallelism());
  const next = new Int32Array(new SharedArrayBuffer(4));
  const totals = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((res, rej) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { files, next } });
          w.on('message', res);
          w.on('error', rej);
        }),
    ),
  );
  const sum = (k) => totals.reduce((n, t) => n + t[k], 0);
  process.stdout.write(
    `${JSON.stringify({
      files: files.length,
      threads,
      entities: sum('entities'),
      gzip_bytes: sum('gzipBytes'),
      json_bytes: sum('jsonBytes'),
      seconds: round((performance.now() - started) / 1000),
    })}\n`,
  );
} else {
  const { files, next } = workerData;
  const t = { entities: 0, gzipBytes: 0, jsonBytes: 0 };
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) {
    const raw = readFileSync(files[i]);
    const body = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    t.gzipBytes += raw.length;
    t.jsonBytes += body.length;
    const feed = JSON.parse(body.toString('utf8'));
    for (const e of feed.entity ?? []) if (e.vehicle) t.entities++;
  }
  parentPort.postMessage(t);
}
