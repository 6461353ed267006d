// Runs a Node script in this process and, when the process exits, appends its whole-process
// figures (user/sys CPU and peak RSS, DuckDB's threads included) as one JSON line to
// $BENCH_USAGE_FILE. Usage: node test/bench/measure.mjs SCRIPT [ARGS…]
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
const started = performance.now();
process.on('exit', (code) => {
  const u = process.resourceUsage();
  const line = {
    wall: (performance.now() - started) / 1000,
    user: u.userCPUTime / 1e6,
    sys: u.systemCPUTime / 1e6,
    maxRssMB: u.maxRSS / 1024,
    code,
  };
  if (process.env.BENCH_USAGE_FILE) appendFileSync(process.env.BENCH_USAGE_FILE, `${JSON.stringify(line)}\n`);
});
await import(pathToFileURL(resolve(script)).href);
