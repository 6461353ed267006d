import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseLocation } from '../location.js';
import { ingest } from '../pipeline/ingest.js';
import { defaultGlob } from '../pipeline/ingest/listInputs.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseRule, resolveConfig } from './config.js';
import { formatIngestSummary } from './printSummary.js';
import { stderrReporter } from './stderrReporter.js';

/** The real MBTA sample bundled with rtlake (see src/demo/buildSample.mjs). */
export const demoSampleDir = fileURLToPath(new URL('../../src/demo/sample/', import.meta.url));

export function registerDemo(program: Command, io: { stdout: (s: string) => void }): void {
  program
    .command('demo')
    .description('run the whole job on the bundled real MBTA sample (no AWS account, no network)')
    .option('--out <folder | s3://bucket/prefix>', 'where the demo lake goes', 'rtlake-demo')
    .option('--keep <latest|earliest>', 'which duplicate to keep')
    .option('--dedupe <key|exact>', 'dedupe grain', 'key')
    .option('--endpoint <url>', 'S3-compatible endpoint, when --out is s3://')
    .option('--json', 'print one JSON summary on stdout')
    .option('--quiet', 'no progress on stderr')
    .action(
      async (flags: {
        out: string;
        keep?: string;
        dedupe?: string;
        endpoint?: string;
        json?: boolean;
        quiet?: boolean;
      }) => {
        const config = resolveConfig(flags);
        const out = parseLocation(flags.out, '--out');
        const summary = await ingest({
          sources: [config.storage.open(parseLocation(demoSampleDir, '--source'))],
          out: config.storage.open(out),
          glob: defaultGlob,
          rule: parseRule(flags),
          concurrency: config.concurrency,
          cacheDir: config.cacheDir,
          maxObjectSize: config.maxObjectSize,
          strict: false,
          reporter: flags.quiet || flags.json ? silentReporter : stderrReporter(),
        });
        if (flags.json) {
          io.stdout(JSON.stringify(summary, null, 2));
          return;
        }
        const lake = out.uri;
        io.stdout(
          [
            `rtlake demo: ${summary.keys_loaded} real MBTA snapshot files, ${summary.rows_read.toLocaleString('en-US')} pings read, ` +
              `${summary.duplicates_dropped.toLocaleString('en-US')} duplicates dropped, lake in ${lake}/vehicle_positions/`,
            '',
            formatIngestSummary(summary),
            '',
            'Try next:',
            `  npx rtlake query --lake ${lake} "SELECT route_id, count(*) AS pings FROM vehicle_positions GROUP BY ALL ORDER BY pings DESC LIMIT 10"`,
            `  npx rtlake dedupe --source ${demoSampleDir}   # which duplicate row was kept, and why`,
            `  npx rtlake tui --lake ${lake}                   # the terminal SQL workbench`,
          ].join('\n'),
        );
      },
    );
}
