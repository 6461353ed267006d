/** The lake's layout under --out: one table folder, one file per UTC day partition. */

/** The lake table's folder under --out. */
export const tableDir = 'vehicle_positions';
/** Each partition is exactly one object with this name, so replacing it is one atomic step. */
export const partitionFile = 'data.parquet';

/** vehicle_positions/year=Y/month=M/day=D (no zero padding, as Athena's projection expects). */
export function partitionPath(year: number, month: number, day: number): string {
  return `${tableDir}/year=${year}/month=${month}/day=${day}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The UTC day of a partition, YYYY-MM-DD. */
export function partitionDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
