import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { defaultFeedGlob, feedKinds } from '../feeds/feedKinds.js';
import { parseLocation } from '../location.js';
import { ingest } from '../pipeline/ingest.js';
import { parseRule, resolveConfig } from './config.js';
import { reporterFor } from './context.js';
import {
  addJsonFlag,
  addRuleFlags,
  addS3Flags,
  defaults,
  type GlobalFlags,
  type JsonFlag,
  type RuleFlags,
  type S3Flags,
} from './flags.js';
import { formatIngestSummary } from './printSummary.js';
import type { Io } from './program.js';
import { runSignal } from './runtime.js';

/** The real MBTA sample bundled with rtlake (see src/demo/buildSample.mjs). */
export const demoSampleDir = fileURLToPath(new URL('../../src/demo/sample/', import.meta.url));

export function registerDemo(program: Command, io: Io): void {
  const cmd = program
    .command('demo')
    .description('run the whole job on the bundled real MBTA sample (no AWS account, no network)')
    .option('--out <folder | s3://bucket/prefix>', 'where the demo lake goes', defaults.demoOut);
  addRuleFlags(cmd);
  addS3Flags(cmd);
  addJsonFlag(cmd);
  cmd.action(async (flags: S3Flags & RuleFlags & JsonFlag & GlobalFlags & { out: string }) => {
    const config = resolveConfig(flags);
    const out = parseLocation(flags.out, '--out');
    const summary = await ingest({
      sources: [config.storage.open(parseLocation(demoSampleDir, '--source'))],
      out: config.storage.open(out),
      glob: defaultFeedGlob(feedKinds),
      feeds: feedKinds,
      rule: parseRule(flags),
      concurrency: config.concurrency,
      cacheDir: config.cacheDir,
      maxObjectSize: defaults.maxObjectSize,
      strict: false,
      reporter: reporterFor(flags, flags.json),
      signal: runSignal,
    });
    if (flags.json) {
      await io.stdout(JSON.stringify(summary, null, 2));
      return;
    }
    const lake = out.uri;
    await io.stdout(
      [
        `rtlake demo: ${summary.keys_loaded} real MBTA snapshot files, ${summary.rows_read.toLocaleString('en-US')} pings read, ` +
          `${summary.duplicates_dropped.toLocaleString('en-US')} duplicates dropped, lake in ${lake}/vehicle_positions/`,
        `  also ${(summary.tables.trip_updates?.rows_written ?? 0).toLocaleString('en-US')} trip_updates rows in ${lake}/trip_updates/ ` +
          `and ${(summary.tables.alerts?.rows_written ?? 0).toLocaleString('en-US')} alerts rows in ${lake}/alerts/ (JSON and protobuf files)`,
        '',
        formatIngestSummary(summary),
        '',
        'Try next:',
        `  npx rtlake query --lake ${lake} "SELECT route_id, count(*) AS pings FROM vehicle_positions GROUP BY ALL ORDER BY pings DESC LIMIT 10"`,
        `  npx rtlake dedupe --source ${demoSampleDir}   # which duplicate row was kept, and why`,
        `  npx rtlake tui --lake ${lake}                   # the terminal SQL workbench`,
      ].join('\n'),
    );
  });
}
