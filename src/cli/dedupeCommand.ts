import { Option, type Command } from 'commander';
import { dedupeReport, type DedupeReport } from '../pipeline/dedupeReport.js';
import { openWorkspace } from '../pipeline/openWorkspace.js';
import { parseLocations, parseRule, resolveConfig } from './config.js';
import { reporterFor } from './context.js';
import {
  addArchiveFlags,
  addJsonFlag,
  addRuleFlags,
  addS3Flags,
  defaults,
  nonNegativeInt,
  type ArchiveFlags,
  type GlobalFlags,
  type JsonFlag,
  type RuleFlags,
  type S3Flags,
} from './flags.js';
import type { Io } from './program.js';
import { onInterrupt } from './runtime.js';

const n = (x: number) => x.toLocaleString('en-US');

export function formatDedupeReport(r: DedupeReport): string {
  const lines: string[] = [];
  lines.push(`rule: ${r.rule.description}${r.vehicle ? ` (vehicle ${r.vehicle} only)` : ''}`);
  lines.push(
    `${n(r.rows_read)} pings read${r.rows_rejected ? ` (${n(r.rows_rejected)} rejected: no vehicle id or timestamp)` : ''}, ` +
      `${n(r.groups)} distinct (vehicle_id, timestamp), ${n(r.duplicates_dropped)} duplicates dropped`,
  );
  lines.push(
    `${n(r.duplicate_groups)} groups have more than one candidate; in ${n(r.conflicting_groups)} of them the candidates differ, so the rule's choice changes the data`,
  );
  const cols = Object.entries(r.conflicting_groups_by_column);
  if (cols.length) lines.push(`  differing columns: ${cols.map(([c, k]) => `${c} ${n(k)}`).join(', ')}`);
  lines.push(
    `--dedupe key keeps ${n(r.rows_kept.key)} rows; --dedupe exact would keep ${n(r.rows_kept.exact)}`,
  );
  for (const ex of r.examples) {
    lines.push('');
    lines.push(
      `vehicle ${ex.vehicle_id} at ${ex.timestamp}: ${ex.candidates.length} candidates` +
        (ex.conflicting ? `, differing in ${ex.differing_columns.join(', ')}` : ', all identical'),
    );
    for (const c of ex.candidates) {
      const values = Object.entries(c.values)
        .map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`)
        .join(' ');
      lines.push(
        `  ${c.kept ? 'KEPT ' : '     '} feed ${c.feed_timestamp ?? 'null'}  ${c.source_key} #${c.entity_index}${values ? `  ${values}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function registerDedupe(program: Command, io: Io): void {
  const cmd = program
    .command('dedupe')
    .description('report which duplicate rows the rule keeps, and why (writes nothing)');
  addArchiveFlags(cmd);
  addS3Flags(cmd);
  addRuleFlags(cmd);
  cmd
    .option('--vehicle <id>', 'only this vehicle_id')
    .addOption(
      new Option('--examples <n>', 'example groups to show')
        .argParser(nonNegativeInt)
        .default(defaults.examples),
    );
  addJsonFlag(cmd, 'print the report as one JSON object');
  cmd.action(
    async (
      flags: S3Flags &
        ArchiveFlags &
        RuleFlags &
        JsonFlag &
        GlobalFlags & { vehicle?: string; examples: number },
    ) => {
      const config = resolveConfig(flags);
      const rule = parseRule(flags);
      const workspace = await openWorkspace({
        sources: parseLocations(flags.source, '--source').map((l) => config.storage.open(l)),
        glob: flags.glob,
        rule,
        concurrency: config.concurrency,
        cacheDir: config.cacheDir,
        maxObjectSize: flags.maxObjectSize,
        reporter: reporterFor(flags, flags.json),
      });
      const stopInterrupt = onInterrupt(() => workspace.db.connection.interrupt());
      try {
        const report = await dedupeReport(workspace.db.connection, rule, {
          ...(flags.vehicle !== undefined ? { vehicle: flags.vehicle } : {}),
          examples: flags.examples,
        });
        await io.stdout(flags.json ? JSON.stringify(report, null, 2) : formatDedupeReport(report));
      } finally {
        stopInterrupt();
        await workspace.dispose();
      }
    },
  );
}
