import type { IngestSummary } from '../pipeline/ingest.js';

const n = (x: number) => x.toLocaleString('en-US');

/** A short human report of an ingest run, for stdout. */
export function formatIngestSummary(s: IngestSummary): string {
  const lines: string[] = [];
  lines.push(
    `keys: ${n(s.keys_listed)} listed, ${n(s.keys_loaded)} loaded, ${n(s.keys_skipped)} skipped, ${n(s.keys_failed)} failed` +
      (s.keys_ignored_by_glob ? ` (${n(s.keys_ignored_by_glob)} other objects did not match --glob)` : ''),
  );
  lines.push(
    `rows: ${n(s.rows_read)} read, ${n(s.duplicates_dropped)} duplicates dropped` +
      (s.rows_rejected ? `, ${n(s.rows_rejected)} rejected (no vehicle id or timestamp)` : '') +
      (s.rows_already_in_lake ? `, ${n(s.rows_already_in_lake)} already in the lake` : '') +
      (s.rows_outside_day ? `, ${n(s.rows_outside_day)} of neighbouring days left to their jobs` : '') +
      `; ${n(s.rows_written)} rows in ${s.partitions_written} written partition(s)`,
  );
  lines.push(`dedupe: ${s.dedupe.rule}`);
  for (const p of s.partitions) {
    lines.push(
      `  ${p.status === 'written' ? 'wrote    ' : 'unchanged'} ${p.path}  ${n(p.rows)} rows (was ${n(p.rows_before)})`,
    );
  }
  for (const [table, t] of Object.entries(s.tables ?? {})) {
    if (table === 'vehicle_positions') continue;
    lines.push(
      `${table}: ${n(t.rows_read)} rows read` +
        (t.rows_rejected ? `, ${n(t.rows_rejected)} rejected` : '') +
        `; ${n(t.rows_written)} rows in ${t.partitions_written} written partition(s)` +
        (t.partitions_unchanged ? `, ${t.partitions_unchanged} unchanged` : ''),
    );
    for (const p of t.partitions) {
      lines.push(
        `  ${p.status === 'written' ? 'wrote    ' : 'unchanged'} ${p.path}  ${n(p.rows)} rows (was ${n(p.rows_before)})`,
      );
    }
  }
  if (s.skipped.length) {
    lines.push('skipped:');
    for (const k of s.skipped.slice(0, 20)) lines.push(`  ${k.key}: ${k.reason} (${k.detail})`);
    if (s.skipped.length > 20) lines.push(`  … and ${s.skipped.length - 20} more (see --json)`);
  }
  lines.push(
    `time: ${s.seconds.total}s (${n(s.rows_per_second)} rows/s)${s.retries ? `, ${s.retries} retries` : ''}`,
  );
  return lines.join('\n');
}
