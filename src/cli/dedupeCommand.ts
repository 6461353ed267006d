import type { Command } from 'commander';
import { dedupeReport, type DedupeReport } from '../pipeline/dedupeReport.js';
import { openWorkspace } from '../pipeline/openWorkspace.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseLocations, parseRule, resolveConfig, type CommonFlags } from './config.js';
import { addSourceFlags } from './ingestCommand.js';
import { stderrReporter } from './stderrReporter.js';

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

export function registerDedupe(program: Command, io: { stdout: (s: string) => void }): void {
  addSourceFlags(
    program
      .command('dedupe')
      .description('report which duplicate rows the rule keeps, and why (writes nothing)'),
  )
    .option('--vehicle <id>', 'only this vehicle_id')
    .option('--examples <n>', 'example groups to show', '3')
    .option('--json', 'print the report as one JSON object')
    .option('--quiet', 'no progress on stderr')
    .action(
      async (
        flags: CommonFlags & { source?: string[]; vehicle?: string; examples: string; quiet?: boolean },
      ) => {
        const config = resolveConfig(flags);
        const rule = parseRule(flags);
        const workspace = await openWorkspace({
          sources: parseLocations(flags.source, '--source').map((l) => config.storage.open(l)),
          glob: flags.glob!,
          rule,
          concurrency: config.concurrency,
          cacheDir: config.cacheDir,
          maxObjectSize: config.maxObjectSize,
          reporter: flags.quiet || flags.json ? silentReporter : stderrReporter(),
        });
        try {
          const report = await dedupeReport(workspace.db.connection, rule, {
            ...(flags.vehicle !== undefined ? { vehicle: flags.vehicle } : {}),
            examples: Math.max(0, Number.parseInt(flags.examples, 10) || 0),
          });
          io.stdout(flags.json ? JSON.stringify(report, null, 2) : formatDedupeReport(report));
        } finally {
          await workspace.dispose();
        }
      },
    );
}
