import { Option, type Command } from 'commander';
import { dedupeReport, type DedupeReport } from '../pipeline/dedupeReport.js';
import { feedDedupeReport, type FeedDedupeReport } from '../pipeline/feedDedupeReport.js';
import { parseLakeTable } from '../pipeline/lakeTables.js';
import { defaultFeedGlob } from '../feeds/feedKinds.js';
import { UsageError } from '../errors.js';
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
import { onInterrupt, runSignal } from './runtime.js';

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

/** The report of `dedupe --feed trip_updates|alerts`, in the words of the vehicle report. */
export function formatFeedDedupeReport(r: FeedDedupeReport): string {
  const what = r.table === 'trip_updates' ? 'predictions (stop_time_updates)' : 'alert sightings';
  const rejected = Object.entries(r.rows_rejected_by_reason)
    .filter(([, k]) => k > 0)
    .map(([reason, k]) => `${reason} ${n(k)}`);
  const lines = [
    `rule (${r.table}): ${r.rule.description}`,
    `${n(r.rows_read)} ${what} read${r.rows_rejected ? ` (${n(r.rows_rejected)} rejected: ${rejected.join(', ')})` : ''}, ` +
      `${n(r.groups)} distinct ${r.table === 'trip_updates' ? 'predictions' : 'alert versions'} (per UTC day), ${n(r.duplicates_dropped)} duplicates dropped`,
    `${n(r.duplicate_groups)} groups have more than one candidate; their candidates are equal in every data column by the rule's definition, so the choice changes only feed_timestamp${r.table === 'alerts' ? ' (first_seen)' : ''} and lineage: the earliest publication is kept`,
    `${r.table} keeps ${n(r.rows_kept.exact)} rows`,
  ];
  for (const ex of r.examples) {
    const group = Object.entries(ex.group)
      .filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    const shown = group.length > 160 ? `${group.slice(0, 157)}...` : group;
    lines.push('', `${ex.day}  ${shown}: ${ex.candidates.length} candidates`);
    for (const c of ex.candidates) {
      const lineage = `${c.source_key} #${c.entity_index}${c.update_index !== undefined ? `.${c.update_index}` : ''}`;
      lines.push(`  ${c.kept ? 'KEPT ' : '     '} feed ${c.feed_timestamp ?? 'null'}  ${lineage}`);
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
    .option(
      '--feed <table>',
      'the table whose rule is reported: vehicle_positions (default), trip_updates or alerts (their rules are fixed: the earliest publication)',
    )
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
        GlobalFlags & { vehicle?: string; examples: number; feed?: string },
      command: Command,
    ) => {
      const config = resolveConfig(flags);
      const table = parseLakeTable(flags.feed ?? 'vehicle_positions', '--feed');
      if (table !== 'vehicle_positions') {
        const fixed = (['keep', 'dedupe', 'vehicle'] as const).filter(
          (f) => flags[f] !== undefined && command.getOptionValueSource(f) !== 'default',
        );
        if (fixed.length)
          throw new UsageError(
            `--${fixed[0]} is for vehicle_positions: the ${table} rule is fixed (the earliest publication of each ${table === 'trip_updates' ? 'prediction' : 'alert version'})`,
          );
        const sources = parseLocations(flags.source, '--source').map((l) => config.storage.open(l));
        const report = await feedDedupeReport({
          table,
          sources,
          glob: command.getOptionValueSource('glob') === 'default' ? defaultFeedGlob([table]) : flags.glob,
          concurrency: config.concurrency,
          cacheDir: config.cacheDir,
          maxObjectSize: flags.maxObjectSize,
          reporter: reporterFor(flags, flags.json),
          examples: flags.examples,
          signal: runSignal,
        });
        await io.stdout(flags.json ? JSON.stringify(report, null, 2) : formatFeedDedupeReport(report));
        return;
      }
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
