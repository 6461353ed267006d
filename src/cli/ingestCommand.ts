import type { Command } from 'commander';
import { ingest } from '../pipeline/ingest.js';
import { parseLocation } from '../location.js';
import { defaultGlob } from '../pipeline/listInputs.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseLocations, parseRule, resolveConfig, type CommonFlags } from './config.js';
import { formatIngestSummary } from './printSummary.js';
import { stderrReporter } from './stderrReporter.js';
import { UsageError } from '../errors.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Flags every archive-reading command shares. */
export function addSourceFlags(cmd: Command): Command {
  return cmd
    .option('--source <s3://bucket/prefix | folder>', 'archive to read (repeatable)', collect)
    .option('--glob <pattern>', 'file-name pattern (matched after the last /)', defaultGlob)
    .option('--endpoint <url>', 'S3-compatible endpoint (else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)')
    .option('--region <region>', 'AWS region (else AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (SSO works)')
    .option('--concurrency <n>', 'parallel S3 requests', '32')
    .option('--cache-dir <folder>', 'local cache of fetched objects (else RTLAKE_CACHE_DIR or ~/.cache/rtlake)')
    .option('--max-object-size <size>', 'skip objects larger than this', '64MiB')
    .option('--keep <latest|earliest>', 'which duplicate to keep (default latest; earliest with --dedupe exact)')
    .option('--dedupe <key|exact>', 'dedupe grain: (vehicle_id, timestamp) or whole identical rows', 'key');
}

interface IngestFlags extends CommonFlags {
  source?: string[];
  out?: string;
  strict?: boolean;
  quiet?: boolean;
  memoryLimit?: string;
}

export function registerIngest(program: Command, io: { stdout: (s: string) => void }): void {
  addSourceFlags(program.command('ingest').description('turn an archive of VehiclePositions JSON into a deduplicated, day-partitioned Parquet lake'))
    .requiredOption('--out <s3://bucket/prefix | folder>', 'where the lake goes (vehicle_positions/ is created under it)')
    .option('--strict', 'fail, writing nothing, if any key would be skipped')
    .option('--json', 'print one JSON summary on stdout')
    .option('--quiet', 'no progress on stderr')
    .option('--memory-limit <size>', 'DuckDB memory limit (spills to disk beyond it)')
    .action(async (flags: IngestFlags) => {
      const config = resolveConfig(flags);
      const sources = parseLocations(flags.source, '--source');
      if (!flags.out) throw new UsageError('--out is required');
      const out = parseLocation(flags.out, '--out');
      const summary = await ingest({
        sources,
        out,
        glob: flags.glob!,
        rule: parseRule(flags),
        concurrency: config.concurrency,
        cacheDir: config.cacheDir,
        maxObjectSize: config.maxObjectSize,
        strict: Boolean(flags.strict),
        reporter: flags.quiet ? silentReporter : stderrReporter(),
        s3: config.s3,
        ...(config.s3Settings.endpoint ? { endpoint: config.s3Settings.endpoint } : {}),
        ...(flags.memoryLimit ? { memoryLimit: flags.memoryLimit } : {}),
      });
      io.stdout(flags.json ? JSON.stringify(summary, null, 2) : formatIngestSummary(summary));
    });
}
